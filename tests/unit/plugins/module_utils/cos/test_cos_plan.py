# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_plan import (
    MIB, days_until_purge, endpoint_url, file_etag, part_size_for_upload, part_sizes_for, plan_sync, purge_days, s3_etag, same_content, selected)


def test_endpoints_follow_the_ibm_cos_naming():
    assert endpoint_url('us-east') == 'https://s3.us-east.cloud-object-storage.appdomain.cloud'
    assert endpoint_url('eu-de', 'direct') == 'https://s3.direct.eu-de.cloud-object-storage.appdomain.cloud'
    assert endpoint_url('eu-de', 'private') == 'https://s3.private.eu-de.cloud-object-storage.appdomain.cloud'
    with pytest.raises(ValueError, match="give 'region'"):
        endpoint_url(None)


def test_single_part_etag_is_the_md5():
    data = b'x' * 1000
    assert s3_etag([data[:10], data[10:]], part_size=MIB) == (hashlib.md5(data).hexdigest(),) * 2


def test_multipart_etag_is_md5_of_part_md5s_regardless_of_chunking():
    data = bytes(range(256)) * (4096 * 3 + 7)  # about 3 MiB
    parts = [data[i:i + MIB] for i in range(0, len(data), MIB)]
    expected = '%s-%d' % (hashlib.md5(b''.join(hashlib.md5(p).digest() for p in parts)).hexdigest(), len(parts))
    odd_chunks = [data[i:i + 777777] for i in range(0, len(data), 777777)]
    assert s3_etag(odd_chunks, part_size=MIB)[0] == expected
    assert s3_etag(odd_chunks, part_size=MIB)[1] == hashlib.md5(data).hexdigest()


def test_exactly_one_part_is_single_part_and_empty_file_is_md5_of_nothing():
    assert s3_etag([b'a' * MIB], part_size=MIB)[0] == hashlib.md5(b'a' * MIB).hexdigest()
    assert s3_etag([], part_size=MIB)[0] == hashlib.md5(b'').hexdigest()


def test_file_etag(tmp_path):
    path = tmp_path / 'f'
    path.write_bytes(b'abc' * 1000)
    assert file_etag(str(path)) == hashlib.md5(b'abc' * 1000).hexdigest()
    assert file_etag(str(path), 1024).endswith('-3')


def test_part_sizes_guessed_from_the_etag_likeliest_first():
    assert part_sizes_for(10 * MIB, 'abc') == [None]
    assert part_sizes_for(10 * MIB, '"abc-2"') == [8 * MIB, 5 * MIB]
    assert part_sizes_for(200 * MIB, 'abc-4') == [64 * MIB, 50 * MIB]
    assert part_sizes_for(200 * MIB, 'abc-13') == [16 * MIB]
    assert part_sizes_for(200 * MIB, 'abc-25') == [8 * MIB]


def test_upload_part_size_stays_within_the_part_limit():
    assert part_size_for_upload(10 * MIB) == 8 * MIB
    assert part_size_for_upload(80000 * MIB) == 8 * MIB
    assert part_size_for_upload(80001 * MIB) == 9 * MIB
    assert -(-(1 << 40) // part_size_for_upload(1 << 40)) <= 10000
    assert part_sizes_for(3 * MIB + 1, 'abc-4') == [1 * MIB]


def test_same_content_reads_the_file_only_when_sizes_agree():
    calls = []

    def etag(part):
        calls.append(part)
        return 'e-2' if part == 5 * MIB else 'other'
    assert not same_content({'size': 1, 'etag': etag}, {'size': 2, 'etag': 'e-2'})
    assert calls == []
    assert same_content({'size': 10 * MIB, 'etag': etag}, {'size': 10 * MIB, 'etag': 'e-2'})
    assert calls == [8 * MIB, 5 * MIB]


def test_plan_upload_with_delete():
    local = {'a': {'size': 1, 'etag': 'x'}, 'b': {'size': 2, 'etag': 'y'}, 'c': {'size': 3, 'etag': 'z'}}
    remote = {'a': {'size': 1, 'etag': 'x'}, 'b': {'size': 2, 'etag': 'CHANGED'}, 'gone': {'size': 9, 'etag': 'q'}}
    assert plan_sync(local, remote, 'upload', delete=True) == {
        'upload': ['b', 'c'], 'delete': ['gone'], 'skip': ['a']}
    assert plan_sync(local, remote, 'upload')['delete'] == []


def test_plan_download_mirrors_the_bucket():
    local = {'a': {'size': 1, 'etag': lambda part: 'x'}, 'old': {'size': 1, 'etag': 'o'}}
    remote = {'a': {'size': 1, 'etag': 'x'}, 'new': {'size': 5, 'etag': 'n'}}
    assert plan_sync(local, remote, 'download', delete=True) == {'download': ['new'], 'delete': ['old'], 'skip': ['a']}


def test_filters():
    assert selected('packages/a.zip', ['*.zip'], None)
    assert not selected('notes/a.txt', ['*.zip'], None)
    assert not selected('packages/tmp.zip', None, ['*/tmp*'])
    assert selected('x', None, None)


def test_purge_periods_of_the_support_guide():
    assert purge_days('custfile') == 15 and purge_days('logs') == 30
    assert purge_days('other') is None and purge_days('logs', 7) == 7
    now = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)
    assert days_until_purge(now - timedelta(days=10), 15, now) == 5
    assert days_until_purge(now - timedelta(days=10, hours=1), 15, now) == 4
    assert days_until_purge(now - timedelta(days=40), 30, now) == 0
    assert days_until_purge(now, None, now) is None
