#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: tools_log_info
short_description: List and fetch the Tools API logs of a MAS Dedicated environment
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Lists the tools logs (C(GET /toolservice/toolslog)) of a non-production environment, optionally filtered by a
    name pattern and an age.
  - Fetches one log (C(GET /toolservice/toolslog?logfile=NAME)) into RV(content) or, streamed, into a local file
    O(dest) that is replaced atomically, so O(dest) never holds a partial download.
  - Production environments are refused before any request is sent.
options:
  pattern:
    description:
      - A shell-style pattern the log names must match, for example V(icheckerreport*).
    type: str
  newer_than:
    description:
      - Only logs newer than this, given as an ISO-8601 time or an age such as V(90m), V(12h) or V(7d).
    type: str
  name:
    description:
      - The log to fetch.
      - V(latest) fetches the newest log that matches O(pattern) and O(newer_than).
    type: str
  dest:
    description:
      - Write the fetched log to this local file instead of returning it. Requires O(name).
      - The file is written only when its content differs, atomically (a temporary file beside it, moved into place
        with Ansible's atomic move, which keeps an existing file's SELinux context). Missing parent directories are
        created. O(mode), O(owner), O(group) and the SELinux options apply to it.
      - A directory, or a path under a file, is refused before anything is sent.
    type: path
  return_content:
    description:
      - Return the fetched log text in RV(content). Ignored when O(dest) is set.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.files
  - mas.dedicated.connection
  - mas.dedicated.tls
  - mas.dedicated.transport
  - mas.dedicated.environment
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_tools
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - In check mode O(dest) is not written; RV(written) says whether it would have been.
  diff_mode:
    support: none
seealso:
  - module: mas.dedicated.integrity_checker
'''

EXAMPLES = r'''
- name: List the integrity checker reports of the last week
  mas.dedicated.tools_log_info:
    instance: acme
    production: false
    pattern: "icheckerreport*"
    newer_than: 7d
  register: reports

- name: Download the newest report
  mas.dedicated.tools_log_info:
    instance: acme
    production: false
    pattern: "icheckerreport*"
    name: latest
    dest: /var/tmp/acme-dev-latest-report.log
'''

RETURN = r'''
logs:
  description: The logs that match, oldest first.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The log file name.
      type: str
    size:
      description: The size in bytes, when the service gives it.
      type: int
    timestamp:
      description: The time of the log, ISO-8601.
      type: str
  sample: [{"name": "icheckerreport20261122134457000.log", "size": 412, "timestamp": "2026-11-22T13:44:58Z"}]
log:
  description: The log that was fetched.
  returned: when O(name) is set
  type: dict
content:
  description: The fetched log text.
  returned: when O(name) is set, O(return_content=true) and O(dest) is not set
  type: str
dest:
  description: Where the log was written.
  returned: when O(dest) is set
  type: str
written:
  description: Whether O(dest) was (or in check mode would be) written because its content, or its O(mode), O(owner), O(group) or SELinux context, differed.
  returned: when O(dest) is set
  type: bool
sha256:
  description: SHA-256 of the fetched log.
  returned: when O(dest) is set and not in check mode
  type: str
size:
  description: Size in bytes of the fetched log as written to O(dest).
  returned: when O(dest) is set and not in check mode
  type: int
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import atomic_write, finish_file, would_change
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.tools.tools_api import ToolsApi, filter_logs, parse_since


def _fetch(mas, tools, entry, result):
    params = mas.params
    result['log'] = entry
    if not params['dest']:
        if params['return_content']:
            result['content'] = tools.log_text(entry['name'])
        return
    result['dest'] = params['dest']
    if mas.check_mode:
        # Compare without writing: fetch into memory only to predict.
        result['written'] = would_change(params['dest'], tools.log_text(entry['name']).encode('utf-8'))
    else:
        written, checksum, size = atomic_write(params['dest'], tools.log_chunks(entry['name']), module=mas.module)
        result.update(written=written, sha256=checksum, size=size)
    # Mode, owner, group and SELinux options count as a write too.
    result['written'] = finish_file(mas.module, params['dest'], result['written'])


def log_info(mas):
    params = mas.params
    newer = None
    if params['newer_than']:
        # Checked before the API key is looked at, as every other option is.
        try:
            newer = parse_since(params['newer_than'])
        except ValueError as exc:
            raise RefusedError('newer_than: %s' % exc)
    tools = ToolsApi(mas.client('tools_url'))
    logs = filter_logs(tools.list_logs(), params['pattern'], newer)
    result = {'changed': False, 'logs': logs}
    name = params['name']
    if name:
        matches = logs[-1:] if name == 'latest' else [e for e in logs if e['name'] == name]
        if not matches:
            raise RefusedError("no tools log named '%s' matches (pattern=%s, newer_than=%s); %d logs listed"
                               % (name, params['pattern'], params['newer_than'], len(logs)), logs=logs)
        _fetch(mas, tools, matches[0], result)
    return result


def main():
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment',
        pattern=dict(type='str'),
        newer_than=dict(type='str'),
        name=dict(type='str'),
        dest=dict(type='path'),
        return_content=dict(type='bool', default=True),
    )
    mas = MasModule(spec, path_kinds={'dest': 'file'}, required_by={'dest': 'name'}, add_file_common_args=True)
    mas.guard('tools_log')
    mas.run(lambda: log_info(mas))


if __name__ == '__main__':
    main()
