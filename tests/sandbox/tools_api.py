# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Tools API of docs/contracts.md: integrity checker runs, tools logs, Manage stop/start.

Runs are asynchronous: a log is listed only ``report_delay`` seconds after the call that started it.
The integrity checker log layout is the documented guess of docs/contracts.md.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import time
from datetime import datetime, timezone

from .core import error_body
from .manage import pods

BASE = '/toolsapi/toolservice'
INITIAL_PROBLEMS = [
    ('ERROR', 'BMXAA0491E', 'Attribute ASSET.ASSETTAG: length in MAXATTRIBUTE (20) does not match the database column (24).'),
    ('ERROR', 'BMXAA0492E', 'Object WOCHANGE is defined in MAXOBJECT but its table WOCHANGE is missing.'),
    ('ERROR', 'BMXAA0493E', 'Column WORKORDER.WOPRIORITY is in the database but not in MAXATTRIBUTE.'),
    ('WARNING', 'BMXAA0495W', 'Index WORKORDER_NDX9 is defined in MAXSYSINDEXES but not in the database.'),
]


class ToolsLogs:
    def __init__(self):
        self.problems = list(INITIAL_PROBLEMS)
        self.logs = {}
        self.add('icheckerreport20260101000000000.log', self.render('REPORT', datetime(2026, 1, 1, tzinfo=timezone.utc), []),
                 datetime(2026, 1, 1, tzinfo=timezone.utc), 0)

    def add(self, name, text, stamp, delay):
        self.logs[name] = {'text': text, 'timestamp': stamp.strftime('%Y-%m-%dT%H:%M:%SZ'),
                           'ready_at': time.monotonic() + delay}

    def ready(self):
        now = time.monotonic()
        return dict((name, log) for name, log in self.logs.items() if log['ready_at'] <= now)

    def render(self, mode, stamp, repaired):
        lines = ['BMXAA0354I - Integrity Checker started in %s mode at %s' % (mode, stamp.strftime('%Y-%m-%d %H:%M:%S')),
                 'Checking database objects ...']
        lines += ['REPAIRED %s - %s' % (code, text) for dummy, code, text in repaired]
        lines += ['%s %s - %s' % problem for problem in self.problems]
        errors = sum(1 for level, dummy, dummy2 in self.problems if level == 'ERROR')
        warnings = len(self.problems) - errors
        totals = '%d errors, %d warnings' % (errors, warnings)
        if mode == 'REPAIR':
            totals += ', %d repaired' % len(repaired)
        lines.append('BMXAA0356I - Integrity Checker completed: %s.' % totals)
        return '\n'.join(lines) + '\n'

    def run(self, app, action):
        stamp = datetime.now(timezone.utc)
        name = '%s%s%03d' % (action, stamp.strftime('%Y%m%d%H%M%S'), stamp.microsecond // 1000)
        while name + '.log' in self.logs:  # two runs in the same millisecond
            name += '1'
        repaired = []
        if action == 'icheckerrepair':
            repaired = [p for p in self.problems if p[0] == 'ERROR']
            self.problems = [p for p in self.problems if p[0] != 'ERROR']
        self.add(name + '.log', self.render('REPAIR' if repaired or action == 'icheckerrepair' else 'REPORT', stamp, repaired),
                 stamp, app.config['report_delay'])
        return {'lisfile': name + '.lis', 'logfile': name + '.log'}

    def view(self, app):  # pylint: disable=unused-argument
        return {'logs': sorted(self.ready()), 'integrity_errors': sum(1 for p in self.problems if p[0] == 'ERROR')}


def tools(app):
    return app.state['tools']


def icheckerreport(app, request):  # pylint: disable=unused-argument
    return 200, {}, tools(app).run(app, 'icheckerreport')


def icheckerrepair(app, request):  # pylint: disable=unused-argument
    return 200, {}, tools(app).run(app, 'icheckerrepair')


def toolslog(app, request):
    ready = tools(app).ready()
    name = request.arg('logfile')
    if name is None:
        listing = [{'name': n, 'size': len(log['text'].encode('utf-8')), 'timestamp': log['timestamp']}
                   for n, log in ready.items()]
        return 200, {}, sorted(listing, key=lambda e: (e['timestamp'], e['name']))
    if name not in ready:
        return 404, {}, error_body(404, 'BMXAA9548E', 'The log file %s does not exist.' % name)
    return 200, {'Content-Type': 'text/plain; charset=utf-8'}, ready[name]['text']


def managestop(app, request):  # pylint: disable=unused-argument
    pods(app).stop(app)
    return 200, {}, {'status': 'accepted'}


def managestart(app, request):  # pylint: disable=unused-argument
    pods(app).start(app)
    return 200, {}, {'status': 'accepted'}


def getbuildstatus(app, request):  # pylint: disable=unused-argument
    return 200, {}, {'status': pods(app).current(app)}


def _reset(app):
    app.state['tools'] = ToolsLogs()


def register(app):
    app.on_reset(_reset)
    app.route('POST', BASE + '/icheckerreport', icheckerreport)
    app.route('POST', BASE + '/icheckerrepair', icheckerrepair)
    app.route('GET', BASE + '/toolslog', toolslog)
    app.route('POST', BASE + '/managestop', managestop)
    app.route('POST', BASE + '/managestart', managestart)
    app.route('POST', BASE + '/getbuildstatus', getbuildstatus)
