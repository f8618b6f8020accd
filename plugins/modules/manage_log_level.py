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
  - Sets the level of existing loggers of Manage. Loggers are never created.
  - By default (O(api=logging_service)) through the logging service, as the public client
    C(@maximomize/maximo-api-client) 0.8.4 does it - C(POST /maximo/api/service/logging) with
    C(action=wsmethod:getLogLevel) (body C({logKey})) to read a level and C(action=wsmethod:setLogLevel) (body
    C({logKey, logLevel})) to set it, header C(x-method-override) C(PATCH) - one read per logger; a level set so takes
    effect at once. A logger the service gives no level for is taken as one Manage does not have.
  - With O(api=object_structure), through the loggers' records in the object structure O(object_structure) (one
    query for all), with a MERGE patch of the level and the C(active) flag, then the logging settings are applied
    once (C(action=wsmethod:applySettings), O(apply)). No source confirms that object structure, its fields or the
    action; O(loggers[].active) is served only this way.
  - "Returns RV(previous), what the changed loggers held before, in the shape of O(loggers), so that a later task
    puts them back with C(loggers: \"{{ earlier.previous }}\") (with the same O(api))."
  - The loggers are written over one connection.
  - With O(follow_seconds), the task then follows Manage's live log for that many seconds into the local file
    O(follow_dest), so a diagnosis reads the lines logged at the new levels without waiting for the S3 log bundles of
    M(mas.dedicated.manage_logs). The log is read through the logging service (C(service/logging),
    C(wsmethod:streamLog)) every O(follow_interval) seconds; each read answers with the log text, and only what is
    new since the previous read is appended (unverified, see the notes).
  - "The follow: the log is read once before any logger is written (the baseline: it proves the logging service
    answers before anything is changed, and is not written to the file), then every O(follow_interval) seconds
    from the moment the settings were applied until O(follow_seconds) have passed (the last read at the end). Each
    read is compared with the previous one: the lines after the longest run of the previous read's last lines that
    opens it are new. When a read does not continue the previous one (the log was rotated or truncated), a marker
    line is written and then the whole read, and RV(follow.gaps) counts it. Up to four recent reads that do not
    continue one another are remembered, so reads served in turn from the logs of different Manage pods (whether the
    route does that is unknown) are each followed, with one gap per pod. A last line without its newline is held
    back until a later read has it whole (and written as it is at the end)."
  - The file is written atomically with mode C(0600) - a temporary file beside O(follow_dest), renamed onto it at the
    end - so O(follow_dest) never holds a partial follow; when a read keeps failing after the O(retries) of the
    transport, or the task is stopped, the temporary file is removed and O(follow_dest) is left as it was (the
    loggers stay as set, and a failure returns RV(previous) to restore them).
  - A follow is not idempotent - each run writes what was logged during it - so a task with O(follow_seconds)
    reports a change whenever O(follow_dest) changed. It is part of the same operation as the levels (allowed in
    production, where the support guide also gives customers their logs, as bundles).
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
        description:
          - Whether the logger is active (a child logger that is not active does not log).
          - Only with O(api=object_structure); given with O(api=logging_service) it is refused before anything is sent.
        type: bool
  api:
    description:
      - How the levels are read and set. V(logging_service) - the logging service's C(wsmethod:getLogLevel) and
        C(wsmethod:setLogLevel), as a public client calls them; V(object_structure) - the records of
        O(object_structure) and Apply Settings. Both are unverified on MAS Dedicated (see the notes).
    type: str
    choices: [logging_service, object_structure]
    default: logging_service
  apply:
    description:
      - With O(api=object_structure), apply the logging settings after a change (the Logging application's Apply
        Settings). The logging service's levels take effect without it.
    type: bool
    default: true
  object_structure:
    description: With O(api=object_structure), the object structure of loggers (its name is not confirmed by IBM's
      documentation).
    type: str
    default: mxapilogger
  follow_seconds:
    description:
      - Follow the live log for this many seconds after the levels are set and applied, into O(follow_dest).
      - V(0) does not follow. With a follow, O(loggers) may be empty (to follow only).
      - To reproduce the problem while the log is followed, run the task with C(async) and C(poll=0), do the
        reproduction in the next tasks, and wait for it with M(ansible.builtin.async_status).
      - From 0 to 3,600; a value outside is refused before anything is sent.
    type: int
    default: 0
  follow_dest:
    description:
      - The local file the followed log lines are written to (replaced atomically; its directories are created).
        Required with O(follow_seconds).
      - A directory, a path under a file, an unwritable directory or a name with a control character is refused
        before anything is sent.
      - "The file holds Manage's log text as the logging service serves it, plus this module's marker lines: what
        Manage logs (user names, SQL statements with their values at C(DEBUG) ...) is in it, so treat it like the
        log bundles. From the task's side nothing secret is added, and the API key the task sends is masked should
        Manage's log hold it."
    type: path
  follow_interval:
    description:
      - Seconds between two reads of the log while following. Each read may carry the whole log, so do not make it
        shorter than the diagnosis needs.
      - From 0.5 to 300; a value outside is refused before anything is sent.
    type: float
    default: 5.0
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
    details:
      - In check mode the log is not followed; no read of the log is sent (the levels it would observe are not set)
        and O(follow_dest) is not written; C(changed) counts the follow as a write it would do.
  diff_mode:
    support: full
    details:
      - Each changed logger's level and active flag before and after.
