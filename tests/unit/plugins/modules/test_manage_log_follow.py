# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""manage_log_level's follow of the live log (wsmethod:streamLog) through main(), against the in-process sandbox."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import json
import os
import stat
import threading
import time
import urllib.request

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.manage.log_stream import log_text
from ansible_collections.mas.dedicated.plugins.modules import manage_log_level

SQL = 'log4j.logger.maximo.sql'
STREAM = ('GET', '/maximo/api/service/logging')


def args(sandbox, dest, **extra):
    result = {'instance': 'acme', 'production': True, 'api_key': sandbox.api_key, 'manage_url': sandbox.url,
              'retries': 2, 'loggers': [{'logger': SQL, 'level': 'DEBUG'}], 'follow_seconds': 2, 'api': 'object_structure',
              'follow_interval': 0.5, 'follow_dest': str(dest)}
    result.update(extra)
    return result


def get(sandbox, path):
    request = urllib.request.Request(sandbox.url + path, headers={'apikey': sandbox.api_key})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read()


class Grower(threading.Thread):
    """Makes the sandbox log grow while the module follows it: marker lines and object-structure reads."""

    def __init__(self, sandbox, count=6, pause=0.2, then=None, applied=True):
        super(Grower, self).__init__()
        self.sandbox, self.count, self.pause, self.then, self.applied = sandbox, count, pause, then, applied
        self.daemon = True

    def started_following(self):
        """The baseline read was made (and, with loggers, the settings applied)."""
        sent = self.sandbox.sent()
        return STREAM in sent and (not self.applied or self.sandbox.app.component('manage_objects').logging_applied)

    def run(self):
        deadline = time.monotonic() + 10
        while not self.started_following() and time.monotonic() < deadline:
            time.sleep(0.02)
        log = self.sandbox.app.component('manage_log')
        for number in range(self.count):
            with self.sandbox.app.lock:
                log.add('INFO', 'test', 'GROW-%d' % number)
            get(self.sandbox, '/maximo/api/os/mxapilogger?lean=1&oslc.select=logkey')
            time.sleep(self.pause)
            if self.then and number == 1:
                self.then()


def lines_of(path):
    with open(path) as handle:
        return handle.read().splitlines()


def test_the_follow_writes_each_new_line_once_after_the_levels_are_applied(run_module, sandbox, tmp_path):
    dest = tmp_path / 'diag' / 'follow.log'
    get(sandbox, '/maximo/api/systeminfo')   # logged before the task: must not reach the file
    grower = Grower(sandbox)
    grower.start()
    outcome = run_module(manage_log_level, args(sandbox, dest))
    grower.join()
    assert not outcome.failed, outcome.result.get('msg')
    follow = outcome.result['follow']
    lines = lines_of(str(dest))
    grown = [line for line in lines if 'GROW-' in line]
    assert [line.rsplit(' ', 1)[-1] for line in grown] == ['GROW-%d' % n for n in range(6)]
    assert not any('/maximo/api/systeminfo' in line for line in lines)
    # The levels were in effect: the applied change, and the SQL lines of the reads made at DEBUG.
    assert any('Logger %s: level ERROR -> DEBUG' % SQL in line for line in lines)
    assert sum('select * from MXAPILOGGER' in line for line in lines) == 6
    assert len(lines) == len(set(lines)) == follow['lines']
    data = dest.read_bytes()
    assert follow['followed'] and follow['bytes'] == len(data) and follow['sha256'] == hashlib.sha256(data).hexdigest()
    assert follow['dest'] == str(dest) and follow['gaps'] == 0 and follow['polls'] == 5
    assert stat.S_IMODE(os.stat(str(dest)).st_mode) == 0o600
    assert outcome.result['changed'] and outcome.result['previous'] == [{'logger': SQL, 'level': 'ERROR', 'active': True}]
    assert sandbox.api_key not in data.decode()
    assert os.listdir(str(dest.parent)) == ['follow.log']


