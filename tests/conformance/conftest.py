# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixture of the conformance suite: the sandbox, in-process, one per test module.

The suite runs in its own virtualenv (``make conformance``: build/conformance-venv, from
tests/conformance/requirements.txt), which holds IBM's published clients and what the sandbox itself needs
(moto for its S3 part). Test files may also start the sandbox themselves.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import sys

import pytest

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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
