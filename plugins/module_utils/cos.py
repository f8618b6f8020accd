# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM COS through boto3: one client per bucket's HMAC keys, transfers, listing, and error mapping.

Transfers use boto3's managed multipart transfers: a throttled or failed part is retried by botocore's own
retry logic (per request, so a 5xx never restarts a multi-GB transfer). Checksums are sent only when the
API requires them, as some S3-compatible stores reject the CRC headers of boto3 >= 1.36 [doc].
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import tempfile
import traceback

from ansible_collections.mas.dedicated.plugins.module_utils.cos_plan import DEFAULT_PART_SIZE, MIB, part_size_for_upload
from ansible_collections.mas.dedicated.plugins.module_utils.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.redact import redact_text

try:
    import boto3
    import botocore.config
    import botocore.exceptions
    from boto3.s3.transfer import TransferConfig
    HAS_BOTO3 = True
    BOTO3_IMPORT_ERROR = None
except ImportError:
    HAS_BOTO3 = False
    BOTO3_IMPORT_ERROR = traceback.format_exc()

DOWNLOAD_RANGE = 64 * MIB
DOWNLOAD_IO_QUEUE = 10

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
        self.concurrency = concurrency
        self.transfer = self._transfer(self.part_size)
        # A download streams each range to the file in 256 KiB chunks: large ranges need fewer requests, and a
        # short write queue (measured: 100 entries cost ~120 MiB more at the same speed) keeps memory flat.
        self.download_transfer = TransferConfig(multipart_threshold=DOWNLOAD_RANGE, multipart_chunksize=DOWNLOAD_RANGE,
                                                max_concurrency=concurrency, use_threads=concurrency > 1,
                                                max_io_queue=DOWNLOAD_IO_QUEUE)

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

    def upload(self, path, key, metadata=None):
        extra = {'Metadata': metadata} if metadata else None
        try:
            part_size = part_size_for_upload(os.path.getsize(path), self.part_size)
            config = self.transfer if part_size == self.part_size else self._transfer(part_size)
            self.client.upload_file(path, self.bucket, key, ExtraArgs=extra, Config=config)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError, boto3.exceptions.S3UploadFailedError) as exc:
            cause = getattr(exc, 'last_error', None) or exc
            raise self._error('PUT', _client_error_of(cause), key)

    def download(self, key, dest):
        """Download to a temporary file beside ``dest`` and rename it into place: never a partial ``dest``."""
        dest = os.path.abspath(os.path.expanduser(dest))
        directory = os.path.dirname(dest)
        os.makedirs(directory, exist_ok=True)  # parallel downloads may create it at the same time
        handle, temp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(dest), suffix='.part', dir=directory)
        os.close(handle)
        try:
            self.client.download_file(self.bucket, key, temp, Config=self.download_transfer)
            os.chmod(temp, 0o644)
            os.rename(temp, dest)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            raise self._error('GET', exc, key)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

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


def _client_error_of(exc):
    # S3UploadFailedError wraps the ClientError as text only; keep the code when it is in the text.
    if HAS_BOTO3 and isinstance(exc, boto3.exceptions.S3UploadFailedError):
        text = str(exc)
        code = 'AccessDenied' if 'AccessDenied' in text else None
        return botocore.exceptions.ClientError({'Error': {'Code': code, 'Message': text}}, 'PutObject')
    return exc
