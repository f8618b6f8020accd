# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: what to send so that one Manage object-structure record holds the wanted attributes.

Lean JSON names attributes in lower case, so wanted attributes are lower-cased first. Scalars are compared as
given; a wanted child array is satisfied when each wanted child is contained in some held child (Manage adds
attributes of its own), and is sent whole in a MERGE patch, which Manage merges by the children's keys [doc].
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.manage_api import where_equals
from ansible_collections.mas.dedicated.plugins.module_utils.user_plan import contains

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


class ObjectAction:
    def __init__(self, outcome, create=None, patch=None, delete=False, href=None, before=None):
        self.outcome = outcome
        self.create = create
        self.patch = patch
        self.delete = delete
        self.href = href
        self.before = before

    @property
    def changed(self):
        return self.outcome != 'unchanged'

    def diff(self):
        if self.create is not None:
            return {'before': {}, 'after': self.create}
        if self.delete:
            return {'before': self.before, 'after': {}}
        before = dict((k, (self.before or {}).get(k)) for k in self.patch or {})
        return {'before': before, 'after': dict(self.patch or {})}


def plan_object(key, attributes, held, state='present', secret_attributes=None, always_send_secrets=False):
    """``held`` is the one record the key finds, or None.

    Secrets cannot be compared (Manage does not return them): they go with a create, and with an update only when
    ``always_send_secrets`` (a rotation), which is then always a change.
    """
    wanted = lowered(dict(attributes or {}))
    wanted.update(lowered(key))
    secrets = lowered(dict(secret_attributes or {}))
    if state == 'absent':
        if held is None:
            return ObjectAction('unchanged')
        return ObjectAction('deleted', delete=True, href=held.get('href'), before=held)
    if held is None:
        return ObjectAction('created', create=dict(wanted, **secrets))
    # The key found the record (Manage matches it case-insensitively): it is never part of an update.
    patch = differences(dict((k, v) for k, v in wanted.items() if k not in lowered(key)), held)
    if secrets and always_send_secrets:
        patch.update(secrets)
    if not patch:
        return ObjectAction('unchanged', href=held.get('href'), before=held)
    return ObjectAction('updated', patch=patch, href=held.get('href'), before=held)
