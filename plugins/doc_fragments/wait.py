# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  wait_timeout:
    description:
      - The most seconds to wait. The task fails with C(timed_out=true) when the time is up.
      - From 1 to 86,400; a value outside is refused before anything is sent.
    type: int
    default: 1800
  poll_interval:
    description:
      - Seconds between two checks while waiting.
      - From 0.1 to 3,600; a value outside is refused before anything is sent.
    type: float
    default: 10
'''