def test_the_log_is_read_before_any_write_and_followed_after_the_apply(run_module, sandbox, tmp_path):
    outcome = run_module(manage_log_level, args(sandbox, tmp_path / 'f.log', follow_seconds=1, follow_interval=0.5))
    assert not outcome.failed, outcome.result.get('msg')
    sent = sandbox.sent()
    posts = [i for i, call in enumerate(sent) if call[0] == 'POST']
    reads = [i for i, call in enumerate(sent) if call == STREAM]
    assert len(posts) == 2 and reads[0] < posts[0] and len([r for r in reads if r > posts[1]]) == 2
    assert outcome.result['follow']['polls'] == len(reads) == 3
    # As the public client reads it: GET, action and lean=1 in the query, the apikey header, no body.
    entries = [e for e in sandbox.app.requests.listing() if (e['method'], e['path']) == STREAM]
    for entry in entries:
        assert sorted(entry['query'].split('&')) == ['action=wsmethod%3AstreamLog', 'lean=1']
        assert 'apikey' in entry['headers'] and 'content-type' not in entry['headers']
        assert 'content-length' not in entry['headers']


def test_a_rolling_log_and_a_rotation_are_followed(run_module, sandbox, tmp_path):
    sandbox.app.update_config({'manage_log_lines': 5})
    log = sandbox.app.component('manage_log')

    def rotate():
        with sandbox.app.lock:
            log.rotate()
    grower = Grower(sandbox, count=8, pause=0.25, then=rotate, applied=False)
    grower.start()
    dest = tmp_path / 'f.log'
    outcome = run_module(manage_log_level, args(sandbox, dest, follow_seconds=3, loggers=[]))
    grower.join()
    assert not outcome.failed, outcome.result.get('msg')
    lines = lines_of(str(dest))
    grown = [line.rsplit(' ', 1)[-1] for line in lines if 'GROW-' in line]
    assert outcome.result['follow']['gaps'] >= 1 and sum('rotated or truncated' in line for line in lines) >= 1
    assert grown[-1] == 'GROW-7' and len(grown) == len(set(grown))
    assert outcome.result['loggers'] == [] and outcome.result['previous'] == []
    assert sandbox.sent('POST') == []


def test_a_partial_last_line_is_written_whole(run_module, sandbox, tmp_path):
    log = sandbox.app.component('manage_log')

    def write_partial():  # into the first (only) pod's log
        time.sleep(0.3)
        with sandbox.app.lock:
            log.append_text('first half ')
        time.sleep(0.6)
        with sandbox.app.lock:
            log.append_text('second half\nlast without newline')
    thread = threading.Thread(target=write_partial)
    thread.start()
    dest = tmp_path / 'f.log'
    outcome = run_module(manage_log_level, args(sandbox, dest, follow_seconds=2, loggers=[]))
    thread.join()
    assert not outcome.failed, outcome.result.get('msg')
    lines = lines_of(str(dest))
    assert lines[-2:] == ['first half second half', 'last without newline']


def test_reads_served_by_two_pods_in_turn_are_each_followed(run_module, sandbox, tmp_path):
    sandbox.app.update_config({'manage_log_pods': 2})
    grower = Grower(sandbox, count=6, applied=False)
    grower.start()
    dest = tmp_path / 'f.log'
    outcome = run_module(manage_log_level, args(sandbox, dest, loggers=[]))
    grower.join()
    assert not outcome.failed, outcome.result.get('msg')
    lines = lines_of(str(dest))
    grown = sorted(line.rsplit(' ', 1)[-1] for line in lines if 'GROW-' in line)
    assert grown == ['GROW-%d' % n for n in range(6)]
    # The second pod's log was new at the first read that reached it: one gap, and its lines from before then.
    assert outcome.result['follow']['gaps'] == 1 and len(lines) == len(set(lines))
    assert sandbox.app.component('manage_log').reads == outcome.result['follow']['polls']


