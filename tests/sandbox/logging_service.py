# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Manage logging service: ``submitUploadLogRequest`` and the cron task that uploads the bundles.

``POST /maximo/api/service/logging?action=wsmethod:submitUploadLogRequest`` (apikey, empty body) answers
``{"return": "<LOGREQUESTNUM>-<epoch ms>"}`` [client]. One LOGREQUEST row per server bundle; after
``log_upload_delay`` seconds the "cron task" writes one zip per server into the Logs bucket, named with the
source and the time the request started [doc; exact naming is our guess].

The support guide says "Body: The body is empty" and IBM's clients send none (hunterr007/mas-tools-api-vscode
``uploadLogsToS3``: ``undefined, // no body``); a body is accepted (nothing says Manage refuses one) and its size is
kept per request in ``GET /_sandbox/state`` (``logrequest_bodies``) so a test can check that none was sent.

``GET /maximo/api/service/logging?action=wsmethod:streamLog`` (apikey, no body) answers the current live log as
``text/plain`` [client: maximo-api-client 0.8.4 ``streamLogsFromManage`` reads ``response.data`` as a string, which
axios gives for a body that is not JSON]. What the log holds is the sandbox's own choice: a rolling tail of at most
``manage_log_lines`` lines (older lines dropped, as a rolled file loses them), one line per request under
``/maximo/`` (method and path only, never the query or a header; reads of the log itself are not logged), a line per
logger whose level Apply Settings changed, and at an applied ``DEBUG`` level of ``log4j.logger.maximo.sql`` a SQL
line per object-structure read; with ``manage_log_pods`` above 1, lines and reads go to the pods' logs in turn.
``POST .../service/logging?action=wsmethod:getLogLevel`` ``{"logKey"}`` answers ``{"return": "<level>"}`` and
``wsmethod:setLogLevel`` ``{"logKey", "logLevel"}`` sets a logger's level, in effect at once [client: maximo-api-client
0.8.4 ``LoggingService.getLogLevel``/``setLogLevel``, POST with ``x-method-override: PATCH``]; the loggers are those of
``mxapilogger`` (manage_rest.py); an unknown key or level is 400 (codes are the sandbox's own).
``POST /_sandbox/manage_log`` appends lines (``{"lines": [...]}``), raw text that may leave a last line without its
newline (``{"text": "..."}``), or rotates the log (``{"rotate": true}``).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import collections
import io
import threading
import zipfile
from datetime import datetime, timezone

from .core import CONTROL_PREFIX, HttpError, iso, json_response, maximo_error, text_response

ACTION = 'wsmethod:submitUploadLogRequest'
STREAM_ACTION = 'wsmethod:streamLog'
GET_LEVEL_ACTION = 'wsmethod:getLogLevel'
SET_LEVEL_ACTION = 'wsmethod:setLogLevel'
LEVELS = ('DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')
LOGGING_PATH = '/maximo/api/service/logging'
SQL_LOGGER = 'log4j.logger.maximo.sql'
SERVERS = ('mas-sandbox-main-manage-all-0', 'mas-sandbox-main-manage-ui-0')


def bundle(server, started):
    """A small zip like a Liberty server log bundle."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('logs/messages.log', '[%s] 00000001 SystemOut O BMXAA6348I - Server %s is up.\n' % (
            started.isoformat(), server) * 200)
        archive.writestr('logs/console.log', 'Launching %s (WebSphere Liberty)\n' % server)
    return data.getvalue()


class LogRequests:
    """LOGREQUEST rows and the pending uploads; a reset cancels uploads not yet done."""

    def __init__(self, app):
        self.app = app
        self.next_number = 1001
        self.rows = []
        self.timers = []
        self.bodies = []

    def submit(self):
        started = datetime.now(timezone.utc)
        number = self.next_number
        self.next_number += 1
        for server in SERVERS:
            self.rows.append({'logrequestnum': number, 'server': server, 'requestts': started.isoformat(), 'status': 'NEW'})
        timer = threading.Timer(self.app.config['log_upload_delay'], self.upload, args=(number, started))
        timer.daemon = True
        self.timers.append(timer)
        timer.start()
        return '%d-%d' % (number, int(started.timestamp() * 1000))

    def upload(self, number, started):
        stamp = started.strftime('%Y%m%dT%H%M%SZ')
        for server in SERVERS:
            self.app.store.put('logs', '%s_%s.zip' % (server, stamp), bundle(server, started))
        with self.app.lock:
            for row in self.rows:
                if row['logrequestnum'] == number:
                    row['status'] = 'UPLOADED'

    def cancel(self):
        for timer in self.timers:
            timer.cancel()

    def view(self):
        return {'logrequests': list(self.rows), 'logrequest_bodies': list(self.bodies)}


def _logger_record(request, body):
    """The mxapilogger record the body's ``logKey`` names; 400 when there is none (the sandbox's choice)."""
    key = body.get('logKey') if isinstance(body, dict) else None
    objects = request.app.components.get('manage_objects')
    record = next((r for r in objects.records['mxapilogger'].values() if r.get('logkey') == key), None) if objects else None
    if record is None:
        raise HttpError(400, 'BMXAA0021E', 'The logger %s does not exist.' % key)
    return objects, record


def get_log_level(request):
    """``wsmethod:getLogLevel`` ``{"logKey"}``: ``{"return": "<level>"}`` (maximo-api-client 0.8.4 getLogLevel)."""
    dummy, record = _logger_record(request, request.json(required=True))
    return json_response({'return': str(record.get('loglevel')).upper()})


def set_log_level(request):
    """``wsmethod:setLogLevel`` ``{"logKey", "logLevel"}``: in effect at once (no Apply Settings); 200 ``{}``."""
    body = request.json(required=True)
    objects, record = _logger_record(request, body)
    level = str(body.get('logLevel') or '').upper()
    if level not in LEVELS:
        raise HttpError(400, 'BMXAA4190E', 'The level %s is not one of %s.' % (body.get('logLevel'), ', '.join(LEVELS)))
    log = request.app.component('manage_log')
    log.refresh()
    record['loglevel'] = level
    objects.writes += 1
    objects.logging_service_sets += 1
    # This logger's new level is in effect now (other records' changes still wait for Apply Settings).
    log.level_set(record['logkey'], level)
    return json_response({})


def logging_post(request):
    """POST on the logging service: the upload request, and a logger's level read or set."""
    action = request.arg('action')
    if action == GET_LEVEL_ACTION:
        return get_log_level(request)
    if action == SET_LEVEL_ACTION:
        return set_log_level(request)
    return submit_upload_log_request(request)


