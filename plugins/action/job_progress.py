# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wait for an async job and print its progress while it runs (see the module stub for the documentation)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import json
import time

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.mas.dedicated.plugins.module_utils.common.progress import progress_line

display = Display()

ARGUMENT_SPEC = dict(
    jid=dict(type='str', required=True),
    progress_file=dict(type='path'),
    interval=dict(type='float', default=10.0),
    timeout=dict(type='float', default=3600.0),
    cleanup=dict(type='bool', default=True),
)
INTERVAL_RANGE = (0.5, 300.0)
TIMEOUT_RANGE = (1.0, 7 * 24 * 3600.0)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        for name, (low, high) in (('interval', INTERVAL_RANGE), ('timeout', TIMEOUT_RANGE)):
            if not low <= args[name] <= high:
                raise AnsibleActionFail('%s must be between %s and %s seconds, got %s' % (name, low, high, args[name]))
        async_dir = self._remote_expand_user(self.get_shell_option('async_dir', default='~/.ansible_async'))
        host = (task_vars or {}).get('inventory_hostname', '')
        started = time.monotonic()
        last_line = None
        status = None
        while True:
            job = self._execute_module(module_name='ansible.legacy.async_status', task_vars=task_vars,
                                       module_args=dict(jid=args['jid'], mode='status', _async_dir=async_dir))
            if job.get('failed') and not job.get('started') and not job.get('finished'):
                # No such job (or its file is unreadable): nothing to wait for.
                raise AnsibleActionFail(job.get('msg') or 'could not read the status of job %s' % args['jid'])
            if job.get('finished'):
                break
            if args['progress_file']:
                status = self._read_status(args['progress_file'], task_vars) or status
            line = progress_line(status)
            what = (status or {}).get('what') or 'job %s' % args['jid']
            if line != last_line or status is None:
                display.display('%s: %s: %s' % (host, what, line))
                last_line = line
            if time.monotonic() - started + args['interval'] > args['timeout']:
                raise AnsibleActionFail('job %s is still running after %ss; it goes on in the background: wait '
                                        'again with this task, or raise timeout' % (args['jid'], args['timeout']))
            time.sleep(args['interval'])
        if args['progress_file']:
            status = self._read_status(args['progress_file'], task_vars) or status
        if args['cleanup']:
            self._execute_module(module_name='ansible.legacy.async_status', task_vars=task_vars,
                                 module_args=dict(jid=args['jid'], mode='cleanup', _async_dir=async_dir))
        for key in ('started', 'finished', 'results_file', 'ansible_job_id', 'stdout', 'stderr', 'stdout_lines',
                    'stderr_lines', 'invocation'):
            job.pop(key, None)
        result.update(job)
        result['progress'] = status
        return result

    def _read_status(self, path, task_vars):
        """The module's last progress status, or None while the file is not there yet (or half read)."""
        answer = self._execute_module(module_name='ansible.legacy.slurp', task_vars=task_vars,
                                      module_args=dict(src=path))
        if answer.get('failed') or 'content' not in answer:
            return None
        try:
            return json.loads(base64.b64decode(answer['content']).decode('utf-8'))
        except (ValueError, TypeError):
            return None
