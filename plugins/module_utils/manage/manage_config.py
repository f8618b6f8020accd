# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: Manage configuration as code. Automation scripts (object structure ``mxapiautoscript``) as records, their
wanted state compared with the held one, and the source diff. No I/O here; see docs/contracts.md for the sources.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import difflib
import hashlib
import json
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_plan import RecordAction

# Script languages Manage runs (public clients: mxscript maps jython/python and javascript/nashorn/ecmascript;
# IBM's AUTOSCRIPT language domain is not public in full: unverified beyond these).
SCRIPT_LANGUAGES = ('jython', 'python', 'javascript', 'nashorn', 'ecmascript', 'js')
# Launch point kinds IBM documents (Automation scripts: object, attribute, action and custom condition launch points).
LAUNCH_POINT_TYPES = ('OBJECT', 'ATTRIBUTE', 'ACTION', 'CUSTOMCONDITION')
VARIABLE_TYPES = ('IN', 'OUT', 'INOUT')
BINDING_TYPES = ('LITERAL', 'ATTRIBUTE', 'MAXVAR', 'SYSPROP')
# What each kind of launch point must name.
LAUNCH_POINT_NEEDS = {'OBJECT': ('object',), 'ATTRIBUTE': ('object', 'attribute'), 'ACTION': ('action',),
                      'CUSTOMCONDITION': ('object',)}
# Launch point options -> lean JSON attributes of SCRIPTLAUNCHPOINT.
LAUNCH_POINT_FIELDS = (('name', 'launchpointname'), ('type', 'launchpointtype'), ('object', 'objectname'),
                       ('attribute', 'attributename'), ('action', 'actionname'), ('condition', 'condition'),
                       ('description', 'description'), ('active', 'active'))
VARIABLE_FIELDS = (('name', 'varname'), ('type', 'vartype'), ('binding_type', 'varbindingtype'),
                   ('binding_value', 'varbindingvalue'), ('description', 'description'))
UPPER_FIELDS = ('launchpointname', 'objectname', 'attributename', 'actionname', 'varname')


class ConfigPlanError(RefusedError):
    """Bad input found before any request; nothing is sent."""


def sha256_text(text):
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def _bad_name(value):
    return not value or any(c in str(value) for c in '\r\n\t"\\') or str(value) != str(value).strip()


def check_script(spec):
    """Problems with one script's options (a list of strings; empty when it can be planned)."""
    name = spec.get('name')
    problems = []
    label = 'script %s' % (name or '(no name)')
    if _bad_name(name):
        problems.append('%s: name must be a non-empty name without quotes, backslashes, tabs or newlines' % label)
    if spec.get('state', 'present') == 'absent':
        return problems
    if not spec.get('source_file'):
        problems.append('%s: source_file is required unless state=absent' % label)
    language = spec.get('language')
    if not language:
        problems.append('%s: language is required unless state=absent' % label)
    elif str(language).lower() not in SCRIPT_LANGUAGES:
        problems.append('%s: language %s is not one Manage runs (%s)' % (label, language, ', '.join(SCRIPT_LANGUAGES)))
    seen = set()
    for point in spec.get('launch_points') or []:
        pname = str(point.get('name') or '').upper()
        if _bad_name(point.get('name')):
            problems.append('%s: every launch point needs a name without quotes or newlines' % label)
            continue
        if pname in seen:
            problems.append('%s: launch point %s is listed more than once' % (label, pname))
        seen.add(pname)
        kind = str(point.get('type') or '').upper()
        if kind not in LAUNCH_POINT_TYPES:
            problems.append('%s: launch point %s: type must be one of %s' % (label, pname, ', '.join(LAUNCH_POINT_TYPES)))
            continue
        missing = [need for need in LAUNCH_POINT_NEEDS[kind] if not point.get(need)]
        if missing:
            problems.append('%s: launch point %s (%s) must name its %s' % (label, pname, kind, ' and '.join(missing)))
    for var in spec.get('variables') or []:
        for option, allowed in (('type', VARIABLE_TYPES), ('binding_type', BINDING_TYPES)):
            if var.get(option) is not None and str(var[option]).upper() not in allowed:
                problems.append('%s: variable %s: %s must be one of %s' % (label, var.get('name'), option, ', '.join(allowed)))
        unknown = sorted(set(var) - set(o for o, dummy in VARIABLE_FIELDS))
        if unknown:
            problems.append('%s: variable %s: unknown options %s' % (label, var.get('name'), ', '.join(unknown)))
    for point in spec.get('launch_points') or []:
        unknown = sorted(set(point) - set(o for o, dummy in LAUNCH_POINT_FIELDS) - set(('bindings', 'attributes')))
        if unknown:
            problems.append('%s: launch point %s: unknown options %s' % (label, point.get('name'), ', '.join(unknown)))
    names = [str(v.get('name') or '').upper() for v in spec.get('variables') or []]
    for var in set(n for n in names if names.count(n) > 1):
        problems.append('%s: variable %s is listed more than once' % (label, var))
    if any(_bad_name(v.get('name')) for v in spec.get('variables') or []):
        problems.append('%s: every variable needs a name without quotes or newlines' % label)
    return problems


