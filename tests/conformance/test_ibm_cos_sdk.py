# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM's COS SDK (``ibm_boto3``, PyPI ``ibm-cos-sdk``) over every S3 call the collection makes, against the sandbox.

The collection's S3 calls (plugins/module_utils/cos/cos_bucket.py, the modules cos_object, cos_object_info, cos_sync,
manage_logs) are: HeadObject; ListObjectsV2 with Prefix, paged by ContinuationToken (and MaxKeys=1 to explain a
HEAD's bodiless 403); PutObject and multipart upload (CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
AbortMultipartUpload on failure) through the managed transfer ``upload_file``; ranged GetObject with
``If-Match: "<etag>"`` (412 PreconditionFailed when the object changed); DeleteObjects (Quiet, 1,000 a call). The
rclone remotes the collection writes (``provider = IBMCOS``) add ListObjects (v1, Marker paging: rclone's
``setQuirks`` sets ``listObjectsV2 = false``, ``virtualHostStyle = false`` for IBMCOS) and DeleteObject. Each
bucket has its own HMAC keys; the read-only bucket's keys list and download but every write is refused with
AccessDenied.

Sources: IBM "About the IBM Cloud Object Storage S3 API" (the operations COS supports, GET Bucket "limited to
listing 1,000 objects at a time") https://cloud.ibm.com/docs/cloud-object-storage?topic=cloud-object-storage-compatibility-api
and "Object operations" (HMAC signatures, uploads, multipart)
https://cloud.ibm.com/docs/cloud-object-storage?topic=cloud-object-storage-object-operations ; IBM's own SDK is
the client here. Nothing is faked: ibm_boto3 signs with the bucket's HMAC keys against the sandbox's S3 proxy and
the moto server behind it.

Where COS and the sandbox's S3 (moto) differ, the tests say so (``COS differs:``):
- ibm_boto3 2.16 sends CRC32 request checksums by default (``request_checksum_calculation`` defaults to
  ``when_supported``, as in boto3 >= 1.36); the collection sends them only when required. Both work here and IBM's
  SDK default implies COS accepts CRC32 headers; the collection's choice stays the conservative one.
- A read-only MAS Dedicated bucket is an HMAC credential with the COS Reader role (list, download); moto emulates
  it with an IAM policy. Both answer 403 AccessDenied to writes.
- moto keeps a versionId of ``null`` on unversioned buckets; the sandbox proxy strips that header as COS sends none.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import io
import os

import pytest

ibm_boto3 = pytest.importorskip('ibm_boto3')
from ibm_botocore.client import Config  # noqa: E402 pylint: disable=wrong-import-position
from ibm_botocore.exceptions import ClientError  # noqa: E402 pylint: disable=wrong-import-position
from ibm_boto3.s3.transfer import TransferConfig  # noqa: E402 pylint: disable=wrong-import-position

MIB = 1024 * 1024


def client(sandbox, kind, **config):
    """An ibm_boto3 S3 client with the HMAC keys of one bucket, as IBM's docs configure HMAC access."""
    s3 = sandbox.app.info['s3']
    keys = s3['buckets'][kind]
    options = {'signature_version': 's3v4', 's3': {'addressing_style': 'path'}, 'retries': {'max_attempts': 2}}
    options.update(config)
    return ibm_boto3.client('s3', endpoint_url=s3['endpoint_url'], aws_access_key_id=keys['access_key_id'],
                            aws_secret_access_key=keys['secret_access_key'], config=Config(**options),
                            region_name='us-east-1')


def bucket(sandbox, kind):
    return sandbox.app.info['s3']['buckets'][kind]['bucket']


def code_of(info):
    return info.value.response['Error']['Code']


@pytest.fixture(autouse=True)
def empty_buckets(sandbox):
    sandbox.app.store.empty()


def test_put_head_get_and_missing_head(sandbox):
    s3 = client(sandbox, 'custfile')
    name = bucket(sandbox, 'custfile')
    body = b'assetnum,description\nA1,Pump\n'
    answer = s3.put_object(Bucket=name, Key='imports/assets.csv', Body=body, Metadata={'source': 'test'})
    assert answer['ETag'].strip('"') == hashlib.md5(body).hexdigest()
    head = s3.head_object(Bucket=name, Key='imports/assets.csv')
    assert head['ContentLength'] == len(body)
    assert head['ETag'].strip('"') == hashlib.md5(body).hexdigest()
    assert head['Metadata'] == {'source': 'test'}
    assert 'LastModified' in head
    assert s3.get_object(Bucket=name, Key='imports/assets.csv')['Body'].read() == body
    with pytest.raises(ClientError) as info:
        s3.head_object(Bucket=name, Key='imports/none.csv')
    # A HEAD answer has no body: the code is the status (cos_bucket.py's head() maps '404' to "absent").
    assert code_of(info) == '404'
    with pytest.raises(ClientError) as info:
        s3.get_object(Bucket=name, Key='imports/none.csv')
    assert code_of(info) == 'NoSuchKey'


def test_ibm_sdk_default_checksums_are_accepted(sandbox):
    """IBM's SDK default (CRC32 on every upload) and the collection's ``when_required`` both store the object."""
    name = bucket(sandbox, 'custfile')
    default = client(sandbox, 'custfile')
    conservative = client(sandbox, 'custfile', request_checksum_calculation='when_required',
                          response_checksum_validation='when_required')
    sandbox.app.requests.clear()
    default.put_object(Bucket=name, Key='a.txt', Body=b'a')
    conservative.put_object(Bucket=name, Key='b.txt', Body=b'b')
    sent = [entry['headers'] for entry in sandbox.app.requests.listing() if entry['method'] == 'PUT']
    assert 'x-amz-checksum-crc32' in sent[0] and not any(h.startswith('x-amz-checksum') for h in sent[1])
    assert default.get_object(Bucket=name, Key='b.txt')['Body'].read() == b'b'
    assert conservative.get_object(Bucket=name, Key='a.txt')['Body'].read() == b'a'


def test_multipart_upload_managed_and_by_hand(sandbox, tmp_path):
    s3 = client(sandbox, 'custfile', request_checksum_calculation='when_required')
    name = bucket(sandbox, 'custfile')
    data = os.urandom(11 * MIB)
    path = tmp_path / 'big.bin'
    path.write_bytes(data)
    # The collection's transfer: parts of exactly part_size above one part, so the ETag is predictable.
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=2)
    s3.upload_file(str(path), name, 'big.bin', Config=config)
    parts = [data[i:i + 5 * MIB] for i in range(0, len(data), 5 * MIB)]
    expected = '%s-%d' % (hashlib.md5(b''.join(hashlib.md5(p).digest() for p in parts)).hexdigest(), len(parts))
    assert s3.head_object(Bucket=name, Key='big.bin')['ETag'].strip('"') == expected
    listed = s3.list_objects_v2(Bucket=name, Prefix='big')['Contents'][0]
    assert (listed['Size'], listed['ETag'].strip('"')) == (len(data), expected)

    upload = s3.create_multipart_upload(Bucket=name, Key='hand.bin')['UploadId']
    etags = []
    for number, part in enumerate(parts, 1):
        etags.append(s3.upload_part(Bucket=name, Key='hand.bin', UploadId=upload, PartNumber=number, Body=part)['ETag'])
    s3.complete_multipart_upload(Bucket=name, Key='hand.bin', UploadId=upload, MultipartUpload={
        'Parts': [{'ETag': etag, 'PartNumber': n} for n, etag in enumerate(etags, 1)]})
    assert s3.get_object(Bucket=name, Key='hand.bin')['Body'].read() == data

    aborted = s3.create_multipart_upload(Bucket=name, Key='aborted.bin')['UploadId']
    s3.upload_part(Bucket=name, Key='aborted.bin', UploadId=aborted, PartNumber=1, Body=parts[0])
    s3.abort_multipart_upload(Bucket=name, Key='aborted.bin', UploadId=aborted)
    assert not s3.list_multipart_uploads(Bucket=name).get('Uploads')
    with pytest.raises(ClientError) as info:
        s3.head_object(Bucket=name, Key='aborted.bin')
    assert code_of(info) == '404'


