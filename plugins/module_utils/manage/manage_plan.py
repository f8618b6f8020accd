# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: what to send so that one Manage object-structure record holds the wanted attributes.

Lean JSON names attributes in lower case, so wanted attributes are lower-cased first. Scalars are compared as
given; a wanted child array is satisfied when each wanted child is contained in some held child (Manage adds
attributes of its own), and is sent whole in a MERGE patch, which Manage merges by the children's keys [doc].

Values are compared exactly as given, never case-folded: ``oslc.where`` maps to Maximo's query-by-example, whose
exact search "is case sensitive" (IBM Support, "Understanding Search Methodologies",
https://www.ibm.com/support/pages/node/621021), so a key must be given as Manage stores it (``Kafka``, not
``KAFKA``).

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.compare import contains
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError
from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_api import where_equals

# Attributes Manage computes for every record: never compared, never sent.
SYSTEM_ATTRIBUTES = ('href', '_rowstamp', 'localref', '_id')


def lowered(value):
    """Attribute names in lower case, recursively (lean JSON form)."""
    if isinstance(value, dict):
        return dict((str(k).lower(), lowered(v)) for k, v in value.items())
    if isinstance(value, list):
        return [lowered(v) for v in value]
    return value


def where_for(key):
    """``oslc.where`` for a key given as {attribute: value}, joined by ``and``."""
    return ' and '.join(where_equals(attr.lower(), value) for attr, value in sorted(key.items()))


def _child_satisfied(wanted_children, held_children):
    held_children = held_children if isinstance(held_children, list) else []
    return all(any(contains(child, held) for held in held_children) for child in wanted_children)


def differences(wanted, held):
    """The wanted attributes that ``held`` does not already have (top level)."""
    changed = {}
    for attr, value in wanted.items():
        if attr in SYSTEM_ATTRIBUTES:
            continue
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            if not _child_satisfied(value, held.get(attr)):
                changed[attr] = value
        elif not contains(value, held.get(attr)):
            changed[attr] = value
    return changed


class ManagePlanError(RefusedError):
    """What was asked cannot be done without writing something wrong; nothing is sent."""


def key_matches(record, key):
    """Whether ``record`` holds exactly the ``key`` values (a where clause may match more, e.g. ``%`` is LIKE)."""
    return all(str(record.get(attr)) == str(value) for attr, value in lowered(key).items())


def with_secrets(record, secrets):
    """``record`` with the secret attributes added; a secret child array (for example the PASSWORD row of
    ``maxendpointdtl``) is appended to the wanted rows of the same array instead of replacing them."""
    result = dict(record)
    for attr, value in secrets.items():
        if isinstance(value, list) and isinstance(result.get(attr), list):
            result[attr] = list(result[attr]) + list(value)
        else:
            result[attr] = value
    return result


def _new_rows_missing(wanted, held, new_children):
    """Why rows that would be added to a child array lack what such a row needs (``new_children`` maps an array
    to ``{key: [attributes], require: [attributes]}``)."""
    problems = []
    for array, rule in lowered(dict(new_children or {})).items():
        rows = wanted.get(array)
        if not isinstance(rows, list):
            continue
        if not isinstance(rule, dict) or not rule.get('key'):
            raise ManagePlanError('new_children.%s needs key (the attributes that identify a row)' % array)
        keys = [str(k).lower() for k in rule['key']]
        required = [str(r).lower() for r in rule.get('require') or []]
        held_rows = (held or {}).get(array) if isinstance((held or {}).get(array), list) else []
        for row in rows:
            if any(all(str(h.get(k)) == str(row.get(k)) for k in keys) for h in held_rows):
                continue
            missing = [r for r in required if row.get(r) in (None, '', [], {})]
            if missing:
                problems.append('%s %s does not exist and a new one needs %s'
                                % (array, '/'.join(str(row.get(k)) for k in keys), ', '.join(missing)))
    return problems


class RecordAction:
    """What to do with one Manage record: ``outcome`` ('created', 'updated', 'deleted' or 'unchanged') and, given
    by keyword, the attributes a subclass declares as class attributes with their defaults."""

    def __init__(self, outcome, **attributes):
        unknown = sorted(name for name in attributes if not hasattr(type(self), name))
        if unknown:
            raise TypeError('%s has no attribute %s' % (type(self).__name__, ', '.join(unknown)))
        self.outcome = outcome
        self.__dict__.update(attributes)

    @property
    def changed(self):
        return self.outcome != 'unchanged'


class ObjectAction(RecordAction):
    create = None
    patch = None
    delete = False
    href = None
    before = None

    def diff(self):
        if self.create is not None:
            return {'before': {}, 'after': self.create}
        if self.delete:
            return {'before': self.before, 'after': {}}
        before = dict((k, (self.before or {}).get(k)) for k in self.patch or {})
        return {'before': before, 'after': dict(self.patch or {})}


def plan_object(key, attributes, held, state='present', secret_attributes=None, always_send_secrets=False,
                must_exist=False, new_children=None):
    """``held`` is the one record the key finds, or None.

    Secrets cannot be compared (Manage does not return them): they go with a create, and with an update only when
    ``always_send_secrets`` (a rotation), which is then always a change. ``must_exist`` refuses to create the
    record; ``new_children`` refuses child rows that would be added without what they need. Both raise
    ManagePlanError.
    """
    wanted = lowered(dict(attributes or {}))
    wanted.update(lowered(key))
    secrets = lowered(dict(secret_attributes or {}))
    if state == 'absent':
        if held is None:
            return ObjectAction('unchanged')
        return ObjectAction('deleted', delete=True, href=held.get('href'), before=held)
    if held is None and must_exist:
        raise ManagePlanError('no record has the key %s: it must exist already (it is not created here)'
                              % ', '.join('%s=%s' % item for item in sorted(key.items())))
    problems = _new_rows_missing(wanted, held, new_children)
    if problems:
        raise ManagePlanError('; '.join(problems))
    if held is None:
        return ObjectAction('created', create=with_secrets(wanted, secrets))
    # The key found the record with exactly these values: it is never part of an update.
    patch = differences(dict((k, v) for k, v in wanted.items() if k not in lowered(key)), held)
    if secrets and always_send_secrets:
        patch = with_secrets(patch, secrets)
    if not patch:
        return ObjectAction('unchanged', href=held.get('href'), before=held)
    return ObjectAction('updated', patch=patch, href=held.get('href'), before=held)
