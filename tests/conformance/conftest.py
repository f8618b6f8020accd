# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixture of the conformance suite: the sandbox, in-process, one per test module.

The suite runs in its own virtualenv (``make conformance``: build/conformance-venv, from
tests/conformance/requirements.txt), which holds IBM's published clients and what the sandbox itself needs
(moto for its S3 part). Test files may also start the sandbox themselves.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import importlib
import os
import sys
import types

import pytest

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(TESTS)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)
# A machine-wide CA bundle breaks the S3 clients against the plain-HTTP local server.
os.environ.pop('AWS_CA_BUNDLE', None)

API_KEY = 'conformance-apikey-0123456789'


@pytest.fixture(scope='module')
def sandbox():
    """A running sandbox: ``.url``, ``.app`` (``app.info['s3']`` holds the buckets and their keys)."""
    from sandbox import create_app  # pylint: disable=import-outside-toplevel
    from sandbox.core import serve_in_thread  # pylint: disable=import-outside-toplevel
    server = serve_in_thread(create_app(API_KEY, {'report_delay': 0.1, 'stop_delay': 0.1, 'start_delay': 0.1}))
    server.api_key = API_KEY
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        server.app.close()


@pytest.fixture(scope='session')
def module_utils():
    """``module_utils(name)``: the collection's plugins/module_utils/<name>.py from this checkout.

    The checkout is not under ansible_collections/mas/dedicated, so the package names are mapped onto it (the
    module_utils the tests use need only requests / boto3, not Ansible).
    """
    for name, path in (('ansible_collections', None), ('ansible_collections.mas', None),
                       ('ansible_collections.mas.dedicated', ROOT),
                       ('ansible_collections.mas.dedicated.plugins', os.path.join(ROOT, 'plugins')),
                       ('ansible_collections.mas.dedicated.plugins.module_utils',
                        os.path.join(ROOT, 'plugins', 'module_utils'))):
        if name not in sys.modules:
            module = types.ModuleType(name)
            module.__path__ = [path] if path else []
            sys.modules[name] = module

    def load(name):
        return importlib.import_module('ansible_collections.mas.dedicated.plugins.module_utils.' + name)
    return load