def test_ranged_get_with_if_match(sandbox):
    s3 = client(sandbox, 'custfile')
    name = bucket(sandbox, 'custfile')
    data = bytes(range(256)) * 64
    etag = s3.put_object(Bucket=name, Key='r.bin', Body=data)['ETag']
    answer = s3.get_object(Bucket=name, Key='r.bin', Range='bytes=100-1123', IfMatch=etag)
    assert answer['ResponseMetadata']['HTTPStatusCode'] == 206
    assert answer['ContentRange'] == 'bytes 100-1123/%d' % len(data)
    assert answer['Body'].read() == data[100:1124]
    # The object changed between ranges: the old ETag no longer matches.
    s3.put_object(Bucket=name, Key='r.bin', Body=data[::-1])
    with pytest.raises(ClientError) as info:
        s3.get_object(Bucket=name, Key='r.bin', Range='bytes=0-9', IfMatch=etag)
    assert info.value.response['ResponseMetadata']['HTTPStatusCode'] == 412
    assert code_of(info) == 'PreconditionFailed'


def test_listing_pages_v2_and_v1(sandbox):
    s3 = client(sandbox, 'custfile')
    name = bucket(sandbox, 'custfile')
    keys = ['exports/%02d.csv' % n for n in range(7)] + ['other/x.csv']
    for key in keys:
        s3.put_object(Bucket=name, Key=key, Body=key.encode())
    paginator = s3.get_paginator('list_objects_v2')
    pages = list(paginator.paginate(Bucket=name, Prefix='exports/', PaginationConfig={'PageSize': 3}))
    assert [len(p.get('Contents', [])) for p in pages] == [3, 3, 1]
    assert pages[0]['IsTruncated'] and pages[0]['NextContinuationToken']
    assert [i['Key'] for p in pages for i in p['Contents']] == keys[:7]
    first = s3.list_objects_v2(Bucket=name, Prefix='exports/00', MaxKeys=1)
    assert first['KeyCount'] == 1 and first['Contents'][0]['Size'] == len(keys[0])
    # rclone (provider IBMCOS) lists with v1 and Marker.
    v1 = list(s3.get_paginator('list_objects').paginate(Bucket=name, PaginationConfig={'PageSize': 5}))
    assert [i['Key'] for p in v1 for i in p['Contents']] == sorted(keys)
    assert len(v1) == 2


