# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client for the MAS APIs (Tools API, Manage REST, logging service).

The API key travels only in the ``apikey`` header (never in a URL, where it would reach access logs);
TLS is verified unless the user turns it off; retries follow ``retry.RetryPolicy``; every failure
becomes one ``MasApiError`` whose text names the call, the status and a hint, with secrets redacted.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import time
from urllib.parse import urlsplit

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.http_transport import Transport, TransportError
from ansible_collections.mas.dedicated.plugins.module_utils.common.redact import redact_text
from ansible_collections.mas.dedicated.plugins.module_utils.common.retry import RetryPolicy, is_safe, parse_retry_after

USER_AGENT = 'mas.dedicated-ansible-collection'

_HINTS = {
    400: 'the service rejected the request; check the options given to the task',
    401: "the API key was refused: check 'api_key' (MAS_API_KEY) is the current Manage API key of this environment",
    403: "the API key is not allowed to do this: check the key's user and its security groups",
    404: "nothing answers at this path: check 'tools_url' / 'manage_url' for this environment (and the log name)",
    409: 'the object already exists or changed meanwhile',
    429: 'the service is rate limiting; try again later or lower the number of parallel calls',
}
_HINT_5XX = 'the service is unavailable or failing; try again later, and open a support case if it persists'


def hint_for(status):
    if status is None:
        return None
    if status in _HINTS:
        return _HINTS[status]
    if status >= 500:
        return _HINT_5XX
    return None


class MasApiError(ServiceError):
    """A failed call: ``call`` ("POST /toolsapi/toolservice/icheckerreport"), status, detail and hint."""

    def __init__(self, call, status=None, detail=None, hint=None, attempts=1, secrets=(), kind='http'):
        self.call = call
        # 'http' (the service answered with an error), 'connection', 'timeout' or 'tls'.
        self.kind = kind
        self.status = status
        self.attempts = attempts
        self.detail = redact_text(detail, secrets) if detail else None
        self.hint = hint if hint is not None else hint_for(status)
        parts = ['%s failed' % call]
        parts.append(': HTTP %s' % status if status is not None else '')
        if self.detail:
            parts.append(' (%s)' % self.detail)
        if attempts > 1:
            parts.append(' after %d attempts' % attempts)
        text = ''.join(parts) + '.'
        if self.hint:
            text += ' Hint: %s.' % self.hint.rstrip('.')
        super(MasApiError, self).__init__(redact_text(text, secrets))

    def to_dict(self):
        return {'call': self.call, 'status': self.status, 'attempts': self.attempts, 'kind': self.kind}


def error_detail(response, limit=300):
    """The service's own message from a Maximo/MAS error body, else a short start of the body."""
    text = response.text or ''
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        exception = body.get('exception') if isinstance(body.get('exception'), dict) else None  # MAS API errors
        inner = body.get('Error') or body.get('error') or exception or body
        if isinstance(inner, dict):
            for key in ('message', 'exception', 'detail', 'description'):
                if inner.get(key):
                    return str(inner[key])[:limit]
        if isinstance(body.get('message'), str) and body['message']:
            # MAS: {"exception": {"id", "properties"}, "message": "AIUI1002E: ..."} (IBM support page quote)
            return body['message'][:limit]
    text = ' '.join(text.split())
    return text[:limit] if text else None


def _connection_hint(kind):
    if kind == 'tls':
        return ("TLS verification failed: give the CA bundle in 'ca_path' (MAS_CA_PATH); "
                "turn 'validate_certs' off only for a throw-away test server")
    if kind == 'timeout':
        return "no answer in time: raise 'timeout' or check the network path (VPN, proxy, firewall)"
    return 'cannot reach the host: check the URL, DNS, proxy settings and the network path'


