# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: ``python -m sandbox --host 127.0.0.1 --port 0 --ready-file PATH [--api-key KEY] [delays]``.

Once listening it writes the ready file atomically: ``{"url", "port", "pid", "api_key"}``. SIGTERM or
SIGINT closes the server and exits 0.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
import json
import os
import signal
import sys

from . import DEFAULT_API_KEY, DEFAULT_CONFIG, create_app
from .core import make_server


class Stop(Exception):
    """Raised by the signal handler to leave serve_forever."""


def _on_signal(signum, frame):
    raise Stop(signum)


def write_ready(path, info):
    """Write the ready file atomically (temporary file, then rename)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temp = '%s.%d.tmp' % (path, os.getpid())
    with open(temp, 'w', encoding='utf-8') as handle:
        json.dump(info, handle)
        handle.write('\n')
    os.replace(temp, path)


def remove_ready(path):
    """Remove the ready file if it is still ours."""
    try:
        with open(path, encoding='utf-8') as handle:
            if json.load(handle).get('pid') != os.getpid():
                return
        os.unlink(path)
    except (OSError, ValueError):
        pass


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog='python -m sandbox', description='Local stand-in for MAS Dedicated.')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=0, help='port; 0 picks a free one (default)')
    parser.add_argument('--ready-file', help='write {"url", "port", "pid", "api_key"} here once listening')
    parser.add_argument('--api-key', default=os.environ.get('SANDBOX_API_KEY') or DEFAULT_API_KEY,
                        help='the key the apikey header must carry (default: $SANDBOX_API_KEY or a fixed test key)')
    for name, default in sorted(DEFAULT_CONFIG.items()):
        parser.add_argument('--' + name.replace('_', '-'), type=float, default=default, metavar='SECONDS',
                            help='initial %s in seconds (default %s)' % (name, default))
    parser.add_argument('--verbose', action='store_true', help='print one line per API request to stderr')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    config = dict((name, getattr(args, name)) for name in DEFAULT_CONFIG)
    if any(value < 0 for value in config.values()):
        sys.stderr.write('sandbox: delays must be >= 0\n')
        return 2
    app = create_app(args.api_key, config)
    try:
        server = make_server(app, args.host, args.port, verbose=args.verbose)
    except OSError as error:
        sys.stderr.write('sandbox: cannot listen on %s:%s: %s\n' % (args.host, args.port, error))
        return 1
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        if args.ready_file:
            info = {'url': server.url, 'port': server.port, 'pid': os.getpid(), 'api_key': args.api_key}
            info.update(app.info)
            write_ready(args.ready_file, info)
        sys.stdout.write('sandbox listening on %s (pid %d)\n' % (server.url, os.getpid()))
        sys.stdout.flush()
        server.serve_forever(poll_interval=0.2)
    except (Stop, KeyboardInterrupt):
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.server_close()
        app.close()
        if args.ready_file:
            remove_ready(args.ready_file)
    sys.stdout.write('sandbox stopped\n')
    sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
