# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ranged parallel download against a fake S3 client: layout, resume after a cut, ETag and size checks."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os
import threading

import pytest

botocore_exceptions = pytest.importorskip('botocore.exceptions')

from ansible_collections.mas.dedicated.plugins.module_utils.cos import cos_bucket  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_plan import MIB, download_ranges, s3_etag  # noqa: E402  pylint: disable=wrong-import-position


class Body:
    """A streaming body that may stop after ``cut_after`` bytes, as a dropped connection does."""

    def __init__(self, data, cut_after=None):
        self.data = data
        self.offset = 0
        self.cut_after = cut_after
        self.closed = False

    def read(self, amount):
        if self.cut_after is not None and self.offset >= self.cut_after:
            raise botocore_exceptions.ResponseStreamingError(error='Connection broken: IncompleteRead')
        limit = len(self.data) if self.cut_after is None else self.cut_after
        chunk = self.data[self.offset:min(limit, self.offset + amount)]
        self.offset += len(chunk)
        return chunk

    def close(self):
        self.closed = True


class FakeS3:
    def __init__(self, data, etag, cuts=None, short=False):
        self.data = data
        self.etag = etag
        self.cuts = dict(cuts or {})  # range start -> bytes served before the cut (once)
        self.short = short
        self.calls = []
        self.lock = threading.Lock()

    def get_object(self, Bucket, Key, Range, IfMatch=None):
        first, last = (int(n) for n in Range.split('=')[1].split('-'))
        with self.lock:
            self.calls.append((first, last, IfMatch))
            cut = self.cuts.pop(first, None)
        if IfMatch is not None and IfMatch.strip('"') != self.etag:
            raise botocore_exceptions.ClientError({'Error': {'Code': 'PreconditionFailed', 'Message': 'etag'}}, 'GetObject')
        payload = self.data[first:last + 1]
        if self.short:
            payload = payload[:-1]
            cut = len(payload)
        return {'Body': Body(payload, cut)}


def download(tmp_path, data, etag, streams=4, block=MIB, check_etag=True, **fake):
    client = FakeS3(data, etag, **fake)
    bucket = cos_bucket.CosBucket('b', 'http://127.0.0.1:1', 'AKIA0000', 'secret0000', retries=3, client=client)
    path = str(tmp_path / 'out')
    handle = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        cos_bucket.RangedDownload(bucket, 'k', len(data), etag, handle, streams=streams, block=block, check_etag=check_etag).run()
    finally:
        os.close(handle)
    with open(path, 'rb') as result:
        return client, result.read()


def test_ranges_split_for_the_streams_on_part_boundaries():
    assert download_ranges(0) == []
    assert download_ranges(10 * MIB) == [(0, 10 * MIB)]
    assert download_ranges(1024 * MIB, 4, 8 * MIB) == [(i * 256 * MIB, (i + 1) * 256 * MIB) for i in range(4)]
    # 100 MiB in 8 MiB parts: 13 parts, 4 ranges of 4 parts at most, each starting on a part boundary.
    ranges = download_ranges(100 * MIB, 4, 8 * MIB)
    assert [start % (8 * MIB) for start, dummy in ranges] == [0] * len(ranges)
    assert ranges[0][0] == 0 and ranges[-1][1] == 100 * MIB and len(ranges) == 4
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    # Small objects take fewer streams; huge ones more ranges than streams.
    assert len(download_ranges(40 * MIB, 4)) == 2
    assert len(download_ranges(4096 * MIB, 4)) == 8


def test_multipart_object_in_parallel_ranges_checks_the_etag(tmp_path):
    data = os.urandom(40 * MIB + 123)
    etag = s3_etag([data], 8 * MIB)[0]
    client, got = download(tmp_path, data, etag)
    assert got == data
    assert len(client.calls) == 2  # two ranges of at least 16 MiB, no more GETs than that
    assert all(call[2] == '"%s"' % etag for call in client.calls)


def test_a_cut_range_resumes_where_it_stopped(tmp_path):
    data = os.urandom(40 * MIB)
    etag = s3_etag([data], 8 * MIB)[0]
    client, got = download(tmp_path, data, etag, cuts={0: 3 * MIB + 5})
    assert got == data
    starts = sorted(call[0] for call in client.calls)
    # Asked again from the first byte not written: the block the cut interrupted is read again, nothing more.
    assert starts == [0, 3 * MIB, 24 * MIB]


def test_a_single_part_object_is_checked_against_its_md5(tmp_path):
    data = os.urandom(3 * MIB)
    client, got = download(tmp_path, data, hashlib.md5(data).hexdigest(), block=MIB // 3)
    assert got == data and len(client.calls) == 1
    big = os.urandom(48 * MIB)  # several ranges: the MD5 is computed from the file afterwards
    client, got = download(tmp_path, big, hashlib.md5(big).hexdigest())
    assert got == big and len(client.calls) == 3


def test_other_part_sizes_the_etag_allows_are_tried(tmp_path):
    data = os.urandom(10 * MIB)
    etag = s3_etag([data], 5 * MIB)[0]  # "-2": 8 MiB parts are tried first, then 5 MiB
    dummy, got = download(tmp_path, data, etag)
    assert got == data


def test_bytes_that_do_not_match_the_etag_fail(tmp_path):
    data = os.urandom(20 * MIB)
    wrong = s3_etag([data[::-1]], 8 * MIB)[0]
    client = FakeS3(data, wrong)
    client.etag = wrong
    with pytest.raises(cos_bucket.CosError, match='ChecksumMismatch'):
        download(tmp_path, data, wrong)


def test_a_connection_cut_every_time_fails_after_the_retries(tmp_path, monkeypatch):
    monkeypatch.setattr(cos_bucket.time, 'sleep', lambda seconds: None)
    data = os.urandom(2 * MIB)
    with pytest.raises(cos_bucket.CosError, match='GET s3://b/k failed'):
        download(tmp_path, data, hashlib.md5(data).hexdigest(), short=True)


def test_by_default_only_a_download_in_one_range_is_hashed(tmp_path):
    data = os.urandom(40 * MIB)
    wrong = s3_etag([data[::-1]], 8 * MIB)[0]
    dummy, got = download(tmp_path, data, wrong, check_etag=None)  # two ranges: size and If-Match only
    assert got == data
    small = os.urandom(MIB)
    with pytest.raises(cos_bucket.CosError, match='ChecksumMismatch'):
        download(tmp_path, small, hashlib.md5(b'other').hexdigest(), check_etag=None)


def test_an_object_replaced_meanwhile_fails_with_precondition(tmp_path):
    data = os.urandom(MIB)
    client = FakeS3(data, 'another')
    bucket = cos_bucket.CosBucket('b', 'http://127.0.0.1:1', 'AKIA0000', 'secret0000', client=client)
    handle = os.open(str(tmp_path / 'out'), os.O_RDWR | os.O_CREAT)
    try:
        with pytest.raises(cos_bucket.CosError, match='PreconditionFailed'):
            cos_bucket.RangedDownload(bucket, 'k', len(data), hashlib.md5(data).hexdigest(), handle).run()
    finally:
        os.close(handle)


def test_an_empty_object_needs_no_request(tmp_path):
    client, got = download(tmp_path, b'', hashlib.md5(b'').hexdigest())
    assert got == b'' and client.calls == []
