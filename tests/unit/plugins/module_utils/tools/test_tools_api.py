# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from datetime import datetime, timezone

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
from ansible_collections.mas.dedicated.plugins.module_utils.tools.integrity_checker import summarize_files
from ansible_collections.mas.dedicated.plugins.module_utils.tools.tools_api import (
    ToolsApi, filter_logs, normalize_log_list, parse_since, parse_time, pick_new_log, plan_manage_state)
from ansible_collections.mas.dedicated.plugins.module_utils.common.waiting import WaitTimeout

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


class _Response:
    def __init__(self, text):
        self.text = text
        self.encoding = 'utf-8'


class _FakeTools:
    """A Tools API whose run log grows by the given texts, one per fetch, then stays as the last."""

    def __init__(self, answer, texts, listing=None, files=None):
        self.answer = answer
        self.texts = list(texts)
        self.listing = listing or []
        self.files = files or {}
        self.started = False
        self.fetches = 0

    def post_json(self, path, **kwargs):
        self.started = True
        return self.answer

    def get_json(self, path, params=None):
        return self.listing if self.started else []

    def request(self, method, path, params=None, **kwargs):
        name = params['logfile']
        if name in self.files:
            return _Response(self.files[name])
        if name != self.listing[0]['name']:
            raise MasApiError('GET /toolservice/toolslog', status=404, detail='no such log')
        self.fetches += 1
        return _Response(self.texts.pop(0) if len(self.texts) > 1 else self.texts[0])


def _tools(fake):
    clock = [0.0]
    return ToolsApi(fake, sleep=lambda s: clock.__setitem__(0, clock[0] + s), clock=lambda: clock[0])


LOG = 'icheckerreport20261201000000000.log'
STARTED = 'BMXAA0354I - Integrity Checker started in REPORT mode\n'
FINDING = 'ERROR BMXAA0491E - Attribute ASSET.ASSETTAG: length differs.\n'


def test_a_log_without_summary_line_is_complete_once_it_stops_growing():
    fake = _FakeTools({'logfile': LOG}, [STARTED, STARTED + FINDING, STARTED + FINDING + FINDING],
                      listing=[{'name': LOG, 'size': 1}])
    run = _tools(fake).run_integrity_check('report', timeout=60, interval=1, stable_polls=3)
    assert run['completion'] == 'inferred'
    assert run['text'] == STARTED + FINDING + FINDING
    assert fake.fetches == 6  # three growing, then three more unchanged
    assert run['found_by'] == 'answer' and run['lis'] is None


def test_a_summary_line_ends_the_wait_at_once_and_both_files_are_read():
    done = STARTED + 'BMXAA0356I - Integrity Checker completed: 1 errors, 0 warnings.\n'
    lis = LOG[:-4] + '.lis'
    fake = _FakeTools({'logfile': LOG, 'lisfile': lis}, [done], listing=[{'name': LOG}], files={lis: FINDING})
    run = _tools(fake).run_integrity_check('report', timeout=60, interval=1)
    assert run['completion'] == 'summary' and fake.fetches == 1
    assert run['lis'] == {'name': lis, 'text': FINDING}
    summary = summarize_files(run['text'], run['lis']['text'])
    assert summary['errors'] == 1 and summary['reported_totals'] == {'errors': 1, 'warnings': 0}


def test_a_missing_listing_file_is_none_and_the_fallback_name_is_used():
    name = 'IntegrityChecker20261201.log'
    fake = _FakeTools({'lisfile': 'gone.lis'}, [STARTED], listing=[{'name': name}])
    fake.listing[0]['name'] = name
    run = _tools(fake).run_integrity_check('report', timeout=60, interval=1, stable_polls=2)
    assert run['found_by'] == 'fallback' and run['log']['name'] == name
    assert run['completion'] == 'inferred' and run['lis'] == {'name': 'gone.lis', 'text': None}


def test_waiting_for_the_summary_line_only_times_out_without_one():
    fake = _FakeTools({'logfile': LOG}, [STARTED], listing=[{'name': LOG}])
    with pytest.raises(WaitTimeout):
        _tools(fake).run_integrity_check('report', timeout=5, interval=1, stable_polls=0)


def test_a_line_in_both_files_counts_once():
    both = summarize_files(STARTED + FINDING, FINDING + 'WARNING BMXAA0495W - Index X missing.\n')
    assert (both['errors'], both['warnings']) == (1, 1)
    assert summarize_files(STARTED + FINDING, None)['errors'] == 1


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
        from ansible_collections.mas.dedicated.plugins.module_utils.common.retry import RetryPolicy
        self.script = list(script)
        self.retry = RetryPolicy(retries=retries, max_wait=max_wait)
        self.secrets = ()
        self.sent = 0

    def call_name(self, method, path):
        return '%s %s' % (method, path)

    def request(self, method, path, params=None, retries=True, expect=(200,)):
        from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
        assert retries is False and 429 in expect and 503 in expect
        self.sent += 1
        step = self.script.pop(0) if self.script else 200
        if step == 'drop':
            raise MasApiError('GET /maximo/api/systeminfo', detail='RemoteDisconnected', kind='connection')
        status, retry_after = step if isinstance(step, tuple) else (step, None)
        return _Answer(status, retry_after)


def _probe(script, **kwargs):
    from ansible_collections.mas.dedicated.plugins.module_utils.tools.tools_api import ManageProbe
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
    from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
    probe, client, sleeps = _probe([(429, '3')] * 10, retries=2)
    with pytest.raises(MasApiError) as caught:
        probe.state()
    assert caught.value.status == 429 and client.sent == 3 and sleeps == [3.0, 3.0]
    assert 'after 3 attempts' in str(caught.value)


def test_other_answers_are_errors_not_states():
    from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError

    class Refusing(_ScriptedClient):
        def request(self, *args, **kwargs):
            raise MasApiError('GET /maximo/api/systeminfo', status=401)
    from ansible_collections.mas.dedicated.plugins.module_utils.tools.tools_api import ManageProbe
    with pytest.raises(MasApiError):
        ManageProbe(Refusing([])).state()
