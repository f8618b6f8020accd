# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Tools API (non-production only) and the Manage liveness probe, with their waiting.

No job id comes back from the Tools API [client]: a run is followed by polling ``toolslog`` for a
new file, and Manage stop/start by probing ``/maximo/api/systeminfo`` [client].

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import fnmatch
import time
from datetime import datetime, timedelta, timezone

from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
from ansible_collections.mas.dedicated.plugins.module_utils.common.retry import parse_retry_after
from ansible_collections.mas.dedicated.plugins.module_utils.common.waiting import poll

TOOLSLOG = '/toolservice/toolslog'
ACTIONS = {
    'report': 'icheckerreport',
    'repair': 'icheckerrepair',
    'stop': 'managestop',
    'start': 'managestart',
}
SYSTEMINFO = '/maximo/api/systeminfo'
DOWN_STATUSES = (502, 503, 504)
CHUNK = 256 * 1024
# A log without the closing summary line counts as complete once it has not changed for this many polls in a row
# (no public sample of the integrity checker log shows what its last line is: unverified).
STABLE_POLLS = 3
# Words a tools log name of the integrity checker plausibly holds when the start call names no log (unverified).
FALLBACK_WORDS = ('icheck', 'integrity')


# ---- pure helpers -------------------------------------------------------------------------------

def parse_time(value):
    """An aware datetime from ISO-8601 text (``Z`` allowed) or epoch seconds/milliseconds; None if unreadable."""
    if value in (None, ''):
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000.0 if value > 1e11 else float(value)
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    text = str(value).strip()
    if text.isdigit():
        return parse_time(int(text))
    try:
        parsed = datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def normalize_log_list(data):
    """The toolslog listing as ``[{name, size, timestamp}]``, tolerant of the shapes seen in clients.

    Documented [client]: a JSON array of ``{"name", "size", "timestamp"}``; plain strings and an
    object wrapping the array (``logs`` / ``files`` / ``member``) are accepted too.
    """
    if isinstance(data, dict):
        for key in ('logs', 'files', 'member', 'toolslog'):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = []
    entries = []
    for item in data or []:
        if isinstance(item, str):
            item = {'name': item}
        if not isinstance(item, dict):
            continue
        name = item.get('name') or item.get('logfile') or item.get('filename')
        if not name:
            continue
        size = item.get('size')
        timestamp = item.get('timestamp') or item.get('modified') or item.get('time')
        when = parse_time(timestamp)
        entries.append({
            'name': str(name),
            'size': int(size) if isinstance(size, (int, float)) or (isinstance(size, str) and size.isdigit()) else None,
            'timestamp': when.isoformat().replace('+00:00', 'Z') if when else timestamp,
        })
    return sorted(entries, key=lambda e: (e['timestamp'] or '', e['name']))


def filter_logs(entries, pattern=None, newer_than=None):
    """Entries whose name matches the glob ``pattern`` and whose time is after ``newer_than`` (a datetime)."""
    result = []
    for entry in entries:
        if pattern and not fnmatch.fnmatch(entry['name'], pattern):
            continue
        if newer_than is not None:
            when = parse_time(entry['timestamp'])
            if when is None or when <= newer_than:
                continue
        result.append(entry)
    return result


def pick_new_log(entries, known_names, expected=None, prefix=None, words=()):
    """The log a run produced: the expected name if listed, else the newest unseen ``.log`` with the prefix, else
    (no name announced) the newest unseen ``.log`` whose name holds one of ``words``."""
    fresh = [e for e in entries if e['name'] not in known_names]
    if expected:
        for entry in fresh:
            if entry['name'] == expected:
                return entry
    if prefix:
        prefixed = [e for e in fresh if e['name'].lower().startswith(prefix) and not e['name'].lower().endswith('.lis')]
        if prefixed or expected:
            return prefixed[-1] if prefixed else None
        fresh = [e for e in fresh if any(w in e['name'].lower() for w in words) and not e['name'].lower().endswith('.lis')]
    return fresh[-1] if fresh else None


