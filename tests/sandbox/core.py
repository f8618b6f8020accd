# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sandbox server: a router, API-key auth, a request log and fault injection.

API modules (tools_api.py, manage.py, and later ones) define ``register(app)`` and add routes with
``app.route(method, path_regex, handler, auth=True)``. A handler gets a ``Request`` and returns
``(status, headers_dict, body)`` where body is bytes, str, or anything JSON-serialisable.
State shared by handlers lives in ``app.state`` (a dict) under ``app.lock``.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import re
import socket
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CONTROL = '/_sandbox'
UNAUTHORIZED = {'Error': {'reasonCode': 'BMXAA7901E', 'statusCode': '401',
                          'message': 'BMXAA7901E - You cannot log in at this time. Contact the system administrator.'}}


def now_iso():
    return datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def error_body(status, code, message):
    return {'Error': {'reasonCode': code, 'statusCode': str(status), 'message': '%s - %s' % (code, message)}}


class Request:
    """What a handler sees of one request."""

    def __init__(self, method, path, query, headers, body, match):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.match = match

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def json(self, default=None):
        if not self.body:
            return default
        try:
            return json.loads(self.body.decode('utf-8'))
        except ValueError:
            return default


class App:
    """Routes, config, state, the request log and the faults of one sandbox."""

    def __init__(self, api_key, config):
        self.api_key = api_key
        self.initial_config = dict(config)
        self.config = dict(config)
        self.lock = threading.RLock()
        self.routes = []
        self.resetters = []
        self.state = {}
        self.requests = []
        self.faults = []
        self._fault_ids = 0

    def route(self, method, pattern, handler, auth=True):
        self.routes.append((method, re.compile('^%s$' % pattern), handler, auth))

    def on_reset(self, function):
        """``function(app)`` (re)builds a module's part of ``app.state``."""
        self.resetters.append(function)
        function(self)

    def reset(self):
        with self.lock:
            self.config = dict(self.initial_config)
            self.requests = []
            self.faults = []
            for function in self.resetters:
                function(self)

    # ---- faults -------------------------------------------------------------------------------

    def add_fault(self, spec):
        with self.lock:
            self._fault_ids += 1
            fault = {'id': self._fault_ids, 'method': str(spec.get('method', '*')).upper(), 'path': spec.get('path', '*'),
                     'status': spec.get('status'), 'count': int(spec.get('count', 1)),
                     'latency': float(spec.get('latency', 0) or 0), 'drop': bool(spec.get('drop', False)),
                     'retry_after': spec.get('retry_after'), 'body': spec.get('body')}
            self.faults.append(fault)
            return fault

    def take_fault(self, method, path):
        """The first active fault matching the request, consuming one use of it."""
        with self.lock:
            for fault in self.faults:
                if fault['method'] not in ('*', method) or fault['path'] not in ('*', path):
                    continue
                if fault['count'] > 0:
                    fault['count'] -= 1
                    if fault['count'] == 0:
                        self.faults.remove(fault)
                return dict(fault)
        return None

    def log_request(self, entry):
        with self.lock:
            entry['seq'] = len(self.requests) + 1
            self.requests.append(entry)

    def find(self, method, path):
        allowed = False
        for route_method, pattern, handler, auth in self.routes:
            match = pattern.match(path)
            if match:
                if route_method == method:
                    return handler, auth, match
                allowed = True
        return ('method_not_allowed' if allowed else None), False, None