def _row(item, fields):
    row = {}
    for option, attr in fields:
        value = item.get(option)
        if value is None:
            continue
        if attr in UPPER_FIELDS or attr in ('launchpointtype', 'vartype', 'varbindingtype'):
            value = str(value).upper()
        row[attr] = value
    return row


def wanted_script(spec, source):
    """The lean JSON record the options describe (``source`` is the file's text, unchanged)."""
    record = {'autoscript': str(spec['name']).upper(), 'scriptlanguage': str(spec['language']).lower(),
              'source': source}
    for option, attr in (('description', 'description'), ('log_level', 'loglevel'), ('status', 'status')):
        if spec.get(option) is not None:
            record[attr] = spec[option]
    if spec.get('variables') is not None:
        record['autoscriptvars'] = [_row(v, VARIABLE_FIELDS) for v in spec['variables']]
    if spec.get('launch_points') is not None:
        points = []
        for point in spec['launch_points']:
            row = _row(point, LAUNCH_POINT_FIELDS)
            row.update(dict((str(k).lower(), v) for k, v in (point.get('attributes') or {}).items()))
            if point.get('bindings'):
                row['launchpointvars'] = [{'varname': str(k).upper(), 'varbindingvalue': v}
                                          for k, v in sorted(point['bindings'].items())]
            points.append(row)
        record['scriptlaunchpoint'] = points
    return record


def _same(wanted, held):
    """Whether the held value has the wanted one (rows: every wanted row found by its key with its values)."""
    if isinstance(wanted, list):
        if not isinstance(held, list):
            return not wanted
        return all(any(_same(row, h) for h in held if isinstance(h, dict)) for row in wanted)
    if isinstance(wanted, dict):
        if not isinstance(held, dict):
            return False
        return all(_same(v, held.get(k)) for k, v in wanted.items())
    if isinstance(wanted, bool) or isinstance(held, bool):
        return str(wanted).lower() == str(held).lower()
    return held is not None and str(wanted) == str(held)


class ScriptAction(RecordAction):
    name = None
    create = None
    patch = None
    delete = False
    href = None
    held = None

    @property
    def changed_attributes(self):
        return sorted(self.create or self.patch or {})

    def source_diff(self, source_label='source_file'):
        """The unified diff (difflib) of the held script text against the wanted one; '' when equal."""
        before = (self.held or {}).get('source') or '' if not self.create else ''
        if self.delete:
            after = ''
        else:
            after = (self.create or self.patch or {}).get('source', before)
        if before == after:
            return ''
        return ''.join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                            fromfile='%s (Manage)' % self.name, tofile=source_label))

    def diff(self, source_label='source_file'):
        """An Ansible diff: the script text before and after, and the other attributes that change."""
        held = self.held or {}
        if self.delete:
            return {'before_header': '%s (Manage)' % self.name, 'after_header': '(deleted)',
                    'before': held.get('source') or '', 'after': ''}
        written = self.create if self.create is not None else (self.patch or {})
        before_source = '' if self.create is not None else held.get('source') or ''
        other_before = dict((k, held.get(k)) for k in written if k != 'source' and self.create is None)
        other_after = dict((k, v) for k, v in written.items() if k != 'source')
        text_before = before_source if 'source' in written or self.create is not None else held.get('source') or ''
        text_after = written.get('source', text_before)
        if other_after:
            text_before += '\n# attributes: %s\n' % _sorted_repr(other_before)
            text_after += '\n# attributes: %s\n' % _sorted_repr(other_after)
        return {'before_header': '%s (Manage)' % self.name, 'after_header': source_label,
                'before': text_before, 'after': text_after}


