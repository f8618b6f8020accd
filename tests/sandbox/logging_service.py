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
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import io
import threading
import zipfile
from datetime import datetime, timezone

from .core import json_response, maximo_error

ACTION = 'wsmethod:submitUploadLogRequest'
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


def register(app):
    app.add_setting('log_upload_delay', 2.0)
    app.add_component('logrequests', _fresh)
    app.add_route('POST', '/maximo/api/service/logging', submit_upload_log_request)
