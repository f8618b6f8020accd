# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.retry import RetryPolicy, is_safe, parse_retry_after


@pytest.mark.parametrize('status', [429, 502, 503, 504])
def test_safe_calls_retry_on_transient_statuses(status):
    assert RetryPolicy(retries=3).should_retry(1, True, status=status)


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409, 500, 501])
def test_final_statuses_are_never_retried(status):
    assert not RetryPolicy(retries=3).should_retry(1, True, status=status)


def test_unsafe_calls_retry_only_when_provably_not_processed():
    policy = RetryPolicy(retries=3)
    assert policy.should_retry(1, False, status=429)
    assert not policy.should_retry(1, False, status=503)
    assert not policy.should_retry(1, False, connection_error=True)
    assert policy.should_retry(1, False, connection_error=True, connect_only=True)


def test_attempts_are_bounded():
    policy = RetryPolicy(retries=2)
    assert policy.should_retry(2, True, status=503)
    assert not policy.should_retry(3, True, status=503)


def test_backoff_doubles_and_is_capped():
    policy = RetryPolicy(backoff=1.0, max_backoff=5.0)
    assert [policy.delay(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_retry_after_wins_but_is_capped():
    policy = RetryPolicy(backoff=1.0, max_backoff=10.0)
    assert policy.delay(1, retry_after=3) == 3.0
    assert policy.delay(1, retry_after=3600) == 10.0


def test_total_wait_is_bounded():
    policy = RetryPolicy(max_wait=10)
    assert policy.fits(8, 2)
    assert not policy.fits(8, 2.5)


def test_retry_after_forms():
    assert parse_retry_after('7') == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after('soon') is None
    # An HTTP-date 30 seconds after "now".
    assert parse_retry_after('Sun, 22 Nov 2026 13:45:30 GMT', now=1795355100.0) == pytest.approx(30.0)
    assert parse_retry_after('Sun, 22 Nov 2026 13:00:00 GMT', now=1795355100.0) == 0.0


def test_safety_by_method_and_override():
    assert is_safe('get') and is_safe('HEAD')
    assert not is_safe('POST')
    assert is_safe('POST', idempotent=True)
    assert not is_safe('GET', idempotent=False)
