# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that preview what Manage receives from a MAS user, and what it would refuse."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.mas.dedicated.plugins.module_utils.users.user_limits import manage_user, user_violations
from ansible_collections.mas.dedicated.plugins.plugin_utils.user_source import SourceError, group_memberships, users_from_csv


def _users(value):
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return value
    raise AnsibleFilterError('expected a MAS user (a mapping) or a list of them, got %s' % type(value).__name__)


def manage_user_filter(user):
    if not isinstance(user, dict):
        raise AnsibleFilterError('manage_user expects a MAS user (a mapping)')
    return manage_user(user)


def user_violations_filter(users):
    found = []
    for user in _users(users):
        found += user_violations(user)
    return found


def users_from_csv_filter(text):
    if not isinstance(text, str):
        raise AnsibleFilterError('users_from_csv expects the text of a CSV file')
    try:
        return users_from_csv(text)
    except SourceError as exc:
        raise AnsibleFilterError('users_from_csv: %s' % exc)


def group_memberships_filter(users, synced=None, groups=None):
    return group_memberships(_users(users), synced, groups)


class FilterModule(object):

    def filters(self):
        return {'manage_user': manage_user_filter, 'user_violations': user_violations_filter,
                'users_from_csv': users_from_csv_filter, 'group_memberships': group_memberships_filter}