def test_check_mode_follows_nothing(run_module, sandbox, tmp_path):
    dest = tmp_path / 'f.log'
    outcome = run_module(manage_log_level, args(sandbox, dest, _ansible_check_mode=True))
    assert not outcome.failed and outcome.result['changed']
    assert outcome.result['follow'] == {'followed': False, 'dest': str(dest)}
    assert STREAM not in sandbox.sent() and sandbox.sent('POST') == []
    assert not dest.exists() and os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize('label,dest,extra,message', [
    ('a directory', '{t}', {}, 'is a directory'),
    ('under a file', '{t}/afile/x.log', {}, 'afile'),
    ('a newline', '{t}/a\nb.log', {}, 'control character'),
    ('missing', None, {}, 'follow_seconds needs follow_dest'),
    ('without seconds', '{t}/f.log', {'follow_seconds': 0}, 'follow_dest is only used with follow_seconds'),
    ('seconds out of range', '{t}/f.log', {'follow_seconds': 3601}, 'follow_seconds must be between 0 and 3600'),
    ('interval out of range', '{t}/f.log', {'follow_interval': 0.1}, 'follow_interval must be between 0.5 and 300'),
])
def test_bad_follow_options_are_refused_with_nothing_sent(run_module, sandbox, tmp_path, label, dest, extra, message):
    (tmp_path / 'afile').write_text('x')
    before = sorted(os.listdir(str(tmp_path)))
    given = args(sandbox, '', **extra)
    given['follow_dest'] = dest.format(t=tmp_path) if dest else None
    outcome = run_module(manage_log_level, given)
    assert outcome.failed and message in outcome.result['msg'], (label, outcome.result['msg'])
    assert sandbox.sent() == [] and sorted(os.listdir(str(tmp_path))) == before


def test_an_unwritable_directory_is_refused_before_anything_is_sent(run_module, sandbox, tmp_path):
    if os.geteuid() == 0:
        pytest.skip('root writes everywhere')
    locked = tmp_path / 'locked'
    locked.mkdir()
    locked.chmod(0o500)
    try:
        outcome = run_module(manage_log_level, args(sandbox, locked / 'f.log'))
    finally:
        locked.chmod(0o700)
    assert outcome.failed and 'not writable' in outcome.result['msg'] and sandbox.sent() == []


def test_one_503_during_the_follow_is_retried(run_module, sandbox, tmp_path):
    def fault():
        sandbox.app.faults.add({'method': 'GET', 'path': STREAM[1], 'status': 503, 'count': 1})
    grower = Grower(sandbox, count=4, then=fault)
    grower.start()
    dest = tmp_path / 'f.log'
    outcome = run_module(manage_log_level, args(sandbox, dest, follow_seconds=3, retries=2))
    grower.join()
    assert not outcome.failed, outcome.result.get('msg')
    statuses = [e['status'] for e in sandbox.app.requests.listing() if (e['method'], e['path']) == STREAM]
    assert 503 in statuses and statuses[-1] == 200
    grown = [line.rsplit(' ', 1)[-1] for line in lines_of(str(dest)) if 'GROW-' in line]
    assert grown == ['GROW-%d' % n for n in range(4)]


def test_a_persistent_failure_leaves_no_file_and_returns_what_to_restore(run_module, sandbox, tmp_path):
    def fault():
        sandbox.app.faults.add({'method': 'GET', 'path': STREAM[1], 'status': 503, 'count': -1})
    grower = Grower(sandbox, count=3, then=fault)
    grower.start()
    dest = tmp_path / 'f.log'
    dest.write_text('the previous follow\n')
    outcome = run_module(manage_log_level, args(sandbox, dest, follow_seconds=3, retries=1, retry_max_wait=2))
    grower.join()
    assert outcome.failed
    assert outcome.result['msg'].startswith('the loggers were set but following the live log failed (%s left as it '
                                            'was): GET /maximo/api/service/logging failed: HTTP 503' % dest)
    assert outcome.result['changed'] is True and outcome.result['applied'] is True
    assert outcome.result['previous'] == [{'logger': SQL, 'level': 'ERROR', 'active': True}]
    assert outcome.result['error']['status'] == 503
    assert dest.read_text() == 'the previous follow\n' and os.listdir(str(tmp_path)) == ['f.log']


