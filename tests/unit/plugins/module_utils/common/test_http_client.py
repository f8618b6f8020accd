# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client against a real local HTTP server that answers from a script."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError, MasHttpClient, error_detail
from ansible_collections.mas.dedicated.plugins.module_utils.common.retry import RetryPolicy

KEY = 'unit-test-key-0123456789abcdef'


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass

    def _answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        self.server.seen.append({'method': self.command, 'path': self.path, 'apikey': self.headers.get('apikey'),
                                 'body': self.rfile.read(length).decode(),
                                 'content_type': self.headers.get('Content-Type')})
        step = self.server.script.pop(0) if self.server.script else (200, {}, '{"ok": true}')
        status, headers, body = step
        if status == 'drop':
            self.close_connection = True
            self.connection.close()
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    do_GET = _answer
    do_POST = _answer


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
    httpd.script = []
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _client(server, sleeps, **kwargs):
    retry = kwargs.pop('retry', RetryPolicy(retries=3, backoff=0.5, max_wait=30))
    return MasHttpClient('http://127.0.0.1:%d/base/' % server.server_address[1], api_key=KEY, retry=retry,
                         timeout=5, sleep=sleeps.append, **kwargs)


def test_api_key_travels_in_the_header_only(server):
    client = _client(server, [])
    assert client.get_json('/x', params={'lean': 1}) == {'ok': True}
    seen = server.seen[0]
    assert seen['apikey'] == KEY
    assert KEY not in seen['path'] and seen['path'] == '/base/x?lean=1'


def test_503_burst_is_survived_with_backoff_and_retry_after(server):
    server.script = [(503, {}, 'busy'), (503, {'Retry-After': '2'}, 'busy'), (200, {}, '[1]')]
    sleeps = []
    assert _client(server, sleeps).get_json('/x') == [1]
    assert sleeps == [0.5, 2.0]
    assert len(server.seen) == 3


def test_gives_up_after_the_retry_budget_and_says_so(server):
    server.script = [(503, {}, 'down')] * 10
    sleeps = []
    with pytest.raises(MasApiError) as err:
        _client(server, sleeps).get_json('/toolservice/toolslog')
    assert err.value.status == 503 and err.value.attempts == 4
    assert 'GET /base/toolservice/toolslog failed: HTTP 503 (down) after 4 attempts' in str(err.value)
    assert 'try again later' in str(err.value)


def test_total_wait_bound_stops_retrying_early(server):
    server.script = [(503, {'Retry-After': '20'}, '')] * 10
    sleeps = []
    with pytest.raises(MasApiError):
        _client(server, sleeps, retry=RetryPolicy(retries=9, max_backoff=30, max_wait=45)).get_json('/x')
    assert sleeps == [20.0, 20.0]


def test_permanent_500_is_not_retried_and_carries_the_service_message(server):
    body = json.dumps({'Error': {'message': 'BMXAA4214E - An unknown error has occurred.', 'statusCode': '500'}})
    server.script = [(500, {}, body)]
    with pytest.raises(MasApiError) as err:
        _client(server, []).get_json('/x')
    assert len(server.seen) == 1
    assert 'HTTP 500 (BMXAA4214E - An unknown error has occurred.)' in str(err.value)


def test_wrong_key_is_reported_with_a_hint_and_without_the_key(server):
    body = json.dumps({'Error': {'message': 'BMXAA7901E - You cannot log in at this time. key=%s' % KEY}})
    server.script = [(401, {}, body)]
    with pytest.raises(MasApiError) as err:
        _client(server, []).post_json('/toolservice/icheckerreport')
    text = str(err.value)
    assert 'POST /base/toolservice/icheckerreport failed: HTTP 401' in text
    assert "check 'api_key'" in text
    assert KEY not in text


def test_post_without_a_body_sends_none_not_an_empty_object(server):
    """IBM's clients POST the Tools API and the logging service with no body (row 10, 20 of docs/contracts.md)."""
    server.script = [(200, {}, '{"logfile": "a.log"}'), (200, {}, '')]
    assert _client(server, []).post_json('/toolservice/icheckerreport', idempotent=False) == {'logfile': 'a.log'}
    assert _client(server, []).post_json('/y', {'mode': 'get'}) == {}
    assert [(seen['body'], seen['content_type']) for seen in server.seen] == [
        ('', None), ('{"mode": "get"}', 'application/json')]


def test_post_is_not_retried_on_503(server):
    server.script = [(503, {}, ''), (200, {}, '{}')]
    with pytest.raises(MasApiError):
        _client(server, []).post_json('/toolservice/managestop', idempotent=False)
    assert len(server.seen) == 1


def test_post_is_retried_on_429(server):
    server.script = [(429, {'Retry-After': '1'}, ''), (200, {}, '{"logfile": "a.log"}')]
    sleeps = []
    assert _client(server, sleeps).post_json('/toolservice/icheckerreport') == {'logfile': 'a.log'}
    assert sleeps == [1.0]


def test_dropped_connection_is_retried_for_get_but_not_for_post(server):
    server.script = [('drop', {}, ''), (200, {}, '{"ok": 1}')]
    assert _client(server, []).get_json('/x') == {'ok': 1}
    server.script = [('drop', {}, ''), (200, {}, '{}')]
    with pytest.raises(MasApiError) as err:
        _client(server, []).post_json('/y')
    assert err.value.kind == 'connection'
    assert 'cannot reach the host' in str(err.value)


def test_connection_refused_names_the_call_and_hint():
    client = MasHttpClient('http://127.0.0.1:9', api_key=KEY, retry=RetryPolicy(retries=1, backoff=0), sleep=lambda s: None)
    with pytest.raises(MasApiError) as err:
        client.get_json('/maximo/api/systeminfo')
    assert err.value.kind == 'connection' and err.value.attempts == 2
    assert str(err.value).startswith('GET /maximo/api/systeminfo failed')


def test_non_json_answer_is_a_clear_error(server):
    server.script = [(200, {}, '<html>login</html>')]
    with pytest.raises(MasApiError, match='not JSON.*login page'):
        _client(server, []).get_json('/x')


def test_tls_verification_is_on_by_default_and_ca_path_is_used():
    context = MasHttpClient('https://h').transport.context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert MasHttpClient('https://h', validate_certs=False).transport.context().verify_mode == ssl.CERT_NONE


class _Fake:
    def __init__(self, text):
        self.text = text


@pytest.mark.parametrize('text,expected', [
    ('{"Error": {"message": "BMXAA1 - x"}}', 'BMXAA1 - x'),
    ('{"exception": "nope"}', 'nope'),
    # MAS's own document (IBM support page "MASUSERSYNC fails to sync user as it already exists")
    ('{"exception": {"id": "AIUI1002E", "properties": ["user", "x"]}, "message": "AIUI1002E: exists"}',
     'AIUI1002E: exists'),
    ('  plain\n text ', 'plain text'),
    ('', None),
])
def test_error_detail(text, expected):
    assert error_detail(_Fake(text)) == expected
