# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):
    """The attributes every module shares (with ansible.builtin.action_common_attributes for their descriptions):
    the platform and, for the sub-fragments, the action group it belongs to."""

    DOCUMENTATION = r'''
options: {}
attributes:
  platform:
    platforms: posix
'''

    GROUP_TOOLS = r'''
options: {}
attributes:
  platform:
    platforms: posix
  action_group:
    membership: [mas.dedicated.tools]
'''

    GROUP_MANAGE = r'''
options: {}
attributes:
  platform:
    platforms: posix
  action_group:
    membership: [mas.dedicated.manage]
'''

    GROUP_USERS = r'''
options: {}
attributes:
  platform:
    platforms: posix
  action_group:
    membership: [mas.dedicated.users]
'''

    GROUP_COS = r'''
options: {}
attributes:
  platform:
    platforms: posix
  action_group:
    membership: [mas.dedicated.cos]
'''

    GROUP_DB2 = r'''
options: {}
attributes:
  platform:
    platforms: posix
  action_group:
    membership: [mas.dedicated.db2]
'''