class MasHttpClient:
    """HTTP calls against one base URL with the MAS API key.

    ``sleep`` is injectable so the retry logic is testable without waiting.
    """

    def __init__(self, base_url, api_key=None, validate_certs=True, ca_path=None, timeout=60.0,
                 connect_timeout=10.0, retry=None, transport=None, sleep=time.sleep,
                 extra_secrets=(), hints=None):
        self.base_url = base_url.rstrip('/')
        self._api_key = api_key
        self.transport = transport or Transport(validate_certs=validate_certs, ca_path=ca_path,
                                                connect_timeout=connect_timeout, read_timeout=timeout)
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self.secrets = tuple(s for s in (api_key,) + tuple(extra_secrets) if s)
        # Status hints of this API family (its key and option names) over the Manage ones of hint_for().
        self.hints = dict(hints or {})
        self.calls = 0

    def url(self, path):
        if path.startswith('http://') or path.startswith('https://'):
            return path
        return '%s/%s' % (self.base_url, path.lstrip('/'))

    def _headers(self, headers, body_is_json):
        result = {'Accept': 'application/json', 'User-Agent': USER_AGENT}
        if self._api_key:
            result['apikey'] = self._api_key
        if body_is_json:
            result['Content-Type'] = 'application/json'
        result.update(headers or {})
        return result

    def call_name(self, method, path):
        # The path alone identifies the call and never carries a secret (no host, no query string).
        return '%s %s' % (method.upper(), urlsplit(self.url(path)).path or '/')

    def request(self, method, path, params=None, json_body=None, data=None, headers=None, expect=(200,),
                idempotent=None, stream=False, retries=True):
        """Send one call, retrying what is safe to retry; return the response or raise MasApiError.

        ``expect`` lists the statuses that count as success. ``retries=False`` sends exactly once
        (used by probes whose failure is an answer, not an error).
        """
        method = method.upper()
        safe = is_safe(method, idempotent)
        call = self.call_name(method, path)
        attempt = 0
        waited = 0.0
        send_json = json_body is not None
        if send_json and method != 'GET':
            data = json.dumps(json_body)
        elif data is None and method == 'POST':
            data = ''
        # The retry loop over http_transport; retry.py says why it is not urllib3's Retry.
        while True:
            attempt += 1
            self.calls += 1
            try:
                response = self.transport.request(method, self.url(path), params=params, data=data,
                                                  headers=self._headers(headers, send_json), stream=stream)
            except TransportError as exc:
                if retries and self.retry.should_retry(attempt, safe, connection_error=True, connect_only=exc.connect_only):
                    pause = self.retry.delay(attempt)
                    if self.retry.fits(waited, pause):
                        self._sleep(pause)
                        waited += pause
                        continue
                raise MasApiError(call, detail=str(exc), hint=_connection_hint(exc.kind), attempts=attempt,
                                  secrets=self.secrets, kind=exc.kind)
            if response.status_code in expect:
                return response
            if retries and self.retry.should_retry(attempt, safe, status=response.status_code):
                pause = self.retry.delay(attempt, parse_retry_after(response.headers.get('Retry-After')))
                if self.retry.fits(waited, pause):
                    response.close()
                    self._sleep(pause)
                    waited += pause
                    continue
            detail = error_detail(response)
            response.close()
            raise MasApiError(call, status=response.status_code, detail=detail, attempts=attempt,
                              hint=self.hints.get(response.status_code), secrets=self.secrets)

    def get_json(self, path, params=None, **kwargs):
        response = self.request('GET', path, params=params, **kwargs)
        return self.decode_json(response, 'GET', path)

    def post_json(self, path, body=None, **kwargs):
        """POST ``body`` as JSON, or no body at all when it is None (not ``{}``: IBM's clients send none to the Tools
        API and the logging service), and decode the JSON answer."""
        response = self.request('POST', path, json_body=body, **kwargs)
        if not response.content:
            return {}
        return self.decode_json(response, 'POST', path)

    def decode_json(self, response, method, path):
        try:
            return response.json()
        except ValueError:
            raise MasApiError(self.call_name(method, path), status=response.status_code,
                              detail='the answer was not JSON: %s' % (response.text or '')[:120],
                              hint='check that the URL points at the MAS API and not at a login page or proxy',
                              secrets=self.secrets)


def client_for(params, base_url, **kwargs):
    """A MasHttpClient for ``base_url`` with the connection, TLS and transport options of ``params``."""
    retry = RetryPolicy(retries=params['retries'], max_wait=params['retry_max_wait'])
    return MasHttpClient(base_url, api_key=params.get('api_key'), validate_certs=params['validate_certs'],
                         ca_path=params.get('ca_path'), timeout=params['timeout'], retry=retry, **kwargs)