notes:
  - "Sources: the Logging application, its loggers (hierarchical, dot-separated keys such as
    C(log4j.logger.maximo.script)) and Apply Settings taking effect without a restart are IBM's (IBM Support
    \"Maximo Asset Management Logging\", swg21264064). The levels are those a public client names
    (Maximomize maximo-api-client C(LoggingService.setLogLevel): DEBUG, ERROR, INFO, WARN, FATAL). The logging
    service's C(wsmethod:getLogLevel) and C(wsmethod:setLogLevel), their bodies and the C(return) answer are those
    of C(@maximomize/maximo-api-client) 0.8.4 (read in its C(dist/services/manage/logging-service.js)), run against
    the sandbox by the conformance suite; IBM documents neither (unverified), nor whether a level set so lasts
    beyond a restart. The object structure C(mxapilogger), its attributes C(logkey), C(loglevel), C(active) and the
    action C(wsmethod:applySettings) have no source at all (unverified). See C(docs/contracts.md)."
  - A level outside the five above (for example one set in the Logging application) cannot be given, so such a
    logger cannot be put back with this module.
  - "Sources of the follow: C(GET <manage>/maximo/api/service/logging?action=wsmethod:streamLog&lean=1) with the
    C(apikey) header and no body is how the public client C(@maximomize/maximo-api-client) 0.8.4 (npm, MIT;
    C(LoggingService.streamLogsFromManage), C(BaseMaximoService.actionOnEndpoint)) reads the log, taking the answer
    as a string of log lines and keeping the last N itself. The route C(service/logging) is IBM's (the MAS
    Dedicated support guide's C(submitUploadLogRequest)); the C(streamLog) action is not documented by IBM
    (unverified, no IBM page or issue found), nor whether each read is the whole current log or only a tail, from
    which server pod it comes, or how large it may be. The module therefore accepts a text answer, a JSON string or
    C({\"return\": text}), refuses an HTML page, and compares every read with the previous one as described above.
    See C(docs/contracts.md)."
  - Each read may carry the whole log; a log that rotates faster than O(follow_interval) loses the lines rotated
    away between two reads (the marker line in the file says where). A log that repeats identical lines and is cut
    at its head between two reads can have repeated lines taken for ones already written.
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
      - {logger: log4j.logger.maximo.integration, level: DEBUG}
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

- name: A child logger activated too, through the loggers' records and Apply Settings
  mas.dedicated.manage_log_level:
    instance: acme
    environment: test
    production: false
    api_key: "{{ vault_test_manage_api_key }}"
    api: object_structure
    loggers:
      - {logger: log4j.logger.maximo.sql.crontaskmgr, level: DEBUG, active: true}

- name: SQL logger to DEBUG, then follow the live log for 60 seconds into a file
  mas.dedicated.manage_log_level:
    instance: acme
    environment: test
    production: false
    api_key: "{{ vault_test_manage_api_key }}"
    loggers:
      - {logger: log4j.logger.maximo.sql, level: DEBUG}
    follow_seconds: 60
    follow_interval: 5
    follow_dest: "{{ playbook_dir }}/diagnosis/test-sql.log"
  register: followed

- name: Show what was caught
  ansible.builtin.debug:
    msg: "{{ followed.follow.lines }} lines ({{ followed.follow.bytes }} bytes, {{ followed.follow.gaps }} gaps) in {{ followed.follow.dest }}"

- name: Restore the SQL logger
  mas.dedicated.manage_log_level:
    instance: acme
    environment: test
    production: false
    api_key: "{{ vault_test_manage_api_key }}"
    loggers: "{{ followed.previous }}"
  when: followed.previous | length > 0
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
  description: The changed loggers as they were, in the shape of O(loggers) (C(logger), C(level), and C(active)
    with O(api=object_structure)).
  returned: always
  type: list
  elements: dict
applied:
  description: Whether the logging settings were (or in check mode would be) applied (O(api=object_structure) only;
    the logging service's levels need no Apply Settings).
  returned: always
  type: bool
follow:
  description: What the follow of the live log wrote.
  returned: when O(follow_seconds) is not 0
  type: dict
  contains:
    followed:
      description: Whether the log was followed (false in check mode).
      type: bool
    dest:
      description: The absolute path of O(follow_dest).
      type: str
    lines:
      description: Log lines written (the marker lines not counted).
      type: int
      returned: when followed
    bytes:
      description: Size of the file written.
      type: int
      returned: when followed
    polls:
      description: Reads of the log, the baseline read included.
      type: int
      returned: when followed
    gaps:
      description: Reads that did not continue the previous one (a marker line each).
      type: int
      returned: when followed
    empty_polls:
      description: Reads that held no whole line (nothing taken from them).
      type: int
      returned: when followed
    seconds:
      description: Seconds the follow took after the settings were applied.
      type: float
      returned: when followed
    sha256:
      description: SHA-256 of the file written.
      type: str
      returned: when followed
    changed:
      description: Whether O(follow_dest) changed (false only when it already held exactly what was followed).
      type: bool
      returned: when followed
'''

import os
import re

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import file_dest_problem
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import argument_spec
from ansible_collections.mas.dedicated.plugins.module_utils.manage.log_stream import LoggerLevels, LogStream
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import ManageObjects, where_in
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_log_levels import check_logger, plan_logger

APPLY_ACTION = 'wsmethod:applySettings'
_CONTROL = re.compile('[\x00-\x1f\x7f-\x9f]')


def follow_problems(params):
    """Why the follow options cannot be used (checked before anything is sent)."""
    seconds, dest = params['follow_seconds'], params['follow_dest']
    if not seconds:
        return ['follow_dest is only used with follow_seconds (give both, or neither)'] if dest else []
    if not dest:
        return ['follow_seconds needs follow_dest, the local file the log is written to']
    if _CONTROL.search(dest):
        return ["follow_dest '%s' contains a control character" % dest.encode('unicode_escape').decode('ascii')[:200]]
    problem = file_dest_problem(dest, 'follow_dest')
    return [problem] if problem else []


def held_loggers(params, objects, levels, names):
    """{logger key: held record} of the named loggers Manage has, read the way O(api) says."""
    if not names:
        return {}
    if params['api'] == 'logging_service':
        return levels.held(names)
    return dict((record.get('logkey'), record) for record in
                objects.query(params['object_structure'], where=where_in('logkey', names), select='*')
                if isinstance(record, dict))


def run(mas):
    params = mas.params
    specs = [dict(item) for item in params['loggers']]
    following = bool(params['follow_seconds'])
    problems = follow_problems(params)
    for spec in specs:
        problems.extend(check_logger(spec))
    names = [spec['logger'] for spec in specs]
    problems.extend('logger %s is listed more than once' % n for n in sorted(set(n for n in names if names.count(n) > 1)))
    if not specs and not following:
        problems.append('loggers must name at least one logger (or follow_seconds the log to follow)')
    by_service = params['api'] == 'logging_service'
    if by_service:
        problems.extend('logger %s: active is served only with api=object_structure (the logging service sets levels)'
                        % spec['logger'][:100] for spec in specs if spec.get('active') is not None)
    if problems:
        raise RefusedError('; '.join(problems))
    client = mas.client('manage_url')
    objects = ManageObjects(client)
    levels = LoggerLevels(client)
    held = held_loggers(params, objects, levels, names)
    # A logger Manage does not have: plan_logger's LoggerPlanError (a RefusedError) fails the run before any write.
    actions = [plan_logger(spec, held.get(spec['logger'])) for spec in specs]
    stream = LogStream(client)
    baseline = None
    if following and not mas.check_mode:
        # Read before any write: a logging service that does not answer fails the task with nothing changed.
        try:
            baseline = stream.read()
        except ServiceError as exc:
            raise ServiceError('reading the live log failed, so no logger was written: %s' % exc,
                               error=exc.to_dict(), changed=False)
    results, previous = [], []
    changed = [a for a in actions if a.changed]
    for action in actions:
        if not mas.check_mode and action.changed:
            try:
                if by_service:
                    levels.set_level(action.name, action.patch['loglevel'])
                else:
                    objects.patch(action.href, action.patch, merge=True)
            except ServiceError as exc:
                raise ServiceError('logger %s: %s' % (action.name, exc), error=exc.to_dict(), changed=bool(previous),
                                   loggers=results, previous=previous)
        results.append(action.result())
        if action.changed:
            previous.append(action.previous())
    # A level the logging service sets is in effect at once; Apply Settings is the object structure's step.
    applied = bool(changed) and params['apply'] and not by_service
    if applied and not mas.check_mode:
        try:
            objects.action(changed[0].href, APPLY_ACTION)
        except ServiceError as exc:
            raise ServiceError('the loggers were written but applying the logging settings failed: %s' % exc,
                               error=exc.to_dict(), changed=True, loggers=results, previous=previous)
    output = {'changed': bool(changed), 'loggers': results, 'previous': previous, 'applied': applied}
    if following:
        output['follow'] = {'followed': False, 'dest': os.path.abspath(params['follow_dest'])}
        if mas.check_mode:
            output['changed'] = True
        else:
            try:
                found = stream.follow_into(params['follow_dest'], baseline, params['follow_seconds'],
                                           params['follow_interval'], secrets=mas.secrets, module=mas.module)
            except ServiceError as exc:
                raise ServiceError('%sfollowing the live log failed (%s left as it was): %s' % (
                    'the loggers were set but ' if changed else '', params['follow_dest'], exc),
                    error=exc.to_dict(), changed=bool(changed), loggers=results, previous=previous, applied=applied)
            output['follow'] = dict(found, followed=True)
            output['changed'] = output['changed'] or found['changed']
    if mas.module._diff:
        output['diff'] = [{'before_header': a.name, 'after_header': a.name,
                           'before': dict(a.before), 'after': dict(a.after)} for a in changed]
    return output


def main():
    item = dict(logger=dict(type='str', required=True), level=dict(type='str'), active=dict(type='bool'))
    spec = argument_spec(
        'connection', 'tls', 'transport', 'environment',
        loggers=dict(type='list', elements='dict', required=True, options=item),
        api=dict(type='str', choices=['logging_service', 'object_structure'], default='logging_service'),
        apply=dict(type='bool', default=True),
        object_structure=dict(type='str', default='mxapilogger'),
        follow_seconds=dict(type='int', default=0),
        follow_dest=dict(type='path'),
        follow_interval=dict(type='float', default=5.0),
    )
    mas = MasModule(spec, path_kinds={'follow_dest': 'file'})
    mas.guard('manage_log_level_write')
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