def submit_upload_log_request(request):
    if request.arg('action') != ACTION:
        return maximo_error(400, 'BMXAA9999E', 'Unknown action %s for the logging service.' % request.arg('action'))
    requests = request.app.component('logrequests')
    requests.bodies.append({'bytes': len(request.body or b''), 'content_type': request.header('Content-Type')})
    return json_response({'return': requests.submit()})


def _fresh(app):
    # The component is rebuilt on reset: pending uploads of the old one must not land in the emptied bucket.
    old = app.components.get('logrequests')
    if old is not None:
        old.cancel()
    return LogRequests(app)


class PodLog:
    """The live log of one Manage pod: a rolling tail of lines, and a last line still being written."""

    def __init__(self):
        self.lines = collections.deque()
        self.pending = ''

    def append_line(self, line, limit):
        self.lines.append(self.pending + line)
        self.pending = ''
        while len(self.lines) > limit:
            self.lines.popleft()

    def append_text(self, text, limit):
        parts = (self.pending + text).split('\n')
        self.pending = ''
        for line in parts[:-1]:
            self.append_line(line, limit)
        self.pending = parts[-1]

    def text(self):
        return ''.join(line + '\n' for line in self.lines) + self.pending


class ManageLog:
    """Manage's live log, one per pod behind the route (``manage_log_pods``, default 1).

    With several pods, the lines go to them in turn and the reads of the log are served by them in turn (a route
    balancing reads between pods: whether Manage's does is unknown; a harder case for a follower, not a lenient
    one). The levels in effect are those of the last Apply Settings (``manage_objects.logging_applied`` seen to
    change), looked at lazily whenever something is logged or the log is read.
    """

    def __init__(self, app):
        self.app = app
        self.pods = [PodLog()]
        self.seq = 0
        self.reads = 0
        self.rotations = 0
        self.applied_seen = 0
        self.levels = None

    def limit(self):
        return max(1, int(self.app.config['manage_log_lines']))

    def _pod(self, number):
        wanted = max(1, int(self.app.config['manage_log_pods']))
        while len(self.pods) < wanted:
            self.pods.append(PodLog())
        return self.pods[number % wanted]

    def add(self, level, logger, text):
        self.seq += 1
        self._pod(self.seq - 1).append_line(
            '[%s] %08x MXServer %-5s [%s] %s' % (iso(millis=True), self.seq, level, logger, text), self.limit())

    def append_text(self, text):
        """Raw text at the end of the first pod's log (its last line may stay without a newline)."""
        self._pod(0).append_text(text, self.limit())

    def rotate(self):
        for pod in self.pods:
            pod.lines.clear()
            pod.pending = ''
        self.rotations += 1

    def read(self):
        """The text of the pod whose turn it is to answer."""
        self.refresh()
        self.reads += 1
        return self._pod(self.reads - 1).text()

    def _held_levels(self):
        objects = self.app.components.get('manage_objects')
        if objects is None:
            return {}, 0
        return (dict((r['logkey'], str(r.get('loglevel')).upper()) for r in objects.records['mxapilogger'].values()),
                objects.logging_applied)

    def refresh(self):
        """Apply Settings seen since the last look: the held levels take effect, a line per changed logger."""
        held, applied = self._held_levels()
        if self.levels is None:
            self.levels, self.applied_seen = held, applied
            return
        if applied == self.applied_seen:
            return
        self.applied_seen = applied
        for key in sorted(held):
            if held[key] != self.levels.get(key):
                self.add('INFO', 'maximo.logging', 'BMXAA6542I - Logger %s: level %s -> %s.' % (
                    key, self.levels.get(key), held[key]))
        self.add('INFO', 'maximo.logging', 'BMXAA6543I - The logging settings were applied.')
        self.levels = held

    def level_set(self, key, level):
        """One logger's level in effect at once (the logging service's setLogLevel)."""
        if self.levels.get(key) != level:
            self.add('INFO', 'maximo.logging', 'BMXAA6542I - Logger %s: level %s -> %s.' % (key, self.levels.get(key), level))
        self.levels[key] = level

    def request(self, request):
        self.refresh()
        self.add('INFO', 'maximo.rest', '%s %s' % (request.method, request.path))
        parts = request.path.split('/')
        if request.method == 'GET' and len(parts) > 4 and parts[3] == 'os' and self.levels.get(SQL_LOGGER) == 'DEBUG':
            self.add('DEBUG', 'maximo.sql', 'BMXAA6720I - select * from %s where (1=1)' % parts[4].upper())

    def view(self):
        return {'manage_log': {'lines': sum(len(pod.lines) for pod in self.pods), 'seq': self.seq,
                               'rotations': self.rotations, 'pending': any(pod.pending for pod in self.pods),
                               'reads': self.reads}}


