#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: manage_server
short_description: Start, stop or restart the Maximo Manage pods of a non-production environment
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Looks at whether Manage answers (C(GET /maximo/api/systeminfo) with the API key) and, only when needed, stops
    or starts the Manage pods through the Tools API (C(POST /toolservice/managestop), C(/toolservice/managestart)).
  - Both calls are asynchronous; with O(wait=true) the module probes Manage until it answers again (started) or
    stops answering (stopped).
  - Production environments are refused before any request is sent, as the support guide allows the Tools API in
    non-production environments only.
options:
  state:
    description:
      - V(started) and V(stopped) act only when Manage is not already in that state.
      - V(restarted) always stops (when running) and starts Manage again.
    type: str
    choices: [started, stopped, restarted]
    required: true
  wait:
    description:
      - Wait until Manage is in the requested state.
    type: bool
    default: true
  wait_timeout:
    description:
      - The most seconds to wait for each transition (stopping, starting).
      - From 1 to 86,400; a value outside is refused before anything is sent.
    type: int
    default: 1800
  poll_interval:
    description:
      - Seconds between two probes while waiting.
      - From 0.1 to 3,600; a value outside is refused before anything is sent.
    type: float
    default: 15
extends_documentation_fragment:
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
      - Check mode probes Manage (a read) and predicts the change without stopping or starting anything.
  diff_mode:
    support: full
notes:
  - Manage counts as down while its probe answers HTTP 502, 503 or 504, refuses the connection or does not answer in
    time. Any other answer (for example HTTP 401 for a wrong API key) fails the task.
  - One such answer is not taken as down. The probe reads again, up to 3 more times (never more than O(retries)),
    spaced like retries (1, 2, 4 seconds) within O(retry_max_wait), and a single answer from Manage means running.
    So a router blip does not make V(restarted) send only a start. An HTTP 429 is waited out (honouring
    C(Retry-After)) within O(retries) and O(retry_max_wait), then fails the task.
  - When a stop or start was sent and a later step fails (for example Manage does not answer within O(wait_timeout)),
    the failure says so and returns RV(actions) done so far with C(changed=true).
seealso:
  - module: mas.dedicated.integrity_checker
'''

EXAMPLES = r'''
- name: Stop Manage in test for a maintenance window
  mas.dedicated.manage_server:
    instance: acme
    environment: test
    production: false
    state: stopped

- name: Restart Manage and wait at most 40 minutes for it to answer again
  mas.dedicated.manage_server:
    state: restarted
    wait_timeout: 2400
  module_defaults:
    group/mas.dedicated.tools:
      instance: acme
      production: false
'''

RETURN = r'''
state:
  description: The state of Manage at the end (V(running) or V(down)); in check mode, the predicted one.
  returned: always
  type: str
  sample: running
before:
  description: The state of Manage before the task.
  returned: always
  type: str
  sample: down
actions:
  description: The Tools API actions taken (or, in check mode, that would be taken), in order.
  returned: always
  type: list
  elements: str
  sample: [stop, start]
elapsed:
  description: Seconds spent waiting.
  returned: always
  type: float
diff:
  description: The state before and after, with O(ignore:--diff).
  returned: when diff mode is on
  type: dict
environment:
  description: The environment the module targeted (URLs, production flag).
  returned: always
  type: dict
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.common.waiting import WaitTimeout
from ansible_collections.mas.dedicated.plugins.module_utils.tools.tools_api import ManageProbe, ToolsApi, plan_manage_state

_AFTER = {'stop': 'down', 'start': 'running'}
_OPERATION = {'started': 'manage_start', 'stopped': 'manage_stop', 'restarted': 'manage_restart'}


def manage_state(mas):
    params = mas.params
    probe = ManageProbe(mas.client('manage_url'))
    # A "down" here is confirmed by several spaced reads: one blip must not turn a restart into a lone start.
    before = probe.state()
    actions = plan_manage_state(before, params['state'])
    state = before
    elapsed = 0.0
    done = []
    if actions and not mas.check_mode:
        tools = ToolsApi(mas.client('tools_url'))
        try:
            for action in actions:
                tools.start(action)
                done.append(action)
                if params['wait']:
                    dummy, seconds = probe.wait_for(_AFTER[action], params['wait_timeout'], params['poll_interval'])
                    elapsed += seconds
            state = probe.state() if params['wait'] else _AFTER[actions[-1]]
        except ServiceError as exc:  # a WaitTimeout too
            # Say what was already done: a stop sent before a failed start leaves Manage down.
            text = str(exc)
            if isinstance(exc, WaitTimeout):
                text += '; the last probe of Manage saw %s; raise wait_timeout if Manage is just slow' % probe.last
            raise ServiceError('%s (Manage was %s; actions done: %s)' % (text, before, ', '.join(done) or 'none'),
                               changed=bool(done), before=before, actions=done, timed_out=isinstance(exc, WaitTimeout),
                               error=exc.to_dict())
    elif actions:
        state = _AFTER[actions[-1]]
    result = {'changed': bool(actions), 'state': state, 'before': before, 'actions': actions,
              'elapsed': round(elapsed, 3), 'environment': mas.environment.as_dict()}
    if mas.module._diff:
        result['diff'] = {'before': {'manage': before}, 'after': {'manage': state}}
    return result


def main():
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment',
        state=dict(type='str', choices=['started', 'stopped', 'restarted'], required=True),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=1800),
        poll_interval=dict(type='float', default=15.0),
    )
    mas = MasModule(spec)
    # The operation the state asks for, whatever the current state: the refusal must not depend on a probe of
    # production (a restart is refused as a restart, not as its first step).
    mas.guard(_OPERATION[mas.params['state']])
    mas.run(lambda: manage_state(mas))


if __name__ == '__main__':
    main()
