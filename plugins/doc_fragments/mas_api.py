# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  mas_api_key_id:
    description:
      - The id of a MAS API key (MAS administration, API keys). With O(mas_api_key) it is exchanged once per task for
        an access token (C(GET /v1/authenticate)), which is then reused for every call of the task.
      - If not set, the environment variable E(MAS_CORE_API_KEY_ID) is used.
    type: str
  mas_api_key:
    description:
      - The MAS API key itself. Never shown in output, diffs or error messages; neither is the access token.
      - If not set, the environment variable E(MAS_CORE_API_KEY) is used.
    type: str
notes:
  - The MAS user API is reached at O(mas_api_url) (C(https://api.INSTANCE.suite.maximo.com) by default).
'''

    # mas_user (parallel writes and per-user reads) and mas_user_info (per-user role reads).
    WRITE = r'''
options:
  concurrency:
    description:
      - How many calls run in parallel - the writes, and the reads of each user's application role and workspace
        membership, which the MAS API answers one user at a time (the user listing itself is read in pages).
      - From 1 to 64; a value outside is refused before anything is sent.
    type: int
    default: 8
'''
