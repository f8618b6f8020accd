#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: integrity_checker
short_description: Run the Maximo Manage integrity checker through the Tools API
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Starts the integrity checker of a non-production MAS Dedicated environment through the Tools API
    (C(POST /toolservice/icheckerreport) or C(/toolservice/icheckerrepair)), waits for the new log to appear in
    C(GET /toolservice/toolslog), fetches it and returns the log with a parsed summary.
  - The Tools API gives no job id, so the run is followed by polling the tools log listing for a new file - the log
    the start call names (C(logfile)), or when it names none, the newest new log whose name starts with
    C(icheckerreport) / C(icheckerrepair), or else holds C(icheck) or C(integrity) (RV(log_found_by)).
  - Both files the start call names are read - the run log (C(logfile)) and the listing (C(lisfile)) - and counted
    together, a line found in both once.
  - The run counts as finished when the log shows the integrity checker's closing summary line
    (RV(completion=summary)), or, when no such line appears, when the log has not changed for O(completion_polls)
    polls in a row (RV(completion=inferred)).
  - Production environments are refused before any request is sent, as the support guide allows the Tools API in
    non-production environments only.
  - O(mode=repair) first runs a report and repairs only when it finds errors, so the task is idempotent;
    O(force=true) repairs regardless.
options:
  mode:
    description:
      - V(report) only reads and never reports a change (unless it writes O(dest)).
      - V(repair) lets the integrity checker fix what it can; it reports a change when it ran.
    type: str
    choices: [report, repair]
    default: report
  force:
    description:
      - With O(mode=repair), run the repair even when a report finds no errors.
    type: bool
    default: false
  dest:
    description:
      - Also write the log text to this local file, atomically (the file is replaced only when complete).
      - Missing parent directories are created; O(dest_mode), O(owner) and O(group) set its permissions.
      - A directory, or a path under a file, is refused before the run is started.
    type: path
  return_content:
    description:
      - Return the whole log text in RV(content) (and the listing in RV(lis_content)). The parsed RV(summary) is
        always returned.
    type: bool
    default: true
  completion_polls:
    description:
      - How many polls in a row a log without the closing summary line must stay unchanged to count as finished.
      - V(0) waits for the summary line only (until O(wait_timeout)).
      - From 0 to 1,000; a value outside is refused before anything is sent.
    type: int
    default: 3
extends_documentation_fragment:
  - mas.dedicated.files
  - mas.dedicated.connection
  - mas.dedicated.tls
  - mas.dedicated.transport
  - mas.dedicated.environment
  - mas.dedicated.wait
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_tools
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - In check mode a report still runs (it changes no data); a repair is predicted from that report and not run.
  diff_mode:
    support: none
notes:
  - The layout of the integrity checker log is not published; the summary counts lines that start with
    C(ERROR), C(WARNING) or C(REPAIRED), or carry a Maximo message code C(BMXAAnnnnE) / C(BMXAAnnnnW).
  - Unverified against a real server (no public sample exists) - the closing summary line (a line with
    C(completed) and C(N errors)), the content of the C(.lis) listing, and the names of the logs when the start call
    names none. That is why completion can be inferred from a log that stopped growing, and why RV(completion)
    and RV(log_found_by) say which way was taken.
seealso:
  - module: mas.dedicated.tools_log_info
  - name: Administrative utilities API
    description: IBM documentation of the Tools API calls.
    link: https://www.ibm.com/docs/en/mas-cd/maximo-manage/continuous-delivery?topic=reference-apis-administrative-utilities
'''

EXAMPLES = r'''
- name: Report integrity problems of the dev environment
  mas.dedicated.integrity_checker:
    instance: acme
    environment: dev
    production: false
    api_key: "{{ vault_manage_api_key }}"
    dest: "{{ playbook_dir }}/reports/dev-integrity.log"
  register: report

- name: Stop when the report found errors
  ansible.builtin.assert:
    that: report.summary.errors == 0
    fail_msg: "{{ report.summary.findings | map(attribute='text') | list }}"

- name: Repair, only if the report finds errors
  mas.dedicated.integrity_checker:
    mode: repair
    tools_url: https://maxinst.manage.acme.suite.maximo.com/toolsapi
    production: false
'''

RETURN = r'''
mode:
  description: The mode that was run.
  returned: always
  type: str
  sample: report
log:
  description: The tools log the run produced.
  returned: when a run happened
  type: dict
  sample: {"name": "icheckerreport20261122134457000.log", "size": 412, "timestamp": "2026-11-22T13:44:58Z"}
completion:
  description:
    - How the end of the run was decided - V(summary) (the closing summary line was seen) or V(inferred) (no summary
      line; the log stopped changing for O(completion_polls) polls).
  returned: when a run happened
  type: str
  sample: summary
log_found_by:
  description: V(answer) when the log is the one the start call named, V(fallback) when it was found by its name.
  returned: when a run happened
  type: str
