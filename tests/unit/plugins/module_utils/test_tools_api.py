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


# ---- the Manage probe: "down" needs confirming reads, a 429 is waited out -----------------------

class _Answer:
    def __init__(self, status, retry_after=None):
        self.status_code = status
        self.headers = {'Retry-After': retry_after} if retry_after is not None else {}

    def close(self):
        pass


class _ScriptedClient:
    """Answers the probe from a script: a status, (status, Retry-After) or 'drop'; then 200s."""

    def __init__(self, script, retries=5, max_wait=120.0):
        from ansible_collections.mas.dedicated.plugins.module_utils.retry import RetryPolicy
        self.script = list(script)
        self.retry = RetryPolicy(retries=retries, max_wait=max_wait)
        self.secrets = ()
        self.sent = 0

    def call_name(self, method, path):
        return '%s %s' % (method, path)

    def request(self, method, path, params=None, retries=True, expect=(200,)):
        from ansible_collections.mas.dedicated.plugins.module_utils.http_client import MasApiError
        assert retries is False and 429 in expect and 503 in expect
        self.sent += 1
        step = self.script.pop(0) if self.script else 200
        if step == 'drop':
            raise MasApiError('GET /maximo/api/systeminfo', detail='RemoteDisconnected', kind='connection')
        status, retry_after = step if isinstance(step, tuple) else (step, None)
        return _Answer(status, retry_after)


def _probe(script, **kwargs):
    from ansible_collections.mas.dedicated.plugins.module_utils.tools_api import ManageProbe
    sleeps = []
    client = _ScriptedClient(script, **kwargs)
    return ManageProbe(client, sleep=sleeps.append), client, sleeps


@pytest.mark.parametrize('blip', [503, 502, 504, 'drop', (429, '2')])
def test_one_blip_is_not_down(blip):
    probe, client, sleeps = _probe([blip, 200])
    assert probe.state() == 'running'
    assert client.sent == 2
    assert sleeps == ([2.0] if isinstance(blip, tuple) else [1.0])


def test_down_is_confirmed_by_three_more_spaced_reads():
    probe, client, sleeps = _probe([503] * 10)
    assert probe.state() == 'down'
    assert client.sent == 4 and sleeps == [1.0, 2.0, 4.0]
    assert probe.last == 'HTTP 503'


def test_confirmation_stays_within_retries_and_retry_max_wait():
    probe, client, dummy = _probe([503] * 10, retries=1)
    assert probe.state() == 'down' and client.sent == 2
    probe, client, dummy = _probe([503] * 10, retries=0)
    assert probe.state() == 'down' and client.sent == 1
    probe, client, sleeps = _probe([503] * 10, max_wait=2.5)
    assert probe.state() == 'down' and sleeps == [1.0]


def test_while_waiting_one_down_answer_is_enough_to_keep_polling():
    probe, client, dummy = _probe([503] * 10)
    assert probe.state(confirm_down=False) == 'down' and client.sent == 1


def test_rate_limiting_is_waited_out_then_fails_the_task():
    from ansible_collections.mas.dedicated.plugins.module_utils.http_client import MasApiError
    probe, client, sleeps = _probe([(429, '3')] * 10, retries=2)
    with pytest.raises(MasApiError) as caught:
        probe.state()
    assert caught.value.status == 429 and client.sent == 3 and sleeps == [3.0, 3.0]
    assert 'after 3 attempts' in str(caught.value)


def test_other_answers_are_errors_not_states():
    from ansible_collections.mas.dedicated.plugins.module_utils.http_client import MasApiError

    class Refusing(_ScriptedClient):
        def request(self, *args, **kwargs):
            raise MasApiError('GET /maximo/api/systeminfo', status=401)
    from ansible_collections.mas.dedicated.plugins.module_utils.tools_api import ManageProbe
    with pytest.raises(MasApiError):
        ManageProbe(Refusing([])).state()
