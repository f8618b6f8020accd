# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    # The Manage API key; the TLS options are in mas.dedicated.tls, the timeout and retry options in
    # mas.dedicated.transport.
    DOCUMENTATION = r'''
options:
  api_key:
    description:
      - The Manage API key of the environment, sent only in the C(apikey) request header (never in a URL).
      - If not set, the environment variable E(MAS_API_KEY) is used.
      - Never shown in output, diffs or error messages.
    type: str
    aliases: [apikey]
'''
