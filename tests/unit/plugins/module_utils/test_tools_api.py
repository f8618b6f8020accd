# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from datetime import datetime, timezone

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.tools_api import (
    filter_logs, normalize_log_list, parse_since, parse_time, pick_new_log, plan_manage_state)

LISTING = [
    {'name': 'icheckerreport20261122100000000.log', 'size': 10, 'timestamp': '2026-11-22T10:00:00Z'},
    {'name': 'icheckerrepair20261122110000000.log', 'size': '20', 'timestamp': '2026-11-22T11:00:00Z'},
    {'name': 'icheckerreport20261120090000000.log', 'size': 30, 'timestamp': '2026-11-20T09:00:00Z'},
]


def test_listing_is_normalized_and_sorted_oldest_first():
    logs = normalize_log_list(LISTING)
    assert [e['name'][:14] for e in logs] == ['icheckerreport', 'icheckerreport', 'icheckerrepair']
    assert logs[2]['size'] == 20
    assert logs[0]['timestamp'] == '2026-11-20T09:00:00Z'


@pytest.mark.parametrize('shape', [
    {'logs': ['a.log', 'b.log']},
    ['a.log', {'logfile': 'b.log'}],
    {'member': [{'filename': 'a.log'}, {'name': 'b.log'}, {'size': 3}, 42]},
])
def test_other_listing_shapes_are_tolerated(shape):
    assert sorted(e['name'] for e in normalize_log_list(shape)) == ['a.log', 'b.log']


def test_unknown_wrapper_gives_nothing_rather_than_garbage():
    assert normalize_log_list({'unexpected': 1}) == []
    assert normalize_log_list(None) == []


def test_filter_by_pattern_and_age():
    logs = normalize_log_list(LISTING)
    since = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)
    assert [e['size'] for e in filter_logs(logs, 'icheckerreport*', since)] == [10]
    assert len(filter_logs(logs)) == 3


def test_new_log_prefers_the_announced_name_then_the_newest_with_the_prefix():
    logs = normalize_log_list(LISTING)
    known = {'icheckerreport20261120090000000.log'}
    assert pick_new_log(logs, known, expected='icheckerreport20261122100000000.log')['size'] == 10
    assert pick_new_log(logs, known, expected='missing.log', prefix='icheckerrepair')['size'] == 20
    assert pick_new_log(logs, set(e['name'] for e in logs), prefix='icheckerreport') is None


def test_times_in_several_forms():
    assert parse_time('2026-11-22T10:00:00Z') == datetime(2026, 11, 22, 10, tzinfo=timezone.utc)
    assert parse_time('2026-11-22T10:00:00') == datetime(2026, 11, 22, 10, tzinfo=timezone.utc)
    assert parse_time(1795355100000) == parse_time(1795355100)
    assert parse_time('yesterday') is None


def test_since_relative_and_absolute():
    now = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)
    assert parse_since('90m', now) == datetime(2026, 11, 22, 10, 30, tzinfo=timezone.utc)
    assert parse_since('2d', now) == datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
    assert parse_since('2026-11-01T00:00:00Z', now).day == 1
    with pytest.raises(ValueError, match='neither an ISO-8601 time nor an age'):
        parse_since('last tuesday', now)


@pytest.mark.parametrize('current,wanted,actions', [
    ('running', 'started', []),
    ('down', 'started', ['start']),
    ('running', 'stopped', ['stop']),
    ('down', 'stopped', []),
    ('running', 'restarted', ['stop', 'start']),
    ('down', 'restarted', ['start']),
])
def test_manage_plan(current, wanted, actions):
    assert plan_manage_state(current, wanted) == actions