def test_delete_objects_quiet_and_delete_object(sandbox):
    s3 = client(sandbox, 'logs')
    name = bucket(sandbox, 'logs')
    for n in range(3):
        s3.put_object(Bucket=name, Key='d/%d' % n, Body=b'x')
    answer = s3.delete_objects(Bucket=name, Delete={'Objects': [{'Key': 'd/0'}, {'Key': 'd/1'}, {'Key': 'd/none'}],
                                                    'Quiet': True})
    # Deleting a missing key is not an error. COS differs: in Quiet mode S3 and COS report only the errors, moto
    # lists every key under Deleted as well; the collection reads only Errors (cos_bucket.py delete()).
    assert not answer.get('Errors')
    s3.delete_object(Bucket=name, Key='d/2')
    assert not s3.list_objects_v2(Bucket=name, Prefix='d/').get('Contents')


def test_each_bucket_has_its_own_keys(sandbox):
    custfile = client(sandbox, 'custfile')
    with pytest.raises(ClientError) as info:
        custfile.put_object(Bucket=bucket(sandbox, 'logs'), Key='x', Body=b'x')
    assert code_of(info) == 'AccessDenied'
    with pytest.raises(ClientError) as info:
        custfile.list_objects_v2(Bucket=bucket(sandbox, 'logs'))
    assert code_of(info) == 'AccessDenied'
    with pytest.raises(ClientError) as info:
        ibm_boto3.client('s3', endpoint_url=sandbox.app.info['s3']['endpoint_url'], aws_access_key_id='unknown',
                         aws_secret_access_key='unknown', region_name='us-east-1',
                         config=Config(signature_version='s3v4', s3={'addressing_style': 'path'})
                         ).list_objects_v2(Bucket=bucket(sandbox, 'custfile'))
    assert code_of(info) == 'InvalidAccessKeyId'


