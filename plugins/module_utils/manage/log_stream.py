# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logging service of Manage: logger levels (``wsmethod:getLogLevel``/``setLogLevel``, ``LoggerLevels``) and the
live log (``wsmethod:streamLog``), followed into a local file.

``GET <manage>/maximo/api/service/logging?action=wsmethod:streamLog&lean=1`` with the ``apikey`` header and no
body, as the public client maximo-api-client 0.8.4 calls it (``BaseMaximoService.actionOnEndpoint`` without a
payload is a GET under ``/<contextRoot>/<apiHome>``, ``/maximo/api`` for API-key authentication; its HTTP client
adds ``lean=1`` to every GET). The client reads the answer as a string of log lines (axios hands it a string when
the body is not JSON), so the answer is taken as text; a JSON string, or ``{"return": "<text>"}`` as the service's
other actions answer, is tolerated. Not confirmed by IBM (unverified): no IBM page documents the action.

A read is a GET: ``http_client`` retries it on 429/502/503/504 and connection errors (``retries``,
``retry_max_wait``), so one failed poll is retried within the poll; a failure that outlasts the retries ends the
follow, and the file being written is removed (``files.temporary_beside``), so ``dest`` is never partial.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import time
from datetime import datetime, timezone

from ansible_collections.mas.dedicated.plugins.module_utils.common import files
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
from ansible_collections.mas.dedicated.plugins.module_utils.manage.log_follow import LogFollower, follow
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects

LOGGING_SERVICE = '/maximo/api/service/logging'
STREAM_ACTION = 'wsmethod:streamLog'
# Methods of the logging service (ManageObjects.service sends them as action=wsmethod:<method>).
GET_LEVEL_METHOD = 'getLogLevel'
SET_LEVEL_METHOD = 'setLogLevel'
# What the public client's HTTP library (axios) sends.
ACCEPT = 'application/json, text/plain, */*'
# The file may hold what Manage logs about users and data: owner only.
FILE_MODE = 0o600


def log_text(content_type, text):
    """The log text of one answer; ValueError when the answer is no log (an HTML page, a JSON object)."""
    kind = (content_type or '').split(';')[0].strip().lower()
    if kind == 'application/json' or kind.endswith('+json'):
        try:
            body = json.loads(text or '""')
        except ValueError:
            return text or ''
        if isinstance(body, str):
            return body
        if isinstance(body, dict) and isinstance(body.get('return'), str):
            return body['return']
        raise ValueError('the answer is JSON but not log text: %s' % ' '.join((text or '').split())[:120])
    start = (text or '').lstrip()[:200].lower()
    if kind in ('text/html', 'application/xhtml+xml') or start.startswith('<!doctype html') or start.startswith('<html'):
        raise ValueError('the answer is an HTML page, not log text: %s' % ' '.join((text or '').split())[:120])
    return text or ''


class LoggerLevels:
    """Logger levels through the logging service: ``POST <manage>/maximo/api/service/logging?action=wsmethod:getLogLevel``
    (body ``{"logKey"}``, answer ``{"return": "DEBUG"}``) and ``wsmethod:setLogLevel`` (``{"logKey", "logLevel"}``),
    with the header ``x-method-override: PATCH``, as the public client @maximomize/maximo-api-client 0.8.4 sends them
    (``LoggingService.getLogLevel`` / ``setLogLevel`` through ``actionOnEndpoint``). Unverified: no IBM page documents
    the two actions. A level set so takes effect at once (no Apply Settings)."""

    def __init__(self, client):
        self.service = ManageObjects(client).service

    def level(self, logkey):
        """The logger's level (upper case), or None when Manage gives none."""
        answer = self.service('logging', GET_LEVEL_METHOD, {'logKey': logkey})
        value = answer.get('return') if isinstance(answer, dict) else None
        if value is None:
            return None
        return str(value).strip().upper() or None

    def held(self, logkeys):
        """{key: {"logkey", "loglevel", "href"}} of the loggers the service gives a level for: one read each. A key
        it answers 400 or 404 for, or no level, is left out (the plan refuses it as a logger Manage does not have)."""
        found = {}
        for logkey in logkeys:
            try:
                level = self.level(logkey)
            except ServiceError as exc:
                if getattr(exc, 'status', None) not in (400, 404):
                    raise
                level = None
            if level:
                found[logkey] = {'logkey': logkey, 'loglevel': level, 'href': LOGGING_SERVICE}
        return found

    def set_level(self, logkey, level):
        self.service('logging', SET_LEVEL_METHOD, {'logKey': logkey, 'logLevel': level})


class LogStream:
    """Reads of ``wsmethod:streamLog`` through one MasHttpClient."""

    def __init__(self, client):
        self.client = client
        self.reads = 0

    def read(self):
        self.reads += 1
        response = self.client.request('GET', LOGGING_SERVICE, params={'action': STREAM_ACTION, 'lean': 1},
                                       headers={'Accept': ACCEPT})
        try:
            return log_text(response.headers.get('Content-Type'), response.text)
        except ValueError as exc:
            raise MasApiError(self.client.call_name('GET', LOGGING_SERVICE), status=response.status_code,
                              detail=str(exc), secrets=self.client.secrets,
                              hint="check that 'manage_url' points at Manage and not at a login page or proxy")

    def follow_into(self, dest, baseline, seconds, interval, secrets=(), module=None, clock=time.monotonic,
                    sleep=time.sleep):
        """Follow the log for ``seconds`` after the ``baseline`` read into ``dest`` (atomically); the counts."""
        dest = os.path.abspath(os.path.expanduser(dest))
        follower = LogFollower(baseline, secrets)

        def stamp():
            return datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')

        with files.atomic_file(dest, FILE_MODE, module) as out:
            elapsed = follow(self.read, lambda text: out.write(text.encode('utf-8')), follower, seconds, interval,
                             clock, sleep, stamp)
        return dict(follower.counts(), dest=dest, bytes=out.size, sha256=out.sha256, seconds=round(elapsed, 3),
                    changed=out.changed)