def test_a_log_that_cannot_be_read_changes_no_logger(run_module, sandbox, tmp_path):
    sandbox.app.faults.add({'method': 'GET', 'path': STREAM[1], 'status': 503, 'count': -1})
    outcome = run_module(manage_log_level, args(sandbox, tmp_path / 'f.log', retries=0))
    assert outcome.failed and outcome.result['msg'].startswith('reading the live log failed, so no logger was written')
    assert outcome.result['changed'] is False and sandbox.sent('POST') == []
    assert os.listdir(str(tmp_path)) == []


def test_an_html_page_is_not_taken_for_the_log(run_module, sandbox, tmp_path):
    sandbox.app.faults.add({'method': 'GET', 'path': STREAM[1], 'status': 200, 'count': -1,
                            'body': '<html><body>Log in</body></html>'})
    outcome = run_module(manage_log_level, args(sandbox, tmp_path / 'f.log'))
    assert outcome.failed and 'an HTML page, not log text' in outcome.result['msg']
    assert sandbox.sent('POST') == []


@pytest.mark.parametrize('content_type,text,expected', [
    ('text/plain; charset=utf-8', 'a\nb\n', 'a\nb\n'),
    (None, 'a\n', 'a\n'),
    ('application/json', json.dumps('a\nb\n'), 'a\nb\n'),
    ('application/json', json.dumps({'return': 'a\n'}), 'a\n'),
    ('application/json', 'not json\n', 'not json\n'),
    ('text/plain', '', ''),
])
def test_log_text_takes_the_shapes_the_client_would(content_type, text, expected):
    assert log_text(content_type, text) == expected


@pytest.mark.parametrize('content_type,text', [
    ('application/json', json.dumps({'member': []})),
    ('application/json', json.dumps(['a'])),
    ('text/html', 'anything'),
    ('text/plain', '  <!DOCTYPE html><html></html>'),
])
def test_log_text_refuses_what_is_no_log(content_type, text):
    with pytest.raises(ValueError):
        log_text(content_type, text)


def test_no_logger_and_no_follow_is_refused_with_nothing_sent(run_module, sandbox):
    outcome = run_module(manage_log_level, {'instance': 'acme', 'production': True, 'api_key': sandbox.api_key,
                                            'manage_url': sandbox.url, 'loggers': []})
    assert outcome.failed and 'loggers must name at least one logger' in outcome.result['msg']
    assert sandbox.sent() == []


def test_our_api_key_in_the_log_is_masked_in_the_file(run_module, sandbox, tmp_path):
    log = sandbox.app.component('manage_log')

    def leak():
        time.sleep(0.6)
        with sandbox.app.lock:
            log.add('DEBUG', 'maximo.rest', 'request header apikey %s' % sandbox.api_key)
    thread = threading.Thread(target=leak)
    thread.start()
    dest = tmp_path / 'f.log'
    outcome = run_module(manage_log_level, args(sandbox, dest, follow_seconds=2, loggers=[]))
    thread.join()
    assert not outcome.failed, outcome.result.get('msg')
    text = dest.read_text()
    assert 'request header apikey ********' in text and sandbox.api_key not in text


def test_the_file_being_written_is_registered_for_removal_on_an_interrupt(run_module, sandbox, tmp_path):
    from ansible_collections.mas.dedicated.plugins.module_utils.common import interrupts
    seen = []

    def watch():
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not seen:
            parts = [name for name in os.listdir(str(tmp_path)) if name.endswith('.part')]
            registered = [path for path in list(interrupts._temps) if os.path.basename(path) in parts]
            if registered:
                seen.extend(registered)
            time.sleep(0.05)
    thread = threading.Thread(target=watch)
    thread.start()
    outcome = run_module(manage_log_level, args(sandbox, tmp_path / 'f.log', follow_seconds=1, loggers=[]))
    thread.join()
    assert not outcome.failed and len(seen) == 1 and seen[0].startswith(str(tmp_path / '.f.log.'))
    assert not os.path.exists(seen[0]) and seen[0] not in interrupts._temps