def test_read_only_bucket_lists_and_downloads_but_refuses_writes(sandbox):
    s3 = client(sandbox, 'readonly')
    name = bucket(sandbox, 'readonly')
    listed = s3.list_objects_v2(Bucket=name)['Contents']
    assert [i['Key'] for i in listed] == ['welcome/README.txt']
    assert s3.head_object(Bucket=name, Key='welcome/README.txt')['ContentLength'] > 0
    assert s3.get_object(Bucket=name, Key='welcome/README.txt', Range='bytes=0-4')['Body'].read() == b'Files'
    writes = [
        lambda: s3.put_object(Bucket=name, Key='x.txt', Body=b'x'),
        lambda: s3.upload_fileobj(io.BytesIO(b'y' * (6 * MIB)), name, 'y.bin',
                                  Config=TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)),
        lambda: s3.create_multipart_upload(Bucket=name, Key='z.bin'),
        lambda: s3.delete_object(Bucket=name, Key='welcome/README.txt'),
    ]
    for write in writes:
        with pytest.raises(Exception) as info:
            write()
        assert 'AccessDenied' in str(info.value)
    # A batch delete is refused per key (200 with Errors) by moto; a refusal of the whole call (403) would be a
    # ClientError. The collection's delete() fails on either (cos_bucket.py: any Errors entry raises).
    try:
        answer = s3.delete_objects(Bucket=name, Delete={'Objects': [{'Key': 'welcome/README.txt'}], 'Quiet': True})
        assert [e['Code'] for e in answer['Errors']] == ['AccessDenied']
    except ClientError as exc:
        assert exc.response['Error']['Code'] == 'AccessDenied'
    assert [i['Key'] for i in s3.list_objects_v2(Bucket=name)['Contents']] == ['welcome/README.txt']


def test_objects_of_ibms_sdk_and_of_the_collection_are_the_same_to_each_other(sandbox, module_utils, tmp_path):
    """What IBM's SDK uploads (its default 8 MiB parts), the collection recognises as unchanged and downloads
    verified; what the collection uploads, IBM's SDK reads back with the same ETag (cos_sync's idempotency)."""
    cos = module_utils('cos.cos_bucket')
    cos_plan = module_utils('cos.cos_plan')
    s3 = client(sandbox, 'custfile')
    name = bucket(sandbox, 'custfile')
    keys = sandbox.app.info['s3']['buckets']['custfile']
    data = os.urandom(20 * MIB + 123)
    path = tmp_path / 'ibm.bin'
    path.write_bytes(data)
    s3.upload_file(str(path), name, 'from-ibm.bin')  # IBM's SDK defaults: 8 MiB threshold and parts
    ours = cos.CosBucket(name, sandbox.app.info['s3']['endpoint_url'], keys['access_key_id'],
                         keys['secret_access_key'], region='us-east-1', concurrency=2)
    remote = ours.head('from-ibm.bin')
    assert remote['etag'].endswith('-3')
    local = {'size': len(data), 'etag': lambda part: cos_plan.file_etag(str(path), part)}
    assert cos_plan.same_content(local, remote)
    ours.download('from-ibm.bin', str(tmp_path / 'back.bin'), size=remote['size'], etag=remote['etag'])
    assert (tmp_path / 'back.bin').read_bytes() == data

    ours.upload(str(path), 'from-collection.bin')
    head = s3.head_object(Bucket=name, Key='from-collection.bin')
    assert head['ETag'].strip('"') == ours.head('from-collection.bin')['etag']
    assert cos_plan.same_content(local, {'size': head['ContentLength'], 'etag': head['ETag']})
    assert s3.get_object(Bucket=name, Key='from-collection.bin')['Body'].read() == data
