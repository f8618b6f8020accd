# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in-process and capture what it would print as its result."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible.module_utils import basic
from ansible.module_utils.testing import patch_module_args


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
def no_network(monkeypatch):
    """Fail the test if anything tries to open an HTTP connection."""
    from ansible_collections.mas.dedicated.plugins.module_utils.http_transport import Transport

    def refuse(*args, **kwargs):
        raise AssertionError('a request was sent: %r %r' % (args, kwargs))
    monkeypatch.setattr(Transport, 'request', refuse)
