# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal: HTTP/1.1 over the standard library for ``http_client.MasHttpClient``.

Why not requests, urllib3 or ansible's own ``module_utils.urls``: importing requests costs about 80 ms and urls about
130 ms in every module process, a third of what a Tools API task costs (``tests/benchmarks/task_overhead_bench.py``;
urllib3 alone still 35-55 ms more than ``http.client`` and ``ssl``), while the MAS APIs need only what
``http.client`` does: one kept-alive connection per client (urls, on ``urllib.request``, sends ``Connection:
close`` and connects again for every call of a paged read), TLS verified against the system store or ``ca_path``,
separate connect and read timeouts, the ``https_proxy`` / ``no_proxy`` environment (CONNECT tunnel), streamed
bodies. requests is not a run-time dependency of the collection; urllib3 comes only with boto3 for the COS
modules. Retries and error texts stay in ``http_client``.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import http.client
import json
import os
import select
import socket
import ssl
from urllib.parse import unquote, urlencode, urlsplit


class TransportError(Exception):
    """The call got no HTTP answer. ``kind``: 'connection', 'timeout' or 'tls'; ``connect_only``: it never
    reached the server (the TCP or TLS connection itself failed), so even a POST may be sent again."""

    def __init__(self, message, kind='connection', connect_only=False):
        super(TransportError, self).__init__(message)
        self.kind = kind
        self.connect_only = connect_only


class Response:
    """The parts of an HTTP answer the clients read (the names requests uses, so callers read naturally)."""

    def __init__(self, raw, release):
        self.raw = raw
        self.status_code = raw.status
        self.headers = raw.headers  # an email.message.Message: get() ignores case
        self.encoding = raw.headers.get_content_charset()
        self._content = None
        self._release = release

    @property
    def content(self):
        if self._content is None:
            try:
                self._content = self.raw.read()
            except (OSError, http.client.HTTPException) as exc:
                raise _transport_error(exc, connected=True)
            self.close()
        return self._content

    @property
    def text(self):
        return self.content.decode(self.encoding or 'utf-8', 'replace')

    def json(self):
        return json.loads(self.text)

    def iter_content(self, chunk_size):
        if self._content is not None:
            for start in range(0, len(self._content), chunk_size):
                yield self._content[start:start + chunk_size]
            return
        try:
            while True:
                block = self.raw.read(chunk_size)
                if not block:
                    break
                yield block
        except (OSError, http.client.HTTPException) as exc:
            raise _transport_error(exc, connected=True)
        self.close()

    def close(self):
        if self._release is not None:
            release, self._release = self._release, None
            release(self.raw)


def _transport_error(exc, connected):
    if isinstance(exc, ssl.SSLError) or isinstance(exc, ssl.CertificateError):
        kind = 'tls'
    elif isinstance(exc, (socket.timeout, TimeoutError)):
        kind = 'timeout'
    else:
        kind = 'connection'
    return TransportError('%s: %s' % (type(exc).__name__, exc), kind=kind, connect_only=not connected)


def proxy_for(scheme, host, environ=None):
    """The proxy URL from ``<scheme>_proxy`` (either case) for ``host``, or None when ``no_proxy`` excludes it."""
    environ = os.environ if environ is None else environ
    proxy = environ.get('%s_proxy' % scheme) or environ.get('%s_PROXY' % scheme.upper())
    if not proxy:
        return None
    for entry in (environ.get('no_proxy') or environ.get('NO_PROXY') or '').split(','):
        entry = entry.strip().lower().lstrip('.')
        if entry == '*' or (entry and (host.lower() == entry or host.lower().endswith('.' + entry))):
            return None
    return proxy if '://' in proxy else 'http://' + proxy


def _dropped(sock):
    """Whether an idle kept-alive socket was closed by the peer (it reads as ready: EOF, or stray bytes)."""
    if sock is None:
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


class Transport:
    """One kept-alive connection to one origin (scheme, host, port); not shared between threads."""

    def __init__(self, validate_certs=True, ca_path=None, connect_timeout=10.0, read_timeout=60.0, environ=None):
        self.connect_timeout = float(connect_timeout)
        self.read_timeout = float(read_timeout)
        self.environ = environ
        self._context = None
        self._validate_certs = validate_certs
        self._ca_path = ca_path
        self._connection = None
        self._origin = None

    def context(self):
        if self._context is None:
            if self._validate_certs or self._ca_path:
                self._context = ssl.create_default_context(cafile=self._ca_path or None)
            else:
                # The user turned verification off (validate_certs: false) for this client only.
                self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                self._context.check_hostname = False
                self._context.verify_mode = ssl.CERT_NONE
        return self._context

    def _connect(self, scheme, host, port):
        proxy = proxy_for(scheme, host, self.environ)
        target_host, target_port, tunnel, headers = host, port, None, {}
        if proxy:
            parts = urlsplit(proxy)
            if parts.username:
                token = '%s:%s' % (unquote(parts.username), unquote(parts.password or ''))
                headers['Proxy-Authorization'] = 'Basic ' + base64.b64encode(token.encode('utf-8')).decode('ascii')
            target_host, target_port = parts.hostname, parts.port or (443 if parts.scheme == 'https' else 8080)
            tunnel = (host, port)
        if scheme == 'https':
            connection = http.client.HTTPSConnection(target_host, target_port, timeout=self.connect_timeout,
                                                     context=self.context())
        else:
            connection = http.client.HTTPConnection(target_host, target_port, timeout=self.connect_timeout)
        if tunnel:
            connection.set_tunnel(tunnel[0], tunnel[1], headers=headers)
        try:
            connection.connect()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise _transport_error(exc, connected=False)
        connection.sock.settimeout(self.read_timeout)
        return connection

    def request(self, method, url, params=None, data=None, headers=None, stream=False):
        """Send one request and return its Response (read the body, or close it, before the next request)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ('http', 'https') or not parts.hostname:
            raise TransportError('not an http(s) URL: %s://%s' % (scheme, parts.hostname or ''), connect_only=True)
        origin = (scheme, parts.hostname, parts.port or (443 if scheme == 'https' else 80))
        target = parts.path or '/'
        query = parts.query
        if params:
            query = '&'.join(q for q in (query, urlencode(params, doseq=True)) if q)
        if query:
            target += '?' + query
        body = data.encode('utf-8') if isinstance(data, str) else data
        all_headers = {'Host': parts.netloc.rpartition('@')[2], 'Accept-Encoding': 'identity'}
        all_headers.update(headers or {})
        if body is not None:
            all_headers['Content-Length'] = str(len(body))
        if self._connection is not None and (self._origin != origin or _dropped(self._connection.sock)):
            # Another origin, or a kept-alive connection the server has closed meanwhile (found before sending,
            # as urllib3 does, so a request is never sent twice by this layer).
            self.close()
        if self._connection is None:
            self._connection = self._connect(*origin)
            self._origin = origin
        try:
            self._connection.request(method, target, body=body, headers=all_headers)
            raw = self._connection.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise _transport_error(exc, connected=True)
        response = Response(raw, self._release)
        if not stream:
            response.content  # pylint: disable=pointless-statement
        return response

    def _release(self, raw):
        # A body read to its end leaves the connection usable; anything else closes it.
        if not raw.isclosed() or raw.will_close:
            raw.close()
            self.close()

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            self._origin = None