def log_requests(request):
    """Guard on /maximo/: a line in the live log per request (reads of the log itself excepted)."""
    if not (request.method == 'GET' and request.path == LOGGING_PATH):
        request.app.component('manage_log').request(request)
    return None


def logging_get(request):
    """GET on the logging service: ``wsmethod:streamLog`` answers the live log as text."""
    if request.arg('action') != STREAM_ACTION:
        return maximo_error(400, 'BMXAA9999E', 'Unknown action %s for the logging service.' % request.arg('action'))
    return text_response(request.app.component('manage_log').read())


def manage_log_control(request):
    """``POST /_sandbox/manage_log``: ``{"lines": [...]}``, ``{"text": "..."}`` or ``{"rotate": true}``."""
    try:
        data = request.json() or {}
    except HttpError:
        return json_response({'error': 'the body is not JSON'}, 400)
    if not isinstance(data, dict) or set(data) - set(('lines', 'text', 'rotate')):
        return json_response({'error': 'give lines, text or rotate'}, 400)
    log = request.app.component('manage_log')
    if data.get('rotate'):
        log.rotate()
    for line in data.get('lines') or []:
        log.add('INFO', 'sandbox', str(line))
    if data.get('text'):
        log.append_text(str(data['text']))
    return json_response(log.view()['manage_log'])


def register(app):
    app.add_setting('log_upload_delay', 2.0)
    app.add_setting('manage_log_lines', 200)
    app.add_setting('manage_log_pods', 1)
    app.add_component('logrequests', _fresh)
    app.add_component('manage_log', ManageLog)
    app.add_guard('/maximo/', log_requests)
    app.add_route('POST', LOGGING_PATH, logging_post)
    app.add_route('GET', LOGGING_PATH, logging_get)
    app.router.add('POST', CONTROL_PREFIX + '/manage_log', manage_log_control, auth=False, control=True)
