# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Tools API (``/toolsapi/toolservice``): integrity checker runs, tools logs, Manage stop/start.

Integrity checker runs are asynchronous, as the contract says: ``icheckerreport``/``icheckerrepair`` answer
``{"lisfile", "logfile"}`` at once and the log is listed by ``toolslog`` only ``report_delay`` seconds later.
A run's outcome is decided when it completes (a repair removes the errors then; a report renders the
problems left then). The log layout is our documented guess of Maximo's::

    BMXAA0354I - Integrity Checker started in REPORT mode at 2026-11-22 13:44:57
    Checking database objects ...
    ERROR BMXAA0491E - Attribute ASSET.ASSETTAG: length in MAXATTRIBUTE (20) does not match the database column (24).
    WARNING BMXAA0495W - Index WORKORDER_NDX9 is defined in MAXSYSINDEXES but not in the database.
    BMXAA0356I - Integrity Checker completed: 3 errors, 1 warnings.

A repair writes ``REPAIRED <code> - <text>`` for each error and ends ``0 errors, 1 warnings, 3 repaired.``
These endpoints run on the admin pod: they answer while Manage is stopped.

The listing file the answer names (``lisfile``, as IBM's clients receive it: hunterr007/mas-tools-api-vscode
``generateIntegrityCheckerReport`` reads ``{lisfile, logfile}``) is served by ``toolslog?logfile=NAME`` once the run
is done; it holds the findings. Whether ``toolslog`` lists ``.lis`` files is not known: here it does not.
Neither a real log nor a real listing has been published, so three settings vary the guess (``POST
/_sandbox/config``): ``icheck_summary_line`` (1: the log ends with the ``completed`` line; 0: no summary line at
all), ``icheck_findings_in_lis`` (0: findings in both files; 1: only in the ``.lis``, the log has just the
started line) and ``icheck_answer_logfile`` (1; 0: the answer names only the ``lisfile``). Every POST body is
kept in ``GET /_sandbox/state`` (``tools_post_bodies``: bytes per call) so a test can check that none was sent,
as IBM's clients send none.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import time
from datetime import datetime, timedelta, timezone

from .core import HttpError, iso, json_response, maximo_error, text_response, utc_now
from .manage import pods

BASE = '/toolsapi/toolservice'
INITIAL_LOG = 'icheckerreport20260101000000000'
INITIAL_PROBLEMS = (
    ('ERROR', 'BMXAA0491E', 'Attribute ASSET.ASSETTAG: length in MAXATTRIBUTE (20) does not match the database column (24).'),
    ('ERROR', 'BMXAA0492E', 'Object WOCHANGE is defined in MAXOBJECT but its table WOCHANGE does not exist in the database.'),
    ('ERROR', 'BMXAA0493E', 'Attribute WORKORDER.WOPRIORITY: type in MAXATTRIBUTE (INTEGER) does not match the database column (SMALLINT).'),
    ('WARNING', 'BMXAA0495W', 'Index WORKORDER_NDX9 is defined in MAXSYSINDEXES but not in the database.'),
)
MODES = {'icheckerreport': 'REPORT', 'icheckerrepair': 'REPAIR'}


def render(mode, started, problems, repaired=(), summary_line=True, findings=True):
    """The text of an integrity checker log (``findings=False``: without the problem lines)."""
    lines = ['BMXAA0354I - Integrity Checker started in %s mode at %s' % (mode, started.strftime('%Y-%m-%d %H:%M:%S')),
             'Checking database objects ...']
    for level, code, text in problems if findings else ():
        if (level, code, text) in repaired:
            lines.append('REPAIRED %s - %s' % (code, text))
        else:
            lines.append('%s %s - %s' % (level, code, text))
    errors = sum(1 for problem in problems if problem[0] == 'ERROR' and problem not in repaired)
    warnings = sum(1 for problem in problems if problem[0] == 'WARNING')
    totals = '%d errors, %d warnings' % (errors, warnings)
    if mode == 'REPAIR':
        totals += ', %d repaired' % len(repaired)
    if summary_line:
        lines.append('BMXAA0356I - Integrity Checker completed: %s.' % totals)
    return '\n'.join(lines) + '\n'


