#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: manage_log_level
short_description: Set Maximo Manage logger levels for a diagnosis, and put them back afterwards
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - Sets the level (and optionally the C(active) flag) of existing loggers of the Manage Logging application through
    the object structure O(object_structure), with a MERGE patch of what differs, then applies the logging settings
    once (C(action=wsmethod:applySettings)) so the change takes effect without a restart. Loggers are never created.
  - "Returns RV(previous), what the changed loggers held before, in the shape of O(loggers), so that a later task
    puts them back with C(loggers: \"{{ earlier.previous }}\")."
  - Several loggers are read with one query and written over one connection.
  - "Following the live log for some seconds is not offered: the only public mention of a log stream is a public
    client's C(service/logging) C(wsmethod:streamLog), which returns the whole log at once; IBM documents no follow
    endpoint for it. Use M(mas.dedicated.manage_logs) (the documented C(submitUploadLogRequest)) for the log bundles."
  - Allowed in production (operation C(manage_log_level_write)). The MAS Dedicated support guide does not forbid it,
    and a diagnosis in production needs it; restore the levels afterwards (DEBUG loggers slow Manage down).
options:
  loggers:
    description: The loggers to set, handled in order.
    type: list
    elements: dict
    required: true
    suboptions:
      logger:
        description: The logger key as Manage holds it (C(logkey), for example C(log4j.logger.maximo.sql)).
        type: str
        required: true
      level:
        description: The level, one of C(DEBUG), C(INFO), C(WARN), C(ERROR), C(FATAL) (any case).
        type: str
      active:
        description: Whether the logger is active (a child logger that is not active does not log).
        type: bool
  apply:
    description: Apply the logging settings after a change (the Logging application's Apply Settings).
    type: bool
    default: true
  object_structure:
    description: The object structure of loggers (its name is not confirmed by IBM's documentation).
    type: str
    default: mxapilogger
extends_documentation_fragment:
  - mas.dedicated.connection
  - mas.dedicated.tls
  - mas.dedicated.transport
  - mas.dedicated.environment
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes.group_manage
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - Each changed logger's level and active flag before and after.
notes:
  - "Sources: the Logging application, its loggers (hierarchical, dot-separated keys such as
    C(log4j.logger.maximo.script)) and Apply Settings taking effect without a restart are IBM's (IBM Support
    \"Maximo Asset Management Logging\", swg21264064). The levels are those a public client names
    (Maximomize maximo-api-client C(LoggingService.setLogLevel): DEBUG, ERROR, INFO, WARN, FATAL). The object
    structure C(mxapilogger), its attributes C(logkey), C(loglevel), C(active) and the action
    C(wsmethod:applySettings) are not confirmed by IBM's documentation (unverified). See C(docs/contracts.md)."
  - A level outside the five above (for example one set in the Logging application) cannot be given, so such a
    logger cannot be put back with this module.
seealso:
  - module: mas.dedicated.manage_logs
  - module: mas.dedicated.system_property
'''

EXAMPLES = r'''
- name: SQL and integration loggers to DEBUG for a diagnosis
  mas.dedicated.manage_log_level:
    instance: acme
    environment: test
    production: false
    api_key: "{{ vault_test_manage_api_key }}"
    loggers:
      - {logger: log4j.logger.maximo.sql, level: DEBUG}
      - {logger: log4j.logger.maximo.integration, level: DEBUG, active: true}
  register: diagnosis

- name: Reproduce the problem
  ansible.builtin.pause:
    minutes: 5

- name: Put the loggers back as they were
  mas.dedicated.manage_log_level:
    instance: acme
    environment: test
    production: false
    api_key: "{{ vault_test_manage_api_key }}"
    loggers: "{{ diagnosis.previous }}"
  when: diagnosis.previous | length > 0
'''

RETURN = r'''
loggers:
  description: One result per logger, in order.
  returned: always
  type: list
  elements: dict
  contains:
    logger:
      description: The logger key.
      type: str
    changed:
      description: Whether the logger was (or in check mode would be) written.
      type: bool
    before:
      description: The C(level) and C(active) Manage held.
      type: dict
    after:
      description: The C(level) and C(active) after the task.
      type: dict
previous:
  description: The changed loggers as they were, in the shape of O(loggers) (C(logger), C(level), C(active)).
  returned: always
  type: list
  elements: dict
applied:
  description: Whether the logging settings were (or in check mode would be) applied.
  returned: always
  type: bool
'''

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects, where_in
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_log_levels import check_logger, plan_logger

APPLY_ACTION = 'wsmethod:applySettings'


def run(mas):
    specs = [dict(item) for item in mas.params['loggers']]
    problems = []
    for spec in specs:
        problems.extend(check_logger(spec))
    names = [spec['logger'] for spec in specs]
    problems.extend('logger %s is listed more than once' % n for n in sorted(set(n for n in names if names.count(n) > 1)))
    if not specs:
        problems.append('loggers must name at least one logger')
    if problems:
        raise RefusedError('; '.join(problems))
    objects = ManageObjects(mas.client('manage_url'))
    held = dict((record.get('logkey'), record) for record in
                objects.query(mas.params['object_structure'], where=where_in('logkey', names), select='*')
                if isinstance(record, dict))
    # A logger Manage does not have: plan_logger's LoggerPlanError (a RefusedError) fails the run before any write.
    actions = [plan_logger(spec, held.get(spec['logger'])) for spec in specs]
    results, previous = [], []
    changed = [a for a in actions if a.changed]
    for action in actions:
        if not mas.check_mode and action.changed:
            try:
                objects.patch(action.href, action.patch, merge=True)
            except ServiceError as exc:
                raise ServiceError('logger %s: %s' % (action.name, exc), error=exc.to_dict(), changed=bool(previous),
                                   loggers=results, previous=previous)
        results.append(action.result())
        if action.changed:
            previous.append(action.previous())
    applied = bool(changed) and mas.params['apply']
    if applied and not mas.check_mode:
        try:
            objects.action(changed[0].href, APPLY_ACTION)
        except ServiceError as exc:
            raise ServiceError('the loggers were written but applying the logging settings failed: %s' % exc,
                               error=exc.to_dict(), changed=True, loggers=results, previous=previous)
    output = {'changed': bool(changed), 'loggers': results, 'previous': previous, 'applied': applied}
    if mas.module._diff:
        output['diff'] = [{'before_header': a.name, 'after_header': a.name,
                           'before': dict(a.before), 'after': dict(a.after)} for a in changed]
    return output


def main():
    item = dict(logger=dict(type='str', required=True), level=dict(type='str'), active=dict(type='bool'))
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment',
        loggers=dict(type='list', elements='dict', required=True, options=item),
        apply=dict(type='bool', default=True),
        object_structure=dict(type='str', default='mxapilogger'),
    )
    mas = MasModule(spec)
    mas.guard('manage_log_level_write')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
