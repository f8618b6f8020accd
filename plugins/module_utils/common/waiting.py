# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bounded polling: ask until the answer is good or the time is up. Clock and sleep are injectable.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import time

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError


class WaitTimeout(ServiceError):
    """The condition did not hold within the allowed time (the service did not finish)."""

    def __init__(self, what, timeout, polls, last=None):
        self.what = what
        self.timeout = timeout
        self.polls = polls
        self.last = last
        super(WaitTimeout, self).__init__(
            'timed out after %ss (%d checks) waiting for %s' % (timeout, polls, what))

    def message(self):
        return '%s; raise wait_timeout if the service is just slow' % self

    def result(self):
        return {'timed_out': True}


def poll(check, what, timeout, interval, sleep=time.sleep, clock=time.monotonic):
    """Call ``check()`` until it returns something truthy; return (value, polls, seconds).

    Waits ``interval`` between checks and never past ``timeout`` seconds in total.
    """
    start = clock()
    polls = 0
    last = None
    while True:
        polls += 1
        last = check()
        if last:
            return last, polls, round(clock() - start, 3)
        remaining = timeout - (clock() - start)
        if remaining <= 0:
            raise WaitTimeout(what, timeout, polls, last)
        sleep(min(interval, remaining))
