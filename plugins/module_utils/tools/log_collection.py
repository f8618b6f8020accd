# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logging service request and the wait for its bundles in the Logs bucket.

The service answers ``{"return": "<LOGREQUESTNUM>-<epoch ms>"}`` [client]; a cron task then uploads one
compressed bundle per server. Bundle names carry the source and the start time, but their exact form is not
published [guess], so the bundles of a request are the objects that were not in the bucket before it and
were written after it; they have all arrived when that set stops growing for ``settle`` seconds (or when
``expected`` bundles are there).

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import time
from datetime import datetime, timedelta, timezone

from ansible_collections.mas.dedicated.plugins.module_utils.common.waiting import poll

LOGGING_SERVICE = '/maximo/api/service/logging'
ACTION = 'wsmethod:submitUploadLogRequest'
# Tolerated difference between this machine's clock and the object store's.
CLOCK_SKEW = timedelta(minutes=5)


def parse_request_id(answer, now=None):
    """(request id, its time) from the service's answer; the time falls back to ``now``."""
    value = answer.get('return') if isinstance(answer, dict) else None
    now = now or datetime.now(timezone.utc)
    if not value:
        return None, now
    value = str(value)
    number, dummy, millis = value.partition('-')
    if millis.isdigit():
        return value, datetime.fromtimestamp(int(millis) / 1000.0, tz=timezone.utc)
    return value, now


def new_bundles(listing, known_keys, since):
    """Objects that were not there before the request and were written after it (less the clock skew)."""
    return sorted((item for item in listing if item['key'] not in known_keys
                   and (item['last_modified'] is None or item['last_modified'] >= since - CLOCK_SKEW)),
                  key=lambda item: item['key'])


class BundleWatch:
    """Decides when the bundles of one request have all arrived. ``clock`` is injectable for tests."""

    def __init__(self, expected=None, settle=60.0, clock=time.monotonic):
        self.expected = expected
        self.settle = settle
        self.clock = clock
        self.keys = ()
        self.changed_at = clock()

    def done(self, bundles):
        keys = tuple(b['key'] for b in bundles)
        if keys != self.keys:
            self.keys = keys
            self.changed_at = self.clock()
        if not keys:
            return False
        if self.expected:
            return len(keys) >= self.expected
        return self.clock() - self.changed_at >= self.settle


def submit(client):
    """POST the upload request (not retried unless provably not received: it starts work)."""
    return client.post_json(LOGGING_SERVICE, params={'action': ACTION}, idempotent=False)


def wait_for_bundles(bucket, known_keys, since, expected, settle, timeout, interval, prefix=''):
    """Poll the Logs bucket; return (bundles, polls, seconds)."""
    watch = BundleWatch(expected, settle)

    def check():
        bundles = new_bundles(bucket.list(prefix), known_keys, since)
        return bundles if watch.done(bundles) else None
    return poll(check, 'the log bundles in s3://%s' % bucket.bucket, timeout, interval)
