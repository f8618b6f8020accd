# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in-process and capture what it would print as its result."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import contextlib
import json
import os
import sys

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

try:
    from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19 and later
except ImportError:  # ansible-core 2.17 and 2.18 (meta/runtime.yml claims >=2.17.0): the arguments as AnsiballZ passes them
    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result)
        self.result = result
        self.failed = failed


def _exit_json(self, **result):  # pylint: disable=unused-argument
    raise ModuleExit(result, False)


def _fail_json(self, msg, **result):  # pylint: disable=unused-argument
    result['msg'] = msg
    raise ModuleExit(result, True)


@pytest.fixture
def run_module(monkeypatch):
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', _fail_json)

    def run(module, args):
        with patch_module_args(args):
            with pytest.raises(ModuleExit) as caught:
                module.main()
        return caught.value
    return run


@pytest.fixture
def run_module_output(capsys):
    """Run a module as Ansible would: its result as AnsibleModule prints it (with ``invocation``, the module
    arguments, and every no_log value masked), and the whole printed text."""
    def run(module, args):
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                module.main()
        printed = capsys.readouterr().out
        return json.loads(printed.strip().splitlines()[-1]), printed
    return run


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything tries to open an HTTP connection."""
    from ansible_collections.mas.dedicated.plugins.module_utils.common.http_transport import Transport

    def refuse(*args, **kwargs):
        raise AssertionError('a request was sent: %r %r' % (args, kwargs))
    monkeypatch.setattr(Transport, 'request', refuse)


TESTS = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
SANDBOX_KEY = 'unit-sandbox-key-0123456789'


@pytest.fixture(scope='module')
def sandbox_server():
    """The whole sandbox in-process (its S3 part is moto), one per test file; use ``sandbox`` in tests."""
    os.environ.pop('AWS_CA_BUNDLE', None)  # a machine-wide CA bundle breaks boto3 against the plain-HTTP S3 proxy
    sys.path.insert(0, TESTS)
    try:
        from sandbox import create_app  # pylint: disable=import-outside-toplevel
        from sandbox.core import serve_in_thread  # pylint: disable=import-outside-toplevel
    finally:
        sys.path.remove(TESTS)
    delays = {'report_delay': 0.05, 'stop_delay': 0.05, 'start_delay': 0.05, 'log_upload_delay': 0.05,
              'sync_delay': 0.05}
    server = serve_in_thread(create_app(SANDBOX_KEY, delays))
    server.api_key = SANDBOX_KEY

    def sent(method=None):
        """(method, path) of every API request seen since the last reset, of one method if given."""
        return [(e['method'], e['path']) for e in server.app.requests.listing() if method in (None, e['method'])]
    server.sent = sent
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        server.app.close()


@pytest.fixture
def sandbox(sandbox_server):
    """The sandbox as it was right after start (state, buckets, request log and faults reset)."""
    sandbox_server.app.reset()
    return sandbox_server
