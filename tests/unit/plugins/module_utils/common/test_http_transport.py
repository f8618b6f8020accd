# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The standard-library transport against real local servers: TLS, kept-alive connections, proxies."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import select
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.http_transport import Transport, TransportError, proxy_for


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive, as real servers do

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass

    def do_GET(self):  # pylint: disable=invalid-name
        self.server.seen.append((self.client_address[1], self.path, self.headers.get('Host')))
        body = b'{"path": "%s"}' % self.path.encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(httpd):
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd


@pytest.fixture
def server():
    httpd = _serve(ThreadingHTTPServer(('127.0.0.1', 0), _Handler))
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope='module')
def certificate(tmp_path_factory):
    work = tmp_path_factory.mktemp('tls')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout',
                    str(work / 'key.pem'), '-out', str(work / 'cert.pem'), '-subj', '/CN=localhost',
                    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], check=True, capture_output=True)
    return work / 'cert.pem', work / 'key.pem'


@pytest.fixture
def tls_server(certificate):
    httpd = ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    _serve(httpd)
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _url(httpd, scheme='http', path='/a'):
    return '%s://127.0.0.1:%d%s' % (scheme, httpd.server_address[1], path)


def test_one_connection_serves_several_requests(server):
    transport = Transport()
    first = transport.request('GET', _url(server, path='/one'), params={'oslc.where': 'userid="A B"'})
    second = transport.request('GET', _url(server, path='/two'))
    assert first.json() == {'path': '/one?oslc.where=userid%3D%22A+B%22'}
    assert second.status_code == 200 and second.headers.get('content-type').startswith('application/json')
    ports = set(port for port, dummy, dummy2 in server.seen)
    assert len(ports) == 1, 'the second request reused the first connection'


def test_a_connection_closed_by_the_server_is_replaced_before_sending(server):
    transport = Transport()
    transport.request('GET', _url(server))
    # The server side goes away while the connection is idle (as a load balancer's idle timeout does).
    transport._connection.sock.shutdown(socket.SHUT_RD)
    assert select.select([transport._connection.sock], [], [], 1)[0]
    assert transport.request('GET', _url(server, path='/b')).json() == {'path': '/b'}
    assert len(set(port for port, dummy, dummy2 in server.seen)) == 2


def test_a_streamed_body_comes_in_chunks_and_frees_the_connection(server):
    transport = Transport()
    response = transport.request('GET', _url(server, path='/stream'), stream=True)
    assert b''.join(response.iter_content(4)) == b'{"path": "/stream"}'
    assert transport.request('GET', _url(server)).status_code == 200
    assert len(set(port for port, dummy, dummy2 in server.seen)) == 1


def test_tls_is_verified_by_default(tls_server):
    with pytest.raises(TransportError) as caught:
        Transport().request('GET', _url(tls_server, 'https'))
    assert caught.value.kind == 'tls' and caught.value.connect_only


def test_ca_path_makes_the_certificate_trusted(tls_server, certificate):
    response = Transport(ca_path=str(certificate[0])).request('GET', _url(tls_server, 'https', '/x'))
    assert response.json() == {'path': '/x'}


def test_validate_certs_false_skips_verification_for_that_client_only(tls_server):
    assert Transport(validate_certs=False).request('GET', _url(tls_server, 'https')).status_code == 200
    with pytest.raises(TransportError):
        Transport().request('GET', _url(tls_server, 'https'))


def test_refused_connection_is_connect_only():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(TransportError) as caught:
        Transport().request('GET', 'http://127.0.0.1:%d/' % port)
    assert caught.value.kind == 'connection' and caught.value.connect_only


def test_a_silent_server_times_out():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    sock.listen(1)
    try:
        with pytest.raises(TransportError) as caught:
            Transport(read_timeout=0.3).request('GET', 'http://127.0.0.1:%d/' % sock.getsockname()[1])
        assert caught.value.kind == 'timeout' and not caught.value.connect_only
    finally:
        sock.close()


@pytest.mark.parametrize('url', ['file:///etc/passwd', 'ftp://h/x', 'http:///nohost'])
def test_only_http_urls_are_sent(url):
    with pytest.raises(TransportError, match='not an http'):
        Transport().request('GET', url)


def test_proxy_environment():
    env = {'https_proxy': 'proxy.corp:3128', 'no_proxy': 'localhost,.internal.example.com'}
    assert proxy_for('https', 'main.manage.acme.suite.maximo.com', env) == 'http://proxy.corp:3128'
    assert proxy_for('https', 'db.internal.example.com', env) is None
    assert proxy_for('https', 'internal.example.com', env) is None
    assert proxy_for('https', 'localhost', env) is None
    assert proxy_for('http', 'x.example.com', env) is None
    assert proxy_for('https', 'x', {'HTTPS_PROXY': 'http://p:1', 'NO_PROXY': '*'}) is None


def test_https_goes_through_a_connect_tunnel(tls_server, certificate):
    """A minimal CONNECT proxy: the client asks it for a tunnel and then speaks TLS to the real server."""
    seen = []
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)

    def proxy():
        client, dummy = listener.accept()
        head = b''
        while b'\r\n\r\n' not in head:
            head += client.recv(1024)
        seen.append(head.decode())
        upstream = socket.create_connection(('127.0.0.1', tls_server.server_address[1]))
        client.sendall(b'HTTP/1.1 200 Connection established\r\n\r\n')

        def pipe(src, dst):
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                for end in (src, dst):
                    try:
                        end.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    threading.Thread(target=proxy, daemon=True).start()
    env = {'https_proxy': 'http://user:pa%%40ss@127.0.0.1:%d' % listener.getsockname()[1]}
    response = Transport(ca_path=str(certificate[0]), environ=env).request('GET', _url(tls_server, 'https', '/t'))
    assert response.json() == {'path': '/t'}
    assert seen[0].startswith('CONNECT 127.0.0.1:%d HTTP/1.' % tls_server.server_address[1])
    assert 'Proxy-Authorization: Basic dXNlcjpwYUBzcw==' in seen[0]
    listener.close()
