# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Logger levels of Manage (the loggers of the Logging application, table MAXLOGGER): the pure plan.

A logger is named by its key (``logkey``, for example ``log4j.logger.maximo.sql``). The plan says what to change
(``loglevel``, and ``active`` where the record has it) and what the logger held before, so that a later task can put
it back: the ``previous`` list has the same shape as the module's ``loggers`` option. The held record is a logger's
object-structure record, or ``{"logkey", "loglevel", "href"}`` built from the logging service's answer.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError

# The levels the public clients name (maximo-api-client LoggingService.setLogLevel; mxscript).
LEVELS = ('DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')


class LoggerPlanError(RefusedError):
    pass


def as_bool(value):
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ('true', '1', 'y', 'yes')


def check_logger(spec):
    """Why one item of ``loggers`` cannot be used (a list of messages)."""
    problems = []
    name = spec.get('logger') or ''
    if not name.strip() or any(ord(c) < 32 or ord(c) == 127 for c in name) or len(name) > 250:
        problems.append("logger '%s' must be a logger key of at most 250 characters without control characters"
                        % name[:100].encode('unicode_escape').decode('ascii'))
    level = spec.get('level')
    if level is not None and str(level).upper() not in LEVELS:
        problems.append('logger %s: level %s is not one of %s' % (name[:100], str(level)[:20], ', '.join(LEVELS)))
    if level is None and spec.get('active') is None:
        problems.append('logger %s: give a level, active, or both' % name[:100])
    return problems


class LoggerAction:
    def __init__(self, spec, held):
        self.name = spec['logger']
        self.href = held.get('href')
        # The logging service serves levels only: its loggers have no active flag to keep (None).
        self.before = {'level': str(held.get('loglevel') or '').upper() or None,
                       'active': as_bool(held['active']) if 'active' in held else None}
        self.patch = {}
        level = spec.get('level')
        if level is not None and str(level).upper() != self.before['level']:
            self.patch['loglevel'] = str(level).upper()
        if spec.get('active') is not None and bool(spec['active']) != self.before['active']:
            self.patch['active'] = bool(spec['active'])
        self.after = {'level': self.patch.get('loglevel', self.before['level']),
                      'active': self.patch.get('active', self.before['active'])}

    @property
    def changed(self):
        return bool(self.patch)

    def previous(self):
        """What puts the logger back, as an item of the module's ``loggers`` option."""
        found = {'logger': self.name, 'level': self.before['level']}
        if self.before['active'] is not None:
            found['active'] = self.before['active']
        return found

    def result(self):
        return {'logger': self.name, 'changed': self.changed, 'before': dict(self.before), 'after': dict(self.after)}


def plan_logger(spec, held):
    """The LoggerAction of one item; a logger Manage does not have is an error (loggers are never created)."""
    if not held or not held.get('href'):
        raise LoggerPlanError('logger %s does not exist in Manage (this module never creates loggers; check the key '
                              'in the Logging application)' % spec['logger'])
    return LoggerAction(spec, held)