class ToolsLogs:
    """Integrity problems, runs still going, and the finished tools logs."""

    def __init__(self, app):
        self.app = app
        self.problems = list(INITIAL_PROBLEMS)
        self.pending = []
        self.logs = {}
        self.listings = {}
        self.post_bodies = []
        started = datetime(2026, 1, 1, tzinfo=timezone.utc)
        self._store(INITIAL_LOG + '.log', render('REPORT', started, self.problems), started)

    def _store(self, name, text, finished):
        self.logs[name] = {'text': text, 'size': len(text.encode('utf-8')), 'timestamp': iso(finished)}

    def advance(self):
        """Complete, in order, every run whose time has come."""
        now = time.monotonic()
        due = sorted((run for run in self.pending if run['due'] <= now), key=lambda run: (run['due'], run['name']))
        for run in due:
            self.pending.remove(run)
            repaired = ()
            if run['mode'] == 'REPAIR':
                repaired = tuple(problem for problem in self.problems if problem[0] == 'ERROR')
            config = self.app.config
            only_lis = bool(config.get('icheck_findings_in_lis'))
            text = render(run['mode'], run['started'], self.problems, repaired,
                          summary_line=bool(config.get('icheck_summary_line', 1)), findings=not only_lis)
            listing = ''.join(render(run['mode'], run['started'], self.problems, repaired,
                                     summary_line=False).splitlines(True)[2:])
            self.problems = [problem for problem in self.problems if problem not in repaired]
            self._store(run['name'], text, run['started'] + timedelta(seconds=run['delay']))
            self.listings[run['name'][:-len('.log')] + '.lis'] = listing

    def _new_name(self, prefix, started):
        taken = set(self.logs) | set(run['name'] for run in self.pending)
        while True:
            name = '%s%s%03d' % (prefix, started.strftime('%Y%m%d%H%M%S'), started.microsecond // 1000)
            if name + '.log' not in taken:
                return name
            started += timedelta(milliseconds=1)

    def start(self, action):
        """Start a run; its ``{lisfile, logfile}``."""
        started = utc_now()
        name = self._new_name(action, started)
        delay = self.app.config['report_delay']
        self.pending.append({'name': name + '.log', 'mode': MODES[action], 'started': started, 'delay': delay,
                             'due': time.monotonic() + delay})
        if not self.app.config.get('icheck_answer_logfile', 1):
            return {'lisfile': name + '.lis'}
        return {'lisfile': name + '.lis', 'logfile': name + '.log'}

    def finished(self):
        """Finished logs, oldest first."""
        self.advance()
        return sorted(self.logs.items(), key=lambda item: (item[1]['timestamp'], item[0]))

    def view(self):
        names = [name for name, dummy in self.finished()]
        return {'logs': names, 'running_logs': sorted(run['name'] for run in self.pending),
                'listings': sorted(self.listings), 'tools_post_bodies': list(self.post_bodies),
                'integrity_errors': sum(1 for problem in self.problems if problem[0] == 'ERROR'),
                'integrity_warnings': sum(1 for problem in self.problems if problem[0] == 'WARNING')}


def tools(app):
    """The ToolsLogs of an app."""
    return app.component('tools')


def _keep_body(request):
    """Bytes of a POST body, for the tests (IBM's clients send none); any body is accepted, as nothing says a real
    server refuses one."""
    tools(request.app).post_bodies.append({'path': request.path, 'bytes': len(request.body or b'')})


def icheckerreport(request):
    _keep_body(request)
    return json_response(tools(request.app).start('icheckerreport'))


def icheckerrepair(request):
    _keep_body(request)
    return json_response(tools(request.app).start('icheckerrepair'))


def toolslog(request):
    """The listing, or with ``logfile=NAME`` the text of one finished log."""
    logs = tools(request.app).finished()
    name = request.arg('logfile')
    if name is None:
        return json_response([{'name': log_name, 'size': log['size'], 'timestamp': log['timestamp']} for log_name, log in logs])
    found = dict(logs).get(name)
    if found is None and name in tools(request.app).listings:
        return text_response(tools(request.app).listings[name])
    if found is None:
        return maximo_error(404, 'BMXAA0024E', 'The log file %s does not exist.' % name)
    return text_response(found['text'])


def managestop(request):
    _keep_body(request)
    pods(request.app).stop()
    return json_response({'status': 'accepted'})


def managestart(request):
    _keep_body(request)
    pods(request.app).start()
    return json_response({'status': 'accepted'})


def getbuildstatus(request):
    """The Manage state; the body must be ``{"mode": "get"}``."""
    body = request.json(required=True)
    if not isinstance(body, dict) or body.get('mode') != 'get':
        raise HttpError(400, 'BMXAA9590E', 'The body must be {"mode": "get"}.')
    return json_response({'status': pods(request.app).current()})


def register(app):
    app.add_setting('report_delay', 1.0)
    app.add_setting('icheck_summary_line', 1)
    app.add_setting('icheck_findings_in_lis', 0)
    app.add_setting('icheck_answer_logfile', 1)
    app.add_component('tools', ToolsLogs)
    app.add_route('POST', BASE + '/icheckerreport', icheckerreport)
    app.add_route('POST', BASE + '/icheckerrepair', icheckerrepair)
    app.add_route('GET', BASE + '/toolslog', toolslog)
    app.add_route('POST', BASE + '/managestop', managestop)
    app.add_route('POST', BASE + '/managestart', managestart)
    app.add_route('POST', BASE + '/getbuildstatus', getbuildstatus)
