# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM COS through boto3: one client per bucket's HMAC keys, transfers, listing, and error mapping.

Transfers use boto3's managed multipart transfers: a throttled or failed part is retried by botocore's own
retry logic (per request, so a 5xx never restarts a multi-GB transfer). Checksums are sent only when the
API requires them, as some S3-compatible stores reject the CRC headers of boto3 >= 1.36 [doc].

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os
import random
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_plan import (
    DEFAULT_PART_SIZE, DOWNLOAD_STREAMS, MIB, download_ranges, part_size_for_upload, part_sizes_for, s3_etag)
from ansible_collections.mas.dedicated.plugins.module_utils.common import interrupts
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import move_into_place, temporary_beside
from ansible_collections.mas.dedicated.plugins.module_utils.common.redact import redact_text
from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_plan import endpoint_url as region_endpoint_url

try:
    import boto3
    import botocore.config
    import botocore.exceptions
    from boto3.s3.transfer import TransferConfig
    import http.client
    import urllib3.exceptions
    HAS_BOTO3 = True
    BOTO3_IMPORT_ERROR = None
    # A response cut or stalled midway: the range is asked again from where it stopped.
    _CUT_ERRORS = (botocore.exceptions.BotoCoreError, urllib3.exceptions.HTTPError, http.client.HTTPException,
                   ConnectionError, TimeoutError)
except ImportError:
    HAS_BOTO3 = False
    BOTO3_IMPORT_ERROR = traceback.format_exc()
    _CUT_ERRORS = ()

# Each stream reads its range in blocks of this size, straight into one buffer that pwrite writes at its offset.
DOWNLOAD_BLOCK = MIB

_HINTS = {
    'AccessDenied': "the HMAC keys may not do this: the bucket may be read-only (only downloads are allowed), "
                    "or the keys belong to another bucket",
    'InvalidAccessKeyId': "the access_key_id is not known to COS: check the Welcome Letter's HMAC keys for this bucket",
    'SignatureDoesNotMatch': "the secret_access_key does not match the access_key_id",
    'NoSuchBucket': "no such bucket at this endpoint: check 'bucket' and the region/endpoint",
    'NoSuchKey': "no such object in the bucket",
    '404': "no such object in the bucket",
    '403': "access denied: the bucket may be read-only, or the keys belong to another bucket",
}


class CosError(ServiceError):
    """A failed COS call, with the operation, the S3 error code and a hint; secrets redacted."""

    def __init__(self, operation, bucket, key=None, code=None, detail=None, secrets=()):
        self.operation = operation
        self.code = code
        where = 's3://%s/%s' % (bucket, key or '') if key is not None else 's3://%s' % bucket
        text = '%s %s failed' % (operation, where)
        if code:
            text += ': %s' % code
        if detail:
            text += ' (%s)' % detail
        hint = _HINTS.get(str(code))
        if hint:
            text += '. Hint: %s' % hint
        super(CosError, self).__init__(redact_text(text, secrets))

    @property
    def access_denied(self):
        return str(self.code) in ('AccessDenied', '403')

    def to_dict(self):
        return {'operation': self.operation, 'code': self.code, 'access_denied': self.access_denied}