def _timing(sleep, clock):
    # Tests pass a fake clock and sleep; production code uses poll()'s real ones.
    return dict((k, v) for k, v in (('sleep', sleep), ('clock', clock)) if v is not None)


# ---- the API ------------------------------------------------------------------------------------

class ToolsApi:
    """Calls of the Tools API on an ``http.MasHttpClient`` whose base is the tools URL."""

    def __init__(self, client, sleep=None, clock=None):
        self.client = client
        self._timing = _timing(sleep, clock)

    def list_logs(self):
        return normalize_log_list(self.client.get_json(TOOLSLOG))

    def log_text(self, name):
        response = self.client.request('GET', TOOLSLOG, params={'logfile': name})
        response.encoding = response.encoding or 'utf-8'
        return response.text

    def log_chunks(self, name):
        """The log's bytes as an iterator, streamed so a large log never sits in memory."""
        response = self.client.request('GET', TOOLSLOG, params={'logfile': name}, stream=True)
        try:
            yield from response.iter_content(CHUNK)
        finally:
            response.close()

    def start(self, action):
        """POST one of ACTIONS; starting work is never retried on ambiguous failures (idempotent=False)."""
        answer = self.client.post_json('/toolservice/%s' % ACTIONS[action], idempotent=False)
        return answer if isinstance(answer, dict) else {}

    def wait_for_new_log(self, known_names, expected, prefix, timeout, interval):
        """Poll the listing until the run's log appears; return (entry, polls, seconds)."""
        def check():
            return pick_new_log(self.list_logs(), known_names, expected, prefix, FALLBACK_WORDS)
        what = "the new '%s' log in toolslog" % (expected or prefix)
        return poll(check, what, timeout, interval, **self._timing)

    def wait_for_complete_text(self, name, timeout, interval, stable_polls=STABLE_POLLS):
        """Fetch the log until it is complete; return (text, completion, polls, seconds).

        ``completion`` is ``summary`` when the closing summary line is there, ``inferred`` when there is none but the
        log has not changed for ``stable_polls`` polls in a row (0: wait for the summary line only).
        """
        # Imported here: only the integrity checker waits for a log's end (see module_runner.mas_user_api).
        from ansible_collections.mas.dedicated.plugins.module_utils.tools.integrity_checker import (  # pylint: disable=import-outside-toplevel
            summarize)
        last = {'text': None, 'same': 0}

        def check():
            text = self.log_text(name)
            if summarize(text)['completed']:
                return text, 'summary'
            if text and text == last['text']:
                last['same'] += 1
            else:
                last['text'], last['same'] = text, 0
            return (text, 'inferred') if stable_polls and last['same'] >= stable_polls else None
        (text, completion), polls, seconds = poll(check, "the end of log '%s'" % name, timeout, interval,
                                                  **self._timing)
        return text, completion, polls, seconds

    def optional_text(self, name):
        """A tools log's text, or None when the Tools API has no file of that name (404)."""
        try:
            return self.log_text(name)
        except MasApiError as exc:
            if exc.status == 404:
                return None
            raise

    def run_integrity_check(self, mode, timeout, interval, stable_polls=STABLE_POLLS):
        """Start a report or repair, wait for its log, read it and the listing file the start call names.

        Returns a dict: ``log`` (the listing entry), ``text``, ``found_by`` (``answer``: the name the start call gave;
        ``fallback``: a new log found by its name), ``lis`` (``{name, text}`` or None), ``completion`` and
        ``seconds``.
        """
        known = set(e['name'] for e in self.list_logs())
        answer = self.start(mode)
        expected = answer.get('logfile')
        entry, dummy, seconds = self.wait_for_new_log(known, expected, ACTIONS[mode], timeout, interval)
        remaining = max(interval, timeout - seconds)
        text, completion, dummy, more = self.wait_for_complete_text(entry['name'], remaining, interval, stable_polls)
        lis = None
        if answer.get('lisfile'):
            lis = {'name': str(answer['lisfile']), 'text': self.optional_text(str(answer['lisfile']))}
        return {'log': entry, 'text': text, 'found_by': 'answer' if expected and entry['name'] == expected else 'fallback',
                'lis': lis, 'completion': completion, 'seconds': round(seconds + more, 3)}


