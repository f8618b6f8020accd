# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A clock the unit tests move by hand: ``clock()`` is the time, ``clock.sleep(s)`` advances it and is recorded."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class FakeClock:
    def __init__(self, now=0.0):
        self.now = now
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
