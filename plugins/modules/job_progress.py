#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: job_progress
short_description: Wait for a long mas.dedicated task started with async, printing its progress
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - A module's output reaches Ansible only when the module ends, so a 1 GiB transfer, a sync of 1,000 files or a
    30-minute user-sync wait shows nothing until it is over. Run such a task with C(async) and C(poll) set to 0 and
    give it a O(progress_file); this action then waits for the job and prints a line for the host such as
    C(cos_sync upload, 412 of 1,000 files, 96 MiB of 200 MiB, 38.0 MiB/s, 24s) every O(interval) seconds while it runs.
  - Returns the job's own result (so C(register) on this task gets what the module returned), and fails when the
    job failed.
  - Modules that keep a progress file current are M(mas.dedicated.cos_object), M(mas.dedicated.cos_sync),
    M(mas.dedicated.mas_user) and M(mas.dedicated.mas_user_info).
  - This is an action plugin; it runs on the controller and reads the job status and the progress file through
    the connection (C(async_status) and C(slurp)).
options:
  jid:
    description:
      - The C(ansible_job_id) of the task started with C(async) and C(poll) set to 0.
    type: str
    required: true
  progress_file:
    description:
      - The O(mas.dedicated.cos_sync#module:progress_file) given to the module. Without it only "still running"
        lines are printed.
    type: path
  interval:
    description:
      - Seconds between two status reads (and progress lines), from 0.5 to 300.
    type: float
    default: 10
  timeout:
    description:
      - Seconds to wait in all, from 1 to 604800. The job is not stopped when they run out; the task fails and a
        later C(job_progress) task may wait again.
    type: float
    default: 3600
  cleanup:
    description:
      - Remove the job's status file once the job has ended.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  check_mode:
    support: none
    details:
      - A task started with C(async) in check mode has nothing to wait for; give this task C(when) not
        C(ansible_check_mode).
  diff_mode:
    support: none
  platform:
    platforms: posix
seealso:
  - module: ansible.builtin.async_status
'''

EXAMPLES = r'''
- name: Sync 1,000 files in the background, keeping a progress file current
  mas.dedicated.cos_sync:
    direction: upload
    local_path: build/migration
    bucket: acme-test-custfile
    progress_file: "{{ playbook_dir }}/.sync.progress"
  async: 3600
  poll: 0
  register: sync_job

- name: Wait for it, printing "412 of 1,000 files, 38.0 MiB/s" lines every 10 s
  mas.dedicated.job_progress:
    jid: "{{ sync_job.ansible_job_id }}"
    progress_file: "{{ playbook_dir }}/.sync.progress"
    interval: 10
  register: sync
'''

RETURN = r'''
progress:
  description: The last progress status the module wrote (none without O(progress_file)).
  returned: always
  type: dict
  sample: {"what": "cos_sync upload", "unit": "files", "done": 1000, "total": 1000, "bytes": 104857600,
           "elapsed": 12.4, "bytes_per_second": 8456258.1, "finished": true}
'''
