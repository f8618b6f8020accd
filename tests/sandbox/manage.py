# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage: the pods' life cycle and the ``GET /maximo/api/systeminfo`` probe.

The pods are ``running``, ``stopping`` (``stop_delay`` s), ``stopped`` or ``starting`` (``start_delay`` s).
Transitions are evaluated lazily from timestamps whenever something looks, so no thread is needed; each
delay is taken when its transition begins. Like scaling the pods, a start while stopping turns straight to
starting and a stop while starting turns straight to stopping.

While Manage is not running every path under ``/maximo/`` answers 503 with the router's HTML page before any
authentication (a guard), so later Manage modules (logging service, REST object structures) get the same
behaviour for free. The Tools API lives on the admin pod and keeps working.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import time

from .core import iso, json_response, text_response

MANAGE_PREFIX = '/maximo/'
MAXIMO_VERSION = '9.0.0'
UNAVAILABLE_PAGE = ('<html><head><title>Application is not available</title></head>'
                    '<body><h1>Application is not available</h1>'
                    '<p>The application is currently not serving requests at this endpoint.</p></body></html>\n')


class ManagePods:
    """The state of the Manage pods."""

    RUNNING = 'running'
    STOPPING = 'stopping'
    STOPPED = 'stopped'
    STARTING = 'starting'

    def __init__(self, app):
        self.app = app
        self.phase = self.RUNNING
        self.until = None

    def current(self):
        """The phase now, after any transition that has come due."""
        if self.until is not None and time.monotonic() >= self.until:
            self.phase = self.STOPPED if self.phase == self.STOPPING else self.RUNNING
            self.until = None
        return self.phase

    def _begin(self, phase, delay_setting):
        self.phase = phase
        self.until = time.monotonic() + self.app.config[delay_setting]

    def stop(self):
        """running/starting -> stopping; no change when already stopping or stopped."""
        if self.current() in (self.RUNNING, self.STARTING):
            self._begin(self.STOPPING, 'stop_delay')

    def start(self):
        """stopped/stopping -> starting; no change when already starting or running."""
        if self.current() in (self.STOPPED, self.STOPPING):
            self._begin(self.STARTING, 'start_delay')

    def view(self):
        return {'manage': self.current()}


def pods(app):
    """The ManagePods of an app."""
    return app.component('manage')


def unavailable_when_down(request):
    """Guard on /maximo/: the OpenShift router's 503 page while Manage is not running."""
    if pods(request.app).current() != ManagePods.RUNNING:
        return text_response(UNAVAILABLE_PAGE, 503, 'text/html; charset=utf-8', {'Cache-Control': 'private'})
    return None


def systeminfo(request):  # pylint: disable=unused-argument
    """GET /maximo/api/systeminfo (``lean=1`` accepted and ignored)."""
    return json_response({'appVersion': {'maximo': MAXIMO_VERSION}, 'serverTime': iso(), 'serverName': 'sandbox'})


def register(app):
    app.add_setting('stop_delay', 2.0)
    app.add_setting('start_delay', 3.0)
    app.add_component('manage', ManagePods)
    app.add_guard(MANAGE_PREFIX, unavailable_when_down)
    app.add_route('GET', '/maximo/api/systeminfo', systeminfo)
