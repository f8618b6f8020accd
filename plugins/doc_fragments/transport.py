# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    # The timeout and retry options of every module that calls an HTTP API of MAS (the TLS options are in
    # mas.dedicated.tls).
    DOCUMENTATION = r'''
options:
  timeout:
    description:
      - Seconds to wait for an answer to one HTTP request (connecting has its own 10 second limit).
      - If not set, the environment variable E(MAS_TIMEOUT) is used.
      - From 1 to 3,600; a value outside is refused before anything is sent.
    type: float
    default: 60
  retries:
    description:
      - How many times a call that is safe to repeat is retried after HTTP 429, 502, 503, 504 or a connection error,
        with exponential backoff that honours C(Retry-After).
      - Calls that start work (POST) are retried only when the service proves it did not act (HTTP 429, or the
        connection could not be opened).
      - If not set, the environment variable E(MAS_RETRIES) is used.
      - From 0 to 20; a value outside is refused before anything is sent.
    type: int
    default: 5
  retry_max_wait:
    description:
      - The most seconds one call may spend waiting between retries, in total.
      - If not set, the environment variable E(MAS_RETRY_MAX_WAIT) is used.
      - From 0 to 3,600; a value outside is refused before anything is sent.
    type: float
    default: 120
notes:
  - HTTP goes through Python's standard library (C(http.client)); TLS is verified against the system's CA store,
    or O(ca_path). The E(https_proxy) and E(no_proxy) environment variables are honoured (a CONNECT tunnel).
'''
