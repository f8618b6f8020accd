# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""python -m sandbox --port 0 --ready-file build/sandbox/ready.json"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
import json
import os
import signal
import sys

from . import manage, tools_api
from .core import App, make_server

API_MODULES = (manage, tools_api)
DEFAULT_KEY = 'sbx-apikey-0123456789abcdef'


def build_app(api_key, config):
    app = App(api_key, config)
    for module in API_MODULES:
        module.register(app)
    return app


def _write_ready(path, info):
    temp = path + '.tmp'
    with open(temp, 'w') as handle:
        json.dump(info, handle)
    os.rename(temp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(prog='sandbox', description='Local stand-in for MAS Dedicated')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--ready-file')
    parser.add_argument('--api-key', default=os.environ.get('SANDBOX_API_KEY', DEFAULT_KEY))
    parser.add_argument('--report-delay', type=float, default=1.0)
    parser.add_argument('--stop-delay', type=float, default=2.0)
    parser.add_argument('--start-delay', type=float, default=3.0)
    args = parser.parse_args(argv)
    config = {'report_delay': args.report_delay, 'stop_delay': args.stop_delay, 'start_delay': args.start_delay}
    app = build_app(args.api_key, config)
    server = make_server(app, args.host, args.port)
    url = 'http://%s:%d' % (args.host, server.server_address[1])

    def stop(signum, frame):  # pylint: disable=unused-argument
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, stop)
    if args.ready_file:
        _write_ready(args.ready_file, {'url': url, 'port': server.server_address[1], 'pid': os.getpid(),
                                       'api_key': args.api_key})
    print('sandbox listening on %s' % url, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