class ManageProbe:
    """Whether Manage answers: ``running`` (200) or ``down`` (502/503/504, refused, or no answer in time).

    One answer is not enough to call Manage down: a router blip or a dropped connection looks the same as stopped
    pods, and acting on it would stop or start what needed no action. So "down" is decided only after
    ``CONFIRM_DOWN`` more reads (at most the connection option ``retries``, spaced like retries and within
    ``retry_max_wait``) all say so; a single 200 means running. A 429 is no answer at all: it is waited out
    (``Retry-After`` honoured) within the same ``retries``/``retry_max_wait``, then fails the task.
    """

    CONFIRM_DOWN = 3

    def __init__(self, client, sleep=None, clock=None):
        self.client = client
        self._timing = _timing(sleep, clock)
        self._sleep = sleep or time.sleep
        # What the last read saw ("HTTP 503", "connection: ..."), for messages.
        self.last = None

    def _read(self):
        """One GET: ('running' | 'down' | 'limited', seconds asked to wait or None)."""
        try:
            response = self.client.request('GET', SYSTEMINFO, params={'lean': 1}, retries=False,
                                           expect=(200, 429) + DOWN_STATUSES)
        except MasApiError as exc:
            if exc.kind in ('connection', 'timeout'):
                self.last = '%s (%s)' % (exc.kind, exc.detail)
                return 'down', None
            raise
        status = response.status_code
        self.last = 'HTTP %d' % status
        retry_after = parse_retry_after(response.headers.get('Retry-After'))
        response.close()
        if status == 200:
            return 'running', None
        return ('limited' if status == 429 else 'down'), retry_after

    def state(self, confirm_down=True):
        """``running`` or ``down``; ``confirm_down=False`` takes one "down" answer as final (used while waiting)."""
        policy = self.client.retry
        attempt = 0
        downs = 0
        waited = 0.0
        while True:
            attempt += 1
            answer, retry_after = self._read()
            if answer == 'running':
                return 'running'
            if answer == 'down':
                downs += 1
                if not confirm_down or downs > min(self.CONFIRM_DOWN, policy.retries):
                    return 'down'
            pause = policy.delay(attempt, retry_after)
            if attempt > policy.retries or not policy.fits(waited, pause):
                if answer == 'down':
                    return 'down'
                raise MasApiError(self.client.call_name('GET', SYSTEMINFO), status=429, attempts=attempt,
                                  secrets=self.client.secrets)
            self._sleep(pause)
            waited += pause

    def wait_for(self, wanted, timeout, interval):
        """Poll until the state is ``wanted`` (a "down" confirmed as above); return (polls, seconds)."""
        confirm = wanted == 'down'
        dummy, polls, seconds = poll(lambda: self.state(confirm_down=confirm) == wanted, 'Manage to be %s' % wanted,
                                     timeout, interval, **self._timing)
        return polls, seconds


def plan_manage_state(current, wanted):
    """Pure: the Tools API actions that take Manage from ``current`` (running/down) to ``wanted``."""
    if wanted == 'restarted':
        return ['stop', 'start'] if current == 'running' else ['start']
    if wanted == 'started':
        return [] if current == 'running' else ['start']
    if wanted == 'stopped':
        return [] if current == 'down' else ['stop']
    raise ValueError("unknown state '%s'" % wanted)


_UNITS = {'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800}


def parse_since(value, now=None):
    """An aware datetime from ISO-8601 text or a relative age such as ``90m``, ``12h`` or ``2d``."""
    text = str(value).strip()
    now = now or datetime.now(timezone.utc)
    if len(text) > 1 and text[-1].lower() in _UNITS and text[:-1].isdigit():
        return now - timedelta(seconds=int(text[:-1]) * _UNITS[text[-1].lower()])
    parsed = parse_time(text)
    if parsed is None:
        raise ValueError("'%s' is neither an ISO-8601 time nor an age like 90m, 12h or 2d" % value)
    return parsed
