# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sandbox machinery: server, router, API-key auth, request log, fault injection, state, config.

Writing an API module (see tools_api.py and manage.py)
-------------------------------------------------------
A module defines ``register(app)`` and is listed once in ``API_MODULES`` of ``sandbox/__init__.py``::

    from .core import json_response, maximo_error

    def hello(request):
        return json_response({'hello': request.arg('name', 'world')})

    def register(app):
        app.add_component('hello', HelloState)          # optional: state rebuilt by POST /_sandbox/reset
        app.add_route('GET', '/maximo/api/hello', hello)  # auth=True: needs the ``apikey`` header

or, with a module-level router, ``ROUTES = Router()``, ``@ROUTES.route('GET', '/x/{id}')`` on each handler and
``app.include(ROUTES)`` in ``register``.

Routes
    ``pattern`` is a literal path (``/toolsapi/toolservice/toolslog``), a path with ``{name}`` placeholders (one
    segment each, given to the handler as ``request.params['name']``), or a regular expression (a compiled ``re``
    pattern, or a string holding any of ``^$()[]\\*+?|``) that must match the whole path; its named groups become
    ``request.params``. ``method`` is an HTTP verb or ``*``. ``auth=True`` requires the ``apikey`` header to equal
    the sandbox key (a query parameter never counts); ``auth=False`` leaves authentication to the handler (e.g.
    the MAS user API, which uses its own tokens). ``route`` works as a decorator or, given a handler, as a call:
    ``app.route('GET', '/x', handler)``.

Handlers
    ``handler(request)`` runs under ``app.lock`` and returns ``(status, headers, body)``: ``headers`` a dict or
    None, ``body`` bytes, str (sent as text/plain unless a Content-Type is given), None, or anything JSON can
    serialise (sent as application/json). ``json_response``, ``text_response`` and ``maximo_error`` build these.
    A handler may also ``raise HttpError(status, code, message)``. The ``Request`` carries ``app``, ``method``,
    ``path`` (no query), ``query`` (name -> last value), ``query_lists`` (name -> all values), ``headers``
    (case-insensitive ``.get``), ``body`` (raw bytes), ``json()``, ``params`` (from the route pattern).

State and config
    ``app.add_component(name, factory)`` stores ``factory(app)`` as ``app.component(name)`` and calls the factory
    again on reset. A component with a ``view()`` method adds that dict to ``GET /_sandbox/state``. Time-driven
    changes are evaluated lazily when a request looks at them: no background threads. ``app.config`` holds the
    numeric settings (delays, seconds) changed by ``POST /_sandbox/config``; ``app.add_setting`` adds one.

Guards
    ``app.add_guard(prefix, check)``: for every API request whose path starts with ``prefix``, ``check(request)``
    runs before routing and auth and may answer instead (how manage.py makes all of ``/maximo/`` answer 503
    while Manage is down).

Secrets
    The request log keeps header names only, never header values or bodies, and masks secret-looking query
    parameters. Nothing here prints a key.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import collections
import fnmatch
import hmac
import json
import re
import socket
import sys
import threading
import time
import traceback
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, unquote_plus, urlsplit

CONTROL_PREFIX = '/_sandbox'
MAX_BODY = 16 * 1024 * 1024
REQUEST_LOG_SIZE = 10000
SECRET_QUERY_NAMES = ('apikey', 'api_key', 'api-key', 'access_token', 'token', 'password', 'secret')
UNAUTHORIZED_BODY = {'Error': {'reasonCode': 'BMXAA7901E',
                               'message': 'BMXAA7901E - You cannot log in at this time. Contact the system administrator.',
                               'statusCode': '401'}}
JSON_TYPE = 'application/json'
TEXT_TYPE = 'text/plain; charset=utf-8'


# ---- time and responses ---------------------------------------------------------------------------------

