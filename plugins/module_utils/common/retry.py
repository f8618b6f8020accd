# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: when to retry an HTTP call, and how long to wait before the next try.

Why not urllib3's ``Retry`` (``allowed_methods``, ``respect_retry_after_header``; read in urllib3 2.8
``util/retry.py``): it drives urllib3's own connection pool, not the ``http.client`` transport (see
``http_transport``), and urllib3 comes only with boto3 (botocore), which the MAS API modules do not need. Used
with the same settings it would also retry differently:

- ``allowed_methods`` gates every status of ``status_forcelist`` alike, so a POST that starts work is retried on
  all of 429 and 502-504 or on none; ours retries it on a 429 (not acted on) and when the connection never opened,
  never on a 502-504 that may have acted on it (a second integrity check, a second support case).
- a Retry-After is slept up to ``retry_after_max`` (6 hours), beside ``backoff_max``; ours caps it at
  ``max_backoff`` and bounds the total waiting by ``max_wait`` (``retry_max_wait``), which ``Retry`` has no
  setting for (it counts attempts only).
- a Retry-After it cannot read raises ``InvalidHeader``; ours falls back to the backoff.
- the first retry follows at once (no backoff after one error); ours waits ``backoff`` first.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import email.utils
import time

# Statuses that mean "not processed, try later"; anything else is final.
RETRY_STATUSES = frozenset((429, 502, 503, 504))
# For calls that start work (POST) only a 429 proves the request was not acted on.
UNSAFE_RETRY_STATUSES = frozenset((429,))
SAFE_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS'))


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None when absent or unreadable."""
    # The HTTP-date is parsed by the standard library (email.utils, RFC 5322 / RFC 9110 dates); only the
    # delta-seconds form and the clamp to zero are ours. urllib3's Retry.parse_retry_after reads the same two forms
    # but needs urllib3 and a Retry, and raises InvalidHeader where this returns None (then the backoff applies).
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RetryPolicy:
    """Exponential backoff bounded both per wait and in total.

    ``retries`` is the number of extra attempts; ``max_wait`` bounds the total time spent waiting
    between attempts, so a call never hangs for longer than the user allowed.
    """

    def __init__(self, retries=5, backoff=1.0, max_backoff=30.0, max_wait=120.0):
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.max_wait = float(max_wait)

    def should_retry(self, attempt, safe, status=None, connection_error=False, connect_only=False):
        """Whether attempt number ``attempt`` (1-based, just failed) may be followed by another.

        A connection error is retried for safe calls, and for unsafe ones only when the request
        cannot have reached the server (``connect_only``: the TCP/TLS connection itself failed).
        """
        if attempt > self.retries:
            return False
        if connection_error:
            return safe or connect_only
        if status is None:
            return False
        return status in (RETRY_STATUSES if safe else UNSAFE_RETRY_STATUSES)

    def delay(self, attempt, retry_after=None):
        """Seconds to sleep after failed attempt ``attempt``: Retry-After when given, else 2^n backoff."""
        if retry_after is not None:
            return min(float(retry_after), self.max_backoff)
        return min(self.backoff * (2 ** (attempt - 1)), self.max_backoff)

    def fits(self, waited, next_delay):
        """Whether waiting ``next_delay`` more keeps the total within ``max_wait``."""
        return waited + next_delay <= self.max_wait


def is_safe(method, idempotent=None):
    """A call is safe to repeat when it reads, or when the caller says the API makes it idempotent."""
    if idempotent is not None:
        return bool(idempotent)
    return method.upper() in SAFE_METHODS
