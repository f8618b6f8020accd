# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage pods: running / stopping / stopped / starting, and the systeminfo probe.

Transitions are driven by time and evaluated lazily on each request, so no thread is needed.
Stop and start act like scaling the pods: a start during stopping starts again at once.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import time

from .core import now_iso


class ManagePods:
    def __init__(self):
        self.phase = 'running'
        self.since = time.monotonic()

    def current(self, app):
        elapsed = time.monotonic() - self.since
        if self.phase == 'stopping' and elapsed >= app.config['stop_delay']:
            self._move('stopped')
        elif self.phase == 'starting' and elapsed >= app.config['start_delay']:
            self._move('running')
        return self.phase

    def _move(self, phase):
        self.phase = phase
        self.since = time.monotonic()

    def stop(self, app):
        if self.current(app) in ('running', 'starting'):
            self._move('stopping')

    def start(self, app):
        if self.current(app) in ('stopped', 'stopping'):
            self._move('starting')

    def view(self, app):
        return {'manage': self.current(app)}


def pods(app):
    return app.state['manage']


def systeminfo(app, request):  # pylint: disable=unused-argument
    if pods(app).current(app) != 'running':
        return 503, {'Content-Type': 'text/html'}, '<html><body><h1>Application is not available</h1></body></html>'
    return 200, {}, {'appVersion': {'maximo': '9.0.0'}, 'serverTime': now_iso(), 'serverName': 'sandbox'}


def _reset(app):
    app.state['manage'] = ManagePods()


def register(app):
    app.on_reset(_reset)
    app.route('GET', '/maximo/api/systeminfo', systeminfo)