def _redacted_query(query_string):
    pairs = parse_qs(query_string, keep_blank_values=True)
    parts = []
    for name in sorted(pairs):
        for value in pairs[name]:
            parts.append('%s=%s' % (name, '***' if name.lower() in ('apikey', 'api_key', 'token') else value))
    return '&'.join(parts)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'mas-dedicated-sandbox'
    app = None  # set by make_server

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def _send(self, status, headers, body):
        if isinstance(body, bytes):
            payload = body
        elif isinstance(body, str):
            payload = body.encode('utf-8')
            headers.setdefault('Content-Type', 'text/plain; charset=utf-8')
        elif body is None:
            payload = b''
        else:
            payload = json.dumps(body).encode('utf-8')
            headers.setdefault('Content-Type', 'application/json')
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(payload)

    def _handle(self):
        app = self.app
        split = urlsplit(self.path)
        path = split.path
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        if path.startswith(CONTROL):
            status, headers, payload = control(app, self.command, path, body)
            self._send(status, headers, payload)
            return
        entry = {'time': now_iso(), 'method': self.command, 'path': path, 'query': _redacted_query(split.query),
                 'headers': sorted(name.lower() for name in self.headers.keys()), 'fault': None, 'status': None}
        fault = app.take_fault(self.command, path)
        if fault:
            if fault['latency']:
                time.sleep(fault['latency'])
            if fault['drop']:
                entry['fault'] = 'drop'
                app.log_request(entry)
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if fault['status']:
                entry.update(fault='status', status=fault['status'])
                app.log_request(entry)
                headers = {'Retry-After': fault['retry_after']} if fault['retry_after'] is not None else {}
                default_body = error_body(fault['status'], 'SANDBOX', 'injected fault')
                self._send(fault['status'], headers, fault['body'] if fault['body'] is not None else default_body)
                return
            entry['fault'] = 'latency'
        status, headers, payload = self._dispatch(app, path, split.query, body)
        entry['status'] = status
        app.log_request(entry)
        self._send(status, headers, payload)

    def _dispatch(self, app, path, query_string, body):
        handler, auth, match = app.find(self.command, path)
        if handler is None:
            return 404, {}, error_body(404, 'BMXAA8727E', 'The resource %s was not found.' % path)
        if handler == 'method_not_allowed':
            return 405, {}, error_body(405, 'BMXAA9999E', 'Method %s is not allowed here.' % self.command)
        request = Request(self.command, path, parse_qs(query_string), self.headers, body, match)
        if auth and self.headers.get('apikey') != app.api_key:
            return 401, {}, UNAUTHORIZED
        with app.lock:
            result = handler(app, request)
        status, headers, payload = result
        return status, dict(headers or {}), payload

    do_GET = _handle
    do_POST = _handle
    do_PUT = _handle
    do_PATCH = _handle
    do_DELETE = _handle
    do_HEAD = _handle


def control(app, method, path, body):
    """The control plane: health, request log, faults, config, state, reset (no auth)."""
    name = path[len(CONTROL):].strip('/')
    try:
        data = json.loads(body.decode('utf-8')) if body else {}
    except ValueError:
        return 400, {}, {'error': 'body is not JSON'}
    with app.lock:
        if name == 'health':
            return 200, {}, {'ok': True}
        if name == 'requests':
            if method == 'DELETE':
                app.requests = []
                return 200, {}, {'cleared': True}
            return 200, {}, list(app.requests)
        if name == 'faults':
            if method == 'POST':
                return 201, {}, {'id': app.add_fault(data)['id']}
            if method == 'DELETE':
                app.faults = []
                return 200, {}, {'cleared': True}
            return 200, {}, list(app.faults)
        if name == 'config':
            if method == 'POST':
                for key, value in data.items():
                    if key not in app.config:
                        return 400, {}, {'error': 'unknown setting %s' % key}
                    app.config[key] = float(value)
            return 200, {}, dict(app.config)
        if name == 'state':
            return 200, {}, state_view(app)
        if name == 'reset' and method == 'POST':
            app.reset()
            return 200, {}, {'reset': True}
    return 404, {}, {'error': 'unknown control endpoint %s' % path}


def state_view(app):
    view = {'config': dict(app.config)}
    for key, value in app.state.items():
        view.update(value.view(app) if hasattr(value, 'view') else {key: value})
    return view


def make_server(app, host, port):
    handler = type('SandboxHandler', (Handler,), {'app': app})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