class CosBucket:
    """One bucket with its own HMAC keys (each MAS Dedicated bucket has its own credentials [doc])."""

    def __init__(self, bucket, endpoint_url, access_key_id, secret_access_key, region=None, validate_certs=True,
                 ca_path=None, part_size_mb=8, concurrency=10, retries=10, client=None):
        if not HAS_BOTO3:
            raise RuntimeError('boto3 is required')
        self.bucket = bucket
        self.secrets = tuple(s for s in (secret_access_key, access_key_id) if s)
        self.part_size = int(part_size_mb * MIB) if part_size_mb else DEFAULT_PART_SIZE
        config = botocore.config.Config(
            signature_version='s3v4',
            s3={'addressing_style': 'path'},
            retries={'max_attempts': retries, 'mode': 'adaptive'},
            max_pool_connections=max(10, concurrency * 2),
            request_checksum_calculation='when_required',
            response_checksum_validation='when_required',
            connect_timeout=10, read_timeout=120,
        )
        verify = ca_path if ca_path else bool(validate_certs)
        self.client = client or boto3.session.Session().client(
            's3', endpoint_url=endpoint_url, aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key,
            region_name=region or 'us-east-1', config=config, verify=verify)
        # The AnsibleModule whose atomic_move puts downloads into place (MasModule.cos sets it); None: os.rename.
        self.module = None
        self.concurrency = concurrency
        self.retries = retries
        self.transfer = self._transfer(self.part_size)

    def _transfer(self, part_size):
        # Above one part the upload is multipart, with parts of exactly part_size: the ETag is then predictable.
        return TransferConfig(multipart_threshold=part_size, multipart_chunksize=part_size,
                              max_concurrency=self.concurrency, use_threads=self.concurrency > 1)

    def _error(self, operation, exc, key=None):
        code = None
        detail = None
        if isinstance(exc, botocore.exceptions.ClientError):
            error = exc.response.get('Error', {})
            code = error.get('Code') or str(exc.response.get('ResponseMetadata', {}).get('HTTPStatusCode'))
            detail = error.get('Message')
        else:
            detail = '%s: %s' % (type(exc).__name__, exc)
        return CosError(operation, self.bucket, key, code, detail, self.secrets)

    def head(self, key):
        """Size, ETag, time and metadata of an object; None when it does not exist."""
        try:
            answer = self.client.head_object(Bucket=self.bucket, Key=key)
        except botocore.exceptions.ClientError as exc:
            code = exc.response.get('Error', {}).get('Code')
            if code in ('404', 'NoSuchKey', 'NotFound'):
                return None
            if code in ('403', '400'):
                # A HEAD answer has no body, so no error code: a listing call names the real problem.
                self._explain(key)
            raise self._error('HEAD', exc, key)
        except botocore.exceptions.BotoCoreError as exc:
            raise self._error('HEAD', exc, key)
        return {'key': key, 'size': answer['ContentLength'], 'etag': answer.get('ETag', '').strip('"'),
                'last_modified': answer.get('LastModified'), 'metadata': answer.get('Metadata', {})}

    def _explain(self, key):
        try:
            self.client.list_objects_v2(Bucket=self.bucket, Prefix=key, MaxKeys=1)
        except botocore.exceptions.ClientError as exc:
            raise self._error('HEAD', exc, key)

    def list(self, prefix=''):
        """Every object under ``prefix``: one paginated listing (1,000 objects a call), no request per object."""
        paginator = self.client.get_paginator('list_objects_v2')
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix or ''):
                for item in page.get('Contents', []):
                    yield {'key': item['Key'], 'size': item['Size'], 'etag': item.get('ETag', '').strip('"'),
                           'last_modified': item.get('LastModified')}
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            raise self._error('LIST', exc, prefix or '')

    def upload(self, path, key, metadata=None, progress=None):
        """``progress``: called with each number of bytes sent (from boto3's transfer threads)."""
        extra = {'Metadata': metadata} if metadata else None
        try:
            part_size = part_size_for_upload(os.path.getsize(path), self.part_size)
            config = self.transfer if part_size == self.part_size else self._transfer(part_size)
            self.client.upload_file(path, self.bucket, key, ExtraArgs=extra, Config=config, Callback=progress)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, boto3.exceptions.S3UploadFailedError) as exc:
            cause = getattr(exc, 'last_error', None) or exc
            raise self._error('PUT', _client_error_of(cause), key)

    def download(self, key, dest, size=None, etag=None, progress=None):
        """Download to a temporary file beside ``dest`` and rename it into place: never a partial ``dest``.

        ``size`` and ``etag`` are the object's, when known from a HEAD or a listing (else one HEAD asks);
        ``progress`` is called with each number of bytes written.
        """
        dest = os.path.abspath(os.path.expanduser(dest))
        if size is None:
            found = self.head(key)
            if found is None:
                raise CosError('GET', self.bucket, key, 'NoSuchKey', None, self.secrets)
            size, etag = found['size'], found['etag']
        directory = os.path.dirname(dest)
        os.makedirs(directory, exist_ok=True)  # parallel downloads may create it at the same time
        # Armed: a SIGTERM or a dead caller removes the partial file; a killed run's leftovers are removed here.
        with interrupts.armed(), temporary_beside(dest) as (handle, temp):
            RangedDownload(self, key, size, etag, handle, streams=max(1, min(DOWNLOAD_STREAMS, self.concurrency)),
                           progress=progress).run()
            move_into_place(temp, dest, 0o644, self.module)

    def delete(self, keys):
        """Delete objects, 1,000 a request."""
        keys = list(keys)
        for start in range(0, len(keys), 1000):
            batch = [{'Key': k} for k in keys[start:start + 1000]]
            try:
                answer = self.client.delete_objects(Bucket=self.bucket, Delete={'Objects': batch, 'Quiet': True})
            except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
                raise self._error('DELETE', exc, batch[0]['Key'])
            errors = answer.get('Errors') or []
            if errors:
                raise CosError('DELETE', self.bucket, errors[0].get('Key'), errors[0].get('Code'), errors[0].get('Message'),
                               self.secrets)


