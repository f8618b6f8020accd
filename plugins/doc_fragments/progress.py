# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  progress_file:
    description:
      - A file the module keeps current while it works (JSON with what is done of how much, the bytes and the rate), at most
        once a second, written atomically. Run the task with C(async) and C(poll) set to 0 and wait for it with
        M(mas.dedicated.job_progress), which prints a progress line from this file while the task runs.
      - The file's directory must exist. The file is left in place when the task ends (its last state says
        C(finished)).
    type: path
    version_added: 1.0.0
'''
