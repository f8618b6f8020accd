# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from datetime import datetime, timedelta, timezone

from ansible_collections.mas.dedicated.plugins.module_utils.tools.log_collection import BundleWatch, new_bundles, parse_request_id
from ansible_collections.mas.dedicated.tests.unit.fake_clock import FakeClock

T0 = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)


def test_request_id_carries_the_request_time():
    request_id, when = parse_request_id({'return': '1001-1795355100000'})
    assert request_id == '1001-1795355100000'
    assert when == datetime.fromtimestamp(1795355100, tz=timezone.utc)


def test_unreadable_answer_falls_back_to_now():
    assert parse_request_id({}, now=T0) == (None, T0)
    assert parse_request_id({'return': 'odd'}, now=T0) == ('odd', T0)


def test_bundles_are_new_objects_written_after_the_request():
    listing = [
        {'key': 'old.zip', 'last_modified': T0 - timedelta(days=1)},
        {'key': 'b.zip', 'last_modified': T0 + timedelta(seconds=30)},
        {'key': 'known.zip', 'last_modified': T0 + timedelta(seconds=30)},
        {'key': 'a.zip', 'last_modified': T0 - timedelta(minutes=2)},  # within the clock skew
    ]
    assert [b['key'] for b in new_bundles(listing, {'known.zip'}, T0)] == ['a.zip', 'b.zip']


def test_watch_waits_for_the_expected_count():
    watch = BundleWatch(expected=2, clock=FakeClock())
    assert not watch.done([])
    assert not watch.done([{'key': 'a'}])
    assert watch.done([{'key': 'a'}, {'key': 'b'}])


def test_watch_settles_when_nothing_new_arrives():
    clock = FakeClock()
    watch = BundleWatch(settle=10, clock=clock)
    assert not watch.done([{'key': 'a'}])
    clock.now = 5
    assert not watch.done([{'key': 'a'}, {'key': 'b'}])
    clock.now = 14
    assert not watch.done([{'key': 'a'}, {'key': 'b'}])
    clock.now = 15
    assert watch.done([{'key': 'a'}, {'key': 'b'}])
