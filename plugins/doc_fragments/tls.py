# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    # The certificate checks of every module that opens TLS connections (the MAS routes, the COS endpoints).
    DOCUMENTATION = r'''
options:
  validate_certs:
    description:
      - Verify the TLS certificates of the services the module calls (MAS routes, the COS endpoint).
      - Turn off only for a throw-away test server; prefer O(ca_path).
      - If not set, the environment variable E(MAS_VALIDATE_CERTS) is used; only V(false), V(no), V(off), V(0), V(n)
        or V(f) (any case) there turn verification off; an empty or any other value keeps it on.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM) to verify those certificates with, for example behind a TLS-inspecting proxy.
      - If not set, the environment variable E(MAS_CA_PATH) is used.
    type: path
'''