class RangedDownload:
    """One object into an open file: byte ranges fetched by parallel GETs and written in place with pwrite.

    Each range is read in blocks straight from its response and written at its offset, so memory stays at one
    block per stream. A range whose connection is cut or times out midway is asked again from the first byte
    not yet written (up to ``retries`` times); throttling (503 SlowDown) and 5xx answers are retried by botocore
    itself. Every GET names the ETag (If-Match), so a range never comes from another version of the object, and
    every range must arrive whole (its byte count is checked).

    ``check_etag``: whether the bytes are also checked against an MD5-based ETag (ranges start on part boundaries
    and each part's MD5 is computed as its bytes arrive). The default (None) checks objects fetched in one range;
    larger objects are not hashed, as boto3 and the aws CLI do not: the MD5 costs about 2 s of CPU per GiB
    (measured: a third of the download speed on two cores), while TLS already protects the bytes in transit.
    """

    def __init__(self, bucket, key, size, etag, handle, streams=DOWNLOAD_STREAMS, block=DOWNLOAD_BLOCK,
                 check_etag=None, progress=None):
        self.bucket = bucket
        self.progress = progress
        self.key = key
        self.size = size
        self.etag = (etag or '').strip('"')
        self.handle = handle
        self.block = block
        # The part sizes the ETag allows, likeliest first ([None]: a single-part object, whose ETag is its MD5).
        self.candidates = part_sizes_for(size, self.etag) if _md5_etag(self.etag) else []
        self.part_size = self.candidates[0] if self.candidates else None
        self.ranges = download_ranges(size, streams, self.part_size)
        if check_etag is None:
            check_etag = len(self.ranges) <= 1
        if not check_etag:
            self.candidates = []
        # A large single-part object comes in several ranges: its MD5 is computed afterwards, from the file.
        self.hash_in_stream = bool(self.candidates) and (self.part_size is not None or len(self.ranges) <= 1)
        self.streams = max(1, min(streams, len(self.ranges)))
        self.part_md5s = {}
        self.written = 0
        self.lock = threading.Lock()
        self.failed = threading.Event()

    def run(self):
        os.ftruncate(self.handle, self.size)
        if self.streams == 1:
            for start, end in self.ranges:
                self._range(start, end)
        else:
            with ThreadPoolExecutor(max_workers=self.streams) as pool:
                futures = [pool.submit(self._range, start, end) for start, end in self.ranges]
                errors = [f.exception() for f in futures]
            first = next((e for e in errors if e is not None), None)
            if first is not None:
                raise first
        self._verify()

    def _range(self, start, end):
        if self.failed.is_set():
            return
        try:
            done = self._fetch(start, end)
        except BaseException:
            self.failed.set()
            raise
        with self.lock:
            self.written += done

    def _fetch(self, start, end):
        bucket = self.bucket
        part_size = self.part_size or self.size or 1
        digest = hashlib.md5() if self.hash_in_stream else None
        buffer = bytearray(min(self.block, end - start))
        position = start
        cuts = 0
        while position < end:
            kwargs = {'Bucket': bucket.bucket, 'Key': self.key, 'Range': 'bytes=%d-%d' % (position, end - 1)}
            if self.etag:
                kwargs['IfMatch'] = '"%s"' % self.etag
            try:
                body = bucket.client.get_object(**kwargs)['Body']
            except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
                raise bucket._error('GET', exc, self.key)  # botocore has retried what may be retried
            try:
                while position < end:
                    if self.failed.is_set():
                        return position - start
                    # A block never spans two parts, so each part's MD5 is complete at its boundary.
                    want = min(len(buffer), end - position, part_size - position % part_size)
                    got = _read_into(body, memoryview(buffer)[:want])
                    if not got:
                        raise botocore.exceptions.IncompleteReadError(actual_bytes=position - start,
                                                                      expected_bytes=end - start)
                    _write_at(self.handle, memoryview(buffer)[:got], position)
                    if self.progress is not None:
                        self.progress(got)
                    if digest is not None:
                        digest.update(memoryview(buffer)[:got])
                    position += got
                    if digest is not None and (position % part_size == 0 or position == self.size):
                        self.part_md5s[(position - 1) // part_size] = digest.digest()
                        digest = hashlib.md5()
            except _CUT_ERRORS as exc:
                cuts += 1
                if cuts > bucket.retries:
                    raise bucket._error('GET', exc, self.key)
                time.sleep(min(5.0, 0.1 * 2 ** cuts) * random.uniform(0.5, 1.0))
            finally:
                body.close()
        return position - start

    def _verify(self):
        if self.written != self.size:
            raise CosError('GET', self.bucket.bucket, self.key, 'SizeMismatch',
                           '%d bytes received, the object has %d' % (self.written, self.size), self.bucket.secrets)
        if not self.candidates:
            return  # not an MD5-based ETag (or none): the size is all there is to check
        if self.hash_in_stream:
            md5s = [self.part_md5s[n] for n in sorted(self.part_md5s)] or [hashlib.md5(b'').digest()]
            if self.part_size is None:
                actual = md5s[0].hex()
            else:
                actual = '%s-%d' % (hashlib.md5(b''.join(md5s)).hexdigest(), len(md5s))
            if actual == self.etag:
                return
            others = self.candidates[1:]
        else:
            others = self.candidates
        for part_size in others:
            actual = s3_etag(_file_blocks(self.handle, self.size), part_size or (1 << 62))[0]
            if actual == self.etag:
                return
        raise CosError('GET', self.bucket.bucket, self.key, 'ChecksumMismatch',
                       'the bytes received give the ETag %s, the object has %s' % (actual, self.etag),
                       self.bucket.secrets)


def _file_blocks(handle, size):
    offset = 0
    while offset < size:
        block = os.pread(handle, min(DOWNLOAD_BLOCK, size - offset), offset)
        if not block:
            return
        yield block
        offset += len(block)


def _md5_etag(etag):
    """Whether an ETag is an MD5 (single part) or an MD5 of part MD5s (``-N``), as S3 makes them."""
    digest, dummy, parts = etag.partition('-')
    return len(digest) == 32 and all(c in '0123456789abcdef' for c in digest.lower()) and (not parts or parts.isdigit())


def _read_into(body, view):
    """Fill ``view`` from a streaming body as far as the stream allows; the number of bytes read."""
    raw = getattr(getattr(body, '_raw_stream', None), '_fp', None)
    filled = 0
    while filled < len(view):
        if raw is not None:
            got = raw.readinto(view[filled:])
        else:
            data = body.read(len(view) - filled)
            got = len(data)
            view[filled:filled + got] = data
        if not got:
            break
        filled += got
    return filled


def _write_at(handle, view, offset):
    while len(view):
        done = os.pwrite(handle, view, offset)
        view = view[done:]
        offset += done


def _client_error_of(exc):
    # S3UploadFailedError wraps the ClientError as text only; keep the code when it is in the text.
    if HAS_BOTO3 and isinstance(exc, boto3.exceptions.S3UploadFailedError):
        text = str(exc)
        code = 'AccessDenied' if 'AccessDenied' in text else None
        return botocore.exceptions.ClientError({'Error': {'Code': code, 'Message': text}}, 'PutObject')
    return exc


def bucket_from_params(params, bucket=None):
    """A CosBucket for a module's COS options (the ``cos`` and ``tls`` fragments); ``bucket`` overrides
    params['bucket']."""
    endpoint = params.get('endpoint_url') or region_endpoint_url(params.get('region'), params.get('endpoint_type') or 'public')
    return CosBucket(bucket or params['bucket'], endpoint, params['access_key_id'], params['secret_access_key'],
                     region=params.get('region'), validate_certs=params['validate_certs'], ca_path=params.get('ca_path'),
                     part_size_mb=params.get('part_size_mb') or 16, concurrency=params.get('concurrency') or 16)
