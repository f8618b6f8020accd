# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local TLS listener standing in for a DB2 SSL port: it completes the handshake, reads, then hangs up.

    python tls_listener.py CERT KEY PORT_FILE [LIFETIME_SECONDS]

Writes the port it listens on to PORT_FILE and each handshake result to PORT_FILE.log; exits after LIFETIME.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import socket
import ssl
import sys
import threading
import time


def serve(client, context, log):
    try:
        with context.wrap_socket(client, server_side=True) as tls:
            log('handshake ok %s' % tls.version())
            tls.settimeout(5)
            tls.recv(1024)
    except (ssl.SSLError, OSError) as exc:
        log('handshake failed: %s' % exc)
    finally:
        client.close()


def main():
    cert, key, port_file = sys.argv[1:4]
    lifetime = float(sys.argv[4]) if len(sys.argv) > 4 else 600
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('127.0.0.1', 0))
    server.listen(16)
    server.settimeout(1)
    lock = threading.Lock()

    def log(line):
        with lock:
            with open(port_file + '.log', 'a') as handle:
                handle.write(line + '\n')
    with open(port_file + '.tmp', 'w') as handle:
        handle.write(str(server.getsockname()[1]))
    os.rename(port_file + '.tmp', port_file)
    deadline = time.time() + lifetime
    while time.time() < deadline:
        try:
            client, dummy = server.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(client, context, log), daemon=True).start()


if __name__ == '__main__':
    main()
