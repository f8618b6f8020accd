# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the manage_api_key module; a result that carries a new API key is marked no_log.

A module cannot mark its own result no_log (Ansible removes the ``_ansible_no_log`` a module returns), and
masking the key inside the module would also take it out of the registered variable. This plugin sets
``_ansible_no_log`` on a result that holds a new key: callbacks, the display and ``-vvv`` show it censored, the
registered variable keeps the key.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api_keys import carries_key


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        result = merge_hash(result, self._execute_module(task_vars=task_vars))
        if carries_key(result):
            result['_ansible_no_log'] = True
        self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