def _sorted_repr(value):
    return json.dumps(value, sort_keys=True, default=str)


def plan_script(wanted, held, state='present', name=None):
    """Create, update (MERGE patch of what differs), delete or leave one script. ``held`` is the record or None."""
    name = name or wanted.get('autoscript')
    if state == 'absent':
        if held is None:
            return ScriptAction('unchanged', name=name)
        return ScriptAction('deleted', name=name, delete=True, href=held.get('href'), held=held)
    if held is None:
        return ScriptAction('created', name=name, create=dict(wanted))
    patch = dict((k, v) for k, v in wanted.items() if k != 'autoscript' and not _same(v, held.get(k)))
    if not patch:
        return ScriptAction('unchanged', name=name, href=held.get('href'), held=held)
    return ScriptAction('updated', name=name, patch=patch, href=held.get('href'), held=held)


# ---- system properties (object structure mxapiproperty: unverified, see docs/contracts.md) ------------------------

MASK = '********'
COMMON_SERVER = 'COMMON'


def check_property(spec):
    """Problems with one property's options."""
    name = spec.get('name')
    label = 'property %s' % (name or '(no name)')
    problems = []
    if _bad_name(name) or ' ' in str(name):
        problems.append('%s: name must be a property name without spaces, quotes or newlines' % label)
    if spec.get('value') is not None and spec.get('secret_value') is not None:
        problems.append('%s: give value or secret_value, not both' % label)
    if spec.get('value') is None and spec.get('secret_value') is None:
        problems.append('%s: value or secret_value is required' % label)
    for option in ('value', 'secret_value'):
        if spec.get(option) is not None and any(c in str(spec[option]) for c in '\r\n'):
            problems.append('%s: %s must be one line' % (label, option.replace('secret_', 'the secret ')))
    return problems


def held_value(record):
    """The global (COMMON) value Manage holds for a property record, or None."""
    rows = [r for r in record.get('maxpropvalue') or [] if isinstance(r, dict)]
    common = [r for r in rows if str(r.get('servername') or COMMON_SERVER).upper() == COMMON_SERVER]
    row = (common or rows or [{}])[0]
    return row.get('propvalue')


def _true(value):
    return str(value).lower() in ('true', '1', 'y', 'yes')


class PropertyAction(RecordAction):
    name = None
    patch = None
    href = None
    before = None
    after = None
    secret = False
    live_refresh = False
    refresh_refused = False

    def diff(self):
        if self.secret:
            return {'before': {self.name: MASK}, 'after': {self.name: MASK + ' (rewritten)'}}
        return {'before': {self.name: self.before}, 'after': {self.name: self.after}}


def plan_property(spec, held, always_send_secrets=False):
    """Update one property's global value, or leave it. ``held`` is the record or None (the property must exist:
    properties are defined by Manage and by administrators, never created here). Raises ConfigPlanError."""
    name = spec['name']
    if held is None:
        raise ConfigPlanError('property %s does not exist in Manage (this module sets values of existing '
                              'properties only)' % name)
    encrypted = _true(held.get('encrypted'))
    secret = spec.get('secret_value') is not None
    if encrypted and not secret:
        raise ConfigPlanError('property %s is encrypted: give its value as secret_value (never shown)' % name)
    wanted = spec['secret_value'] if secret else spec['value']
    refreshable = _true(held.get('liverefresh'))
    want_refresh = bool(spec.get('live_refresh'))
    href = held.get('href')
    if secret:
        if not always_send_secrets:
            return PropertyAction('unchanged', name=name, href=href, secret=True)
        write = True
    else:
        write = held_value(held) is None or str(held_value(held)) != str(wanted)
    if not write:
        return PropertyAction('unchanged', name=name, href=href, before=held_value(held), after=wanted)
    patch = {'maxpropvalue': [{'servername': COMMON_SERVER, 'propvalue': wanted}]}
    return PropertyAction('updated', name=name, patch=patch, href=href, before=None if secret else held_value(held),
                          after=None if secret else wanted, secret=secret,
                          live_refresh=want_refresh and refreshable, refresh_refused=want_refresh and not refreshable)