def utc_now():
    """The current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def iso(stamp=None, millis=False):
    """ISO-8601 UTC text, ``2026-11-22T13:44:57Z`` (or ``...57.123Z`` with millis)."""
    stamp = stamp or utc_now()
    text = stamp.strftime('%Y-%m-%dT%H:%M:%S')
    if millis:
        text += '.%03d' % (stamp.microsecond // 1000)
    return text + 'Z'


def json_response(obj, status=200, headers=None):
    """A JSON answer."""
    merged = {'Content-Type': JSON_TYPE}
    merged.update(headers or {})
    return status, merged, json.dumps(obj).encode('utf-8')


def text_response(text, status=200, content_type=TEXT_TYPE, headers=None):
    """A text answer (plain text unless told otherwise)."""
    merged = {'Content-Type': content_type}
    merged.update(headers or {})
    return status, merged, text.encode('utf-8')


def maximo_body(status, code, message):
    """The error document Maximo answers with: ``{"Error": {"reasonCode", "message", "statusCode"}}``."""
    return {'Error': {'reasonCode': code, 'message': '%s - %s' % (code, message), 'statusCode': str(status)}}


def maximo_error(status, code, message, headers=None):
    """A Maximo-style JSON error answer."""
    return json_response(maximo_body(status, code, message), status, headers)


def unauthorized():
    """The 401 Maximo gives for a missing or wrong API key."""
    return json_response(UNAUTHORIZED_BODY, 401)


class HttpError(Exception):
    """Raised by a handler (or ``Request.json``) to answer with a Maximo-style error."""

    def __init__(self, status, code, message, headers=None):
        super(HttpError, self).__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers

    def response(self):
        """The answer this error stands for."""
        return maximo_error(self.status, self.code, self.message, self.headers)


def encode_body(status, headers, body):
    """``(status, headers, body)`` from a handler -> ``(status, headers, bytes)`` with a Content-Type."""
    headers = dict(headers or {})
    has_type = any(name.lower() == 'content-type' for name in headers)
    if body is None:
        payload = b''
    elif isinstance(body, bytes):
        payload = body
        if not has_type and payload:
            headers['Content-Type'] = 'application/octet-stream'
    elif isinstance(body, str):
        payload = body.encode('utf-8')
        if not has_type:
            headers['Content-Type'] = TEXT_TYPE
    else:
        payload = json.dumps(body).encode('utf-8')
        if not has_type:
            headers['Content-Type'] = JSON_TYPE
    return int(status), headers, payload


# ---- requests and routes --------------------------------------------------------------------------------

class Request:
    """What a handler sees of one request."""

    def __init__(self, app, method, path, query_string, headers, body, params=None):
        self.app = app
        self.method = method
        self.path = path
        self.query_string = query_string
        self.query_lists = parse_qs(query_string, keep_blank_values=True)
        self.query = dict((name, values[-1]) for name, values in self.query_lists.items())
        self.headers = headers
        self.body = body
        self.params = dict(params or {})

    def arg(self, name, default=None):
        """One query parameter (the last if repeated)."""
        return self.query.get(name, default)

    def header(self, name, default=None):
        """One request header, case-insensitive."""
        value = self.headers.get(name) if self.headers is not None else None
        return default if value is None else value

    def text(self):
        """The body as text."""
        return self.body.decode('utf-8', 'replace')

    def json(self, required=False):
        """The JSON body; None when empty (400 if required); 400 when it is not JSON."""
        if not self.body.strip():
            if required:
                raise HttpError(400, 'BMXAA9590E', 'A JSON body is required.')
            return None
        try:
            return json.loads(self.body.decode('utf-8'))
        except ValueError:
            raise HttpError(400, 'BMXAA9590E', 'The request body is not valid JSON.') from None


_PLACEHOLDER = re.compile(r'\{([A-Za-z_][A-Za-z0-9_]*)\}')
_REGEX_CHARS = frozenset('^$()[]\\*+?|')


def compile_pattern(pattern):
    """A literal path, a path with ``{name}`` placeholders, or a regex (compiled or as text) -> compiled regex."""
    if not isinstance(pattern, str):
        return pattern
    if _REGEX_CHARS.intersection(pattern):
        return re.compile(pattern)
    parts = []
    last = 0
    for placeholder in _PLACEHOLDER.finditer(pattern):
        parts.append(re.escape(pattern[last:placeholder.start()]))
        parts.append('(?P<%s>[^/]+)' % placeholder.group(1))
        last = placeholder.end()
    parts.append(re.escape(pattern[last:]))
    return re.compile(''.join(parts))


class Route:
    """One route: method, whole-path pattern, handler and whether the API key is checked."""

    def __init__(self, method, pattern, handler, auth=True, control=False):
        self.method = method.upper()
        self.pattern = pattern if isinstance(pattern, str) else pattern.pattern
        self.regex = compile_pattern(pattern)
        self.handler = handler
        self.auth = auth
        self.control = control

    def match(self, path):
        """The params of the path when it matches, else None."""
        found = self.regex.fullmatch(path)
        if found is None:
            return None
        return dict((name, unquote(value)) for name, value in found.groupdict().items() if value is not None)

    def describe(self):
        return {'method': self.method, 'path': self.pattern, 'auth': bool(self.auth)}


class Router:
    """An ordered list of routes; the first match wins."""

    def __init__(self):
        self.routes = []

    def add(self, method, pattern, handler, auth=True, control=False):
        """Add a route; returns the handler so this also works as a plain function call."""
        self.routes.append(Route(method, pattern, handler, auth, control))
        return handler

    def route(self, method, pattern, handler=None, auth=True, control=False):
        """``add`` when given a handler, else a decorator that adds the function it decorates."""
        if handler is not None:
            return self.add(method, pattern, handler, auth, control)

        def decorator(function):
            return self.add(method, pattern, function, auth, control)
        return decorator

    def include(self, other):
        """Add every route of another router."""
        self.routes.extend(other.routes)

    def resolve(self, method, path):
        """``(route, params, allowed_methods)``: route is None when nothing matches the method."""
        allowed = []
        for route in self.routes:
            params = route.match(path)
            if params is None:
                continue
            if route.method in ('*', method):
                return route, params, allowed
            allowed.append(route.method)
        return None, None, allowed


# ---- faults and the request log -------------------------------------------------------------------------

class Fault:
    """One injected fault; ``count`` is how many more requests it affects (-1: forever)."""

    def __init__(self, fault_id, spec):
        if not isinstance(spec, dict):
            raise ValueError('a fault is a JSON object')
        unknown = set(spec) - set(('method', 'path', 'status', 'count', 'latency', 'drop', 'retry_after', 'body'))
        if unknown:
            raise ValueError('unknown fault fields: %s' % ', '.join(sorted(unknown)))
        self.id = fault_id
        self.method = str(spec.get('method') or '*').upper()
        self.path = str(spec.get('path') or '*')
        self.status = spec.get('status')
        if self.status is not None and (isinstance(self.status, bool) or not isinstance(self.status, int) or not 100 <= self.status <= 599):
            raise ValueError('status must be an HTTP status code (100-599) or null')
        count = spec.get('count', 1)
        if isinstance(count, bool) or not isinstance(count, int) or count == 0 or count < -1:
            raise ValueError('count must be a positive integer or -1 (forever)')
        self.count = count
        latency = spec.get('latency') or 0
        if isinstance(latency, bool) or not isinstance(latency, (int, float)) or latency < 0:
            raise ValueError('latency must be a number of seconds >= 0')
        self.latency = float(latency)
        if not isinstance(spec.get('drop', False), bool):
            raise ValueError('drop must be true or false')
        self.drop = spec.get('drop', False)
        retry_after = spec.get('retry_after')
        self.retry_after = None if retry_after is None else str(retry_after)
        body = spec.get('body')
        self.body = body if body is None or isinstance(body, str) else json.dumps(body)
        if self.status is None and not self.drop and not self.latency:
            raise ValueError('a fault needs a status, drop or latency')

    def matches(self, method, path):
        if self.method not in ('*', method):
            return False
        return self.path == '*' or self.path == path or ('*' in self.path and fnmatch.fnmatchcase(path, self.path))

    @property
    def kind(self):
        """How the request is answered: drop, status or latency."""
        if self.drop:
            return 'drop'
        return 'status' if self.status is not None else 'latency'

    def response(self):
        """The injected answer of a status fault."""
        headers = {}
        if self.retry_after is not None:
            headers['Retry-After'] = self.retry_after
        if self.body is None:
            return maximo_error(self.status, 'BMXAA0000E', 'Injected sandbox fault: HTTP %d.' % self.status, headers)
        try:
            json.loads(self.body)
            headers['Content-Type'] = JSON_TYPE
        except ValueError:
            headers['Content-Type'] = TEXT_TYPE
        return self.status, headers, self.body.encode('utf-8')

    def as_dict(self):
        return {'id': self.id, 'method': self.method, 'path': self.path, 'status': self.status, 'count': self.count,
                'latency': self.latency, 'drop': self.drop, 'retry_after': self.retry_after, 'body': self.body}


class FaultTable:
    """Active faults, applied in the order they were added."""

    def __init__(self):
        self.faults = []
        self.last_id = 0

    def add(self, spec):
        fault = Fault(self.last_id + 1, spec)
        self.last_id += 1
        self.faults.append(fault)
        return fault

    def take(self, method, path):
        """The first fault matching the request, with one use consumed; None when none matches."""
        for fault in self.faults:
            if fault.matches(method, path):
                if fault.count > 0:
                    fault.count -= 1
                    if fault.count == 0:
                        self.faults.remove(fault)
                return fault
        return None

    def remove(self, fault_id):
        before = len(self.faults)
        self.faults = [fault for fault in self.faults if fault.id != fault_id]
        return len(self.faults) != before

    def clear(self):
        count = len(self.faults)
        self.faults = []
        return count

    def listing(self):
        return [fault.as_dict() for fault in self.faults]


def redact_query(query_string):
    """The query string as sent, with the value of any secret-looking parameter replaced by ``***``."""
    if not query_string:
        return ''
    parts = []
    for part in query_string.split('&'):
        name, sep, dummy = part.partition('=')
        if unquote_plus(name).strip().lower() in SECRET_QUERY_NAMES:
            part = name + (sep or '=') + '***'
        parts.append(part)
    return '&'.join(parts)


class RequestLog:
    """Every API request seen (control-plane calls excluded): names of headers only, never values or bodies."""

    def __init__(self, size=REQUEST_LOG_SIZE):
        self.entries = collections.deque(maxlen=size)
        self.seq = 0

    def start(self, method, path, query_string, header_names):
        """A new entry (not yet recorded)."""
        self.seq += 1
        return {'seq': self.seq, 'time': iso(millis=True), 'method': method, 'path': path,
                'query': redact_query(query_string), 'status': None, 'fault': None,
                'headers': sorted(set(name.lower() for name in header_names))}

    def record(self, entry):
        self.entries.append(entry)

    def clear(self):
        count = len(self.entries)
        self.entries.clear()
        return count

    def listing(self):
        return [dict(entry) for entry in self.entries]


# ---- the application ------------------------------------------------------------------------------------

class App:
    """Routes, config, state components, guards, the request log and the faults of one sandbox."""

    def __init__(self, api_key, config=None):
        self.api_key = api_key
        self.initial_config = dict(config or {})
        self.config = dict(self.initial_config)
        self.lock = threading.RLock()
        self.router = Router()
        self.guards = []
        # Extra facts for the ready file (e.g. the S3 endpoint and bucket keys), filled by API modules.
        self.info = {}
        self.closers = []
        self.components = collections.OrderedDict()
        self.factories = collections.OrderedDict()
        self.requests = RequestLog()
        self.faults = FaultTable()
        register_control(self)
        # How many requests the log keeps (the oldest go first); a benchmark of thousands of calls raises it.
        self.add_setting('request_log_size', REQUEST_LOG_SIZE)

    # -- extension points
    def add_route(self, method, pattern, handler, auth=True):
        return self.router.add(method, pattern, handler, auth)

    def route(self, method, pattern, handler=None, auth=True):
        return self.router.route(method, pattern, handler, auth)

    def include(self, router):
        self.router.include(router)

    def add_guard(self, prefix, check):
        self.guards.append((prefix, check))

    def add_component(self, name, factory):
        with self.lock:
            self.factories[name] = factory
            self.components[name] = factory(self)

    def component(self, name):
        return self.components[name]

    def add_setting(self, name, default):
        with self.lock:
            self.initial_config.setdefault(name, float(default))
            self.config.setdefault(name, self.initial_config[name])

    def add_closer(self, function):
        """``function()`` runs once when the sandbox shuts down (e.g. to stop a helper server)."""
        self.closers.append(function)

    def close(self):
        for function in reversed(self.closers):
            function()

    # -- control
    def reset(self):
        """Back to the state right after start: components rebuilt, config from the CLI, log and faults empty."""
        with self.lock:
            self.config = dict(self.initial_config)
            self.requests = RequestLog(int(self.config['request_log_size']))
            self.faults = FaultTable()
            for name, factory in self.factories.items():
                self.components[name] = factory(self)

    def update_config(self, changes):
        if not isinstance(changes, dict):
            raise ValueError('the config is a JSON object')
        with self.lock:
            for name, value in changes.items():
                if name not in self.config:
                    raise ValueError('unknown setting %r (known: %s)' % (name, ', '.join(sorted(self.config))))
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    raise ValueError('%s must be a number of seconds >= 0' % name)
            for name, value in changes.items():
                self.config[name] = float(value)
            if 'request_log_size' in changes:
                # A new size starts an empty log.
                self.requests = RequestLog(max(1, int(self.config['request_log_size'])))
            return dict(self.config)

    def state_view(self):
        with self.lock:
            view = {}
            for component in self.components.values():
                if hasattr(component, 'view'):
                    view.update(component.view())
            view['config'] = dict(self.config)
            return view

    # -- dispatch
    def authorized(self, request):
        """Whether the ``apikey`` header carries the sandbox key (query parameters do not count)."""
        given = request.header('apikey')
        if given is None:
            return False
        return hmac.compare_digest(given.encode('utf-8', 'replace'), self.api_key.encode('utf-8'))

    def dispatch(self, request):
        """The answer to an API request, as ``(status, headers, bytes)``: guards, routing, auth, handler."""
        try:
            with self.lock:
                result = self._dispatch(request)
        except HttpError as error:
            result = error.response()
        except Exception as error:  # pylint: disable=broad-exception-caught  # a broken handler must answer
            traceback.print_exc(file=sys.stderr)
            result = maximo_error(500, 'BMXAA4214E', 'Sandbox handler error: %s' % type(error).__name__)
        return encode_body(*result)

    def _dispatch(self, request):
        is_control = request.path == CONTROL_PREFIX or request.path.startswith(CONTROL_PREFIX + '/')
        if not is_control:
            for prefix, check in self.guards:
                if request.path.startswith(prefix):
                    answer = check(request)
                    if answer is not None:
                        return answer
        route, params, allowed = self.router.resolve(request.method, request.path)
        if route is None or route.control != is_control:
            if allowed and route is None:
                return maximo_error(405, 'BMXAA9372E', 'The method %s is not allowed on %s.' % (request.method, request.path),
                                    {'Allow': ', '.join(sorted(set(allowed)))})
            return maximo_error(404, 'BMXAA8727E', 'The resource %s was not found.' % request.path)
        if route.auth and not self.authorized(request):
            return unauthorized()
        request.params = params
        return route.handler(request)


# ---- the control plane (no auth, not logged, no faults) -------------------------------------------------

def _control_json(request):
    try:
        data = request.json()
    except HttpError:
        raise HttpError(400, 'SANDBOX', 'the body is not JSON') from None
    return {} if data is None else data


def _health(request):  # pylint: disable=unused-argument
    return json_response({'ok': True})


def _requests_list(request):
    return json_response(request.app.requests.listing())


def _requests_clear(request):
    return json_response({'cleared': request.app.requests.clear()})


def _faults_list(request):
    return json_response(request.app.faults.listing())


def _faults_add(request):
    try:
        fault = request.app.faults.add(_control_json(request))
    except ValueError as error:
        return json_response({'error': str(error)}, 400)
    return json_response({'id': fault.id}, 201)


def _faults_clear(request):
    return json_response({'cleared': request.app.faults.clear()})


def _fault_remove(request):
    try:
        fault_id = int(request.params['fault_id'])
    except ValueError:
        fault_id = -1
    if not request.app.faults.remove(fault_id):
        return json_response({'error': 'no active fault %s' % request.params['fault_id']}, 404)
    return json_response({'removed': fault_id})


def _config_get(request):
    return json_response(dict(request.app.config))


def _config_set(request):
    try:
        return json_response(request.app.update_config(_control_json(request)))
    except ValueError as error:
        return json_response({'error': str(error)}, 400)


def _state(request):
    return json_response(request.app.state_view())


def _reset(request):
    request.app.reset()
    return json_response(request.app.state_view())


def _routes(request):
    return json_response([route.describe() for route in request.app.router.routes if not route.control])


def register_control(app):
    """The ``/_sandbox`` routes."""
    routes = (
        ('GET', '/health', _health),
        ('GET', '/requests', _requests_list),
        ('DELETE', '/requests', _requests_clear),
        ('GET', '/faults', _faults_list),
        ('POST', '/faults', _faults_add),
        ('DELETE', '/faults', _faults_clear),
        ('DELETE', '/faults/{fault_id}', _fault_remove),
        ('GET', '/config', _config_get),
        ('POST', '/config', _config_set),
        ('GET', '/state', _state),
        ('POST', '/reset', _reset),
        ('GET', '/routes', _routes),
    )
    for method, path, handler in routes:
        app.router.add(method, CONTROL_PREFIX + path, handler, auth=False, control=True)


# ---- HTTP ---------------------------------------------------------------------------------------------

class BadRequest(Exception):
    """The request could not be read."""


class Handler(BaseHTTPRequestHandler):
    """Reads a request, applies faults, dispatches to the app, logs and answers."""

    protocol_version = 'HTTP/1.1'
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    server_version = 'mas-dedicated-sandbox/1'

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Silence the default access log (it would print query strings)."""

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_PATCH(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def do_HEAD(self):
        self.handle_any()

    def _read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                try:
                    size = int(line.split(b';', 1)[0].strip(), 16)
                except ValueError:
                    raise BadRequest('bad chunk size') from None
                if size == 0:
                    while self.rfile.readline(65537) not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                total += size
                if total > MAX_BODY:
                    raise BadRequest('body too large')
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            raise BadRequest('bad Content-Length') from None
        if length < 0 or length > MAX_BODY:
            raise BadRequest('bad Content-Length')
        return self.rfile.read(length) if length else b''

    def _send(self, status, headers, payload):
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ('content-length', 'connection'):
                self.send_header(name, str(value))
        self.send_header('Content-Length', str(len(payload)))
        if self.close_connection:
            self.send_header('Connection', 'close')
        self.end_headers()
        if self.command != 'HEAD' and payload:
            self.wfile.write(payload)

    def _drop(self):
        """Close the connection without answering."""
        self.close_connection = True  # pylint: disable=attribute-defined-outside-init
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def handle_any(self):
        app = self.server.app
        split = urlsplit(self.path)
        path = split.path or '/'
        method = self.command
        try:
            body = self._read_body()
        except BadRequest as error:
            self.close_connection = True  # pylint: disable=attribute-defined-outside-init
            self._send(*encode_body(*json_response({'error': str(error)}, 400)))
            return
        request = Request(app, 'GET' if method == 'HEAD' else method, path, split.query, self.headers, body)
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + '/'):
            self._send(*app.dispatch(request))
            return
        with app.lock:
            requests = app.requests
            entry = requests.start(method, path, split.query, self.headers.keys())
            fault = app.faults.take(method, path)
            if fault is not None:
                entry['fault'] = fault.kind
        if fault is not None and fault.latency:
            time.sleep(fault.latency)
        if fault is not None and fault.drop:
            self._finish(requests, entry, None)
            self._drop()
            return
        if fault is not None and fault.status is not None:
            status, headers, payload = encode_body(*fault.response())
        else:
            status, headers, payload = app.dispatch(request)
        self._finish(requests, entry, status)
        self._send(status, headers, payload)

    def _finish(self, requests, entry, status):
        entry['status'] = status
        with self.server.app.lock:
            requests.record(entry)
        if self.server.verbose:
            sys.stderr.write('%s #%d %s %s -> %s%s\n' % (entry['time'], entry['seq'], entry['method'], entry['path'],
                                                         status if status is not None else 'dropped',
                                                         ' (fault: %s)' % entry['fault'] if entry['fault'] else ''))
            sys.stderr.flush()


class SandboxServer(ThreadingHTTPServer):
    """The HTTP server of one App; ``url`` is where it listens."""

    daemon_threads = True
    block_on_close = False  # SIGTERM must not wait for a request sleeping in an injected latency
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, app, address, verbose=False):
        self.app = app
        self.verbose = verbose
        ThreadingHTTPServer.__init__(self, address, Handler)

    @property
    def port(self):
        return self.server_address[1]

    @property
    def url(self):
        host = self.server_address[0]
        if ':' in host:
            host = '[%s]' % host
        return 'http://%s:%d' % (host, self.port)


class SandboxServer6(SandboxServer):
    """The same on IPv6."""

    address_family = socket.AF_INET6


def make_server(app, host='127.0.0.1', port=0, verbose=False):
    """A bound, listening server (not yet serving)."""
    server_class = SandboxServer6 if ':' in host else SandboxServer
    return server_class(app, (host, port), verbose)


def serve_in_thread(app, host='127.0.0.1', port=0):
    """Start a server in a daemon thread (for in-process tests); stop with ``shutdown()`` then ``server_close()``."""
    server = make_server(app, host, port)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, name='sandbox')
    thread.daemon = True
    thread.start()
    return server
