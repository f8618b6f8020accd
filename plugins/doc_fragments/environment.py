# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  instance:
    description:
      - The instance name from the Welcome Letter, used to derive the documented route URLs
        (C(https://maxinst.manage.INSTANCE.suite.maximo.com/toolsapi) for the Tools API).
      - If not set, the environment variable E(MAS_INSTANCE) is used.
    type: str
  environment:
    description:
      - A name for the environment (dev, test, prod ...), used in messages and results.
      - If not set, the environment variable E(MAS_ENVIRONMENT) is used.
    type: str
    aliases: [environment_name]
  production:
    description:
      - Whether this is a production environment. Decides which operations the support guide allows; a refused
        operation fails before any request is sent.
      - Defaults to V(true), so an environment that was not declared non-production gets the stricter rules.
      - If not set, the environment variable E(MAS_PRODUCTION) is used; only V(false), V(no), V(off), V(0), V(n) or
        V(f) (any case) there declare a non-production environment; an empty or any other value means production.
    type: bool
    default: true
  workspace:
    description:
      - The MAS workspace, used to derive the Manage host C(WORKSPACE.manage.INSTANCE.suite.maximo.com).
      - That host name is inferred, not documented; set O(manage_url) when yours differs.
      - If not set, the environment variable E(MAS_WORKSPACE) is used; else V(main).
    type: str
  tools_url:
    description:
      - The Tools API base URL (the "Adminurl" of the Welcome Letter followed by C(/toolsapi)), overriding the one
        derived from O(instance).
      - If not set, the environment variable E(MAS_TOOLS_URL) is used.
    type: str
  manage_url:
    description:
      - The Manage base URL (scheme and host, without C(/maximo)), overriding the one derived from O(instance) and
        O(workspace).
      - If not set, the environment variable E(MAS_MANAGE_URL) is used.
    type: str
  mas_api_url:
    description:
      - The MAS core API base URL (user management), overriding C(https://api.INSTANCE.suite.maximo.com) derived from
        O(instance). The C(api.) prefix is documented; the domain after the instance name is inferred.
      - If not set, the environment variable E(MAS_CORE_API_URL) is used.
    type: str
notes:
  - Each environment is usually an inventory host; set these options once per play with
    C(module_defaults) and the action group of the module.
'''