lis:
  description: The listing file the start call named, with C(name) and C(found) (whether the Tools API served it).
  returned: when a run happened and the start call named one
  type: dict
  sample: {"name": "icheckerreport20261122134457000.lis", "found": true}
lis_content:
  description: The listing file's text.
  returned: when O(return_content=true) and the listing was served
  type: str
summary:
  description: What the log and the listing say, together.
  returned: when a run happened
  type: dict
  contains:
    completion:
      description: As RV(completion).
      type: str
    errors:
      description: Lines reporting an error.
      type: int
    warnings:
      description: Lines reporting a warning.
      type: int
    repaired:
      description: Lines reporting a repaired item.
      type: int
    completed:
      description: Whether the closing summary line of the integrity checker was found.
      type: bool
    reported_totals:
      description: The totals printed by the integrity checker itself, when present.
      type: dict
    findings:
      description: The error, warning and repaired lines (at most 50), each with C(level), C(code) and C(text).
      type: list
      elements: dict
    findings_truncated:
      description: Whether the log had more such lines than RV(summary.findings) holds (the counts cover them all).
      type: bool
content:
  description: The whole log text.
  returned: when O(return_content=true) and a run happened
  type: str
precheck:
  description: With O(mode=repair), the report that decided whether to repair (C(log), C(summary) and C(log_found_by)).
  returned: when O(mode=repair) and O(force=false)
  type: dict
repair_needed:
  description: With O(mode=repair), whether the report found errors to repair.
  returned: when O(mode=repair)
  type: bool
dest:
  description: The local file the log was written to.
  returned: when O(dest) is set
  type: str
elapsed:
  description: Seconds spent waiting for the run(s) to finish.
  returned: always
  type: float
environment:
  description: The environment the module targeted (URLs, production flag).
  returned: always
  type: dict
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import atomic_write, file_dest_problem, finish_file, would_change
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.tools.integrity_checker import summarize_files
from ansible_collections.mas.dedicated.plugins.module_utils.tools.tools_api import ToolsApi


def _run(mas, tools, mode):
    params = mas.params
    run = tools.run_integrity_check(mode, params['wait_timeout'], params['poll_interval'], params['completion_polls'])
    lis_text = run['lis']['text'] if run['lis'] else None
    summary = dict(summarize_files(run['text'], lis_text), completion=run['completion'])
    return {'log': run['log'], 'text': run['text'], 'summary': summary, 'elapsed': run['seconds'],
            'found_by': run['found_by'], 'lis': run['lis']}


def integrity_check(mas):
    params = mas.params
    # Everything that can be checked is checked before a run is started: a run cannot be taken back.
    problem = params['dest'] and file_dest_problem(params['dest'])
    if problem:
        raise RefusedError(problem)
    tools = ToolsApi(mas.client('tools_url'))
    result = {'changed': False, 'mode': params['mode'], 'environment': mas.environment.as_dict()}
    elapsed = 0.0
    if params['mode'] == 'report':
        run = _run(mas, tools, 'report')
    else:
        run = None
        if not params['force']:
            # The report decides whether a repair is needed: this is what makes repair idempotent.
            run = _run(mas, tools, 'report')
            result['precheck'] = {'log': run['log'], 'summary': run['summary'], 'log_found_by': run['found_by']}
        result['repair_needed'] = run is None or run['summary']['errors'] > 0
        result['changed'] = result['repair_needed']
        if result['repair_needed'] and not mas.check_mode:
            elapsed += run['elapsed'] if run else 0.0
            run = _run(mas, tools, 'repair')
    elapsed += run['elapsed'] if run else 0.0
    result['elapsed'] = round(elapsed, 3)
    if run is None:  # a forced repair in check mode: nothing ran
        return result
    result.update(log=run['log'], summary=run['summary'], completion=run['summary']['completion'],
                  log_found_by=run['found_by'])
    if run['lis']:
        result['lis'] = {'name': run['lis']['name'], 'found': run['lis']['text'] is not None}
    if params['return_content']:
        result['content'] = run['text']
        if run['lis'] and run['lis']['text'] is not None:
            result['lis_content'] = run['lis']['text']
    if params['dest']:
        data = run['text'].encode('utf-8')
        result['dest'] = params['dest']
        if mas.check_mode:
            written = would_change(params['dest'], data)
        else:
            written = atomic_write(params['dest'], [data], module=mas.module)[0]
        written = finish_file(mas.module, params['dest'], written, mode=params['dest_mode'])
        result['changed'] = result['changed'] or written
    return result


def main():
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment', 'wait', 'files',
        mode=dict(type='str', choices=['report', 'repair'], default='report'),
        force=dict(type='bool', default=False),
        dest=dict(type='path'),
        return_content=dict(type='bool', default=True),
        completion_polls=dict(type='int', default=3),
    )
    mas = MasModule(spec, path_kinds={'dest': 'file'})
    mas.guard('integrity_check_report')
    if mas.params['mode'] == 'repair':
        mas.guard('integrity_check_repair')
    mas.run(lambda: integrity_check(mas))


if __name__ == '__main__':
    main()
