# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.plugin_utils.user_source import SourceError, group_memberships, users_from_csv

HR = (
    '\ufeffusername,givenName,familyName,email,email_type,phone,phone_type,locality,postalCode,entitlement,groups,state,language\n'
    'jdoe,Jane,Doe,jane@example.com,home,+1 555,mobile,Springfield,12345,PREMIUM,planners; supervisors,,en\n'
    'rroe,,Roe,,,,,,,,,absent,\n'
    ',,,,,,,,,,,,\n'
)


def test_rows_become_mas_users_with_empty_cells_left_out():
    users = users_from_csv(HR)
    assert users == [
        {'username': 'jdoe', 'givenName': 'Jane', 'familyName': 'Doe', 'entitlement': {'application': 'PREMIUM'},
         'preferences': {'locale': {'language': 'en'}},
         'emails': [{'value': 'jane@example.com', 'type': 'HOME', 'primary': True}],
         'phoneNumbers': [{'value': '+1 555', 'type': 'MOBILE', 'primary': True}],
         'addresses': [{'locality': 'Springfield', 'postalCode': '12345'}],
         'groups': ['planners', 'supervisors']},
        {'username': 'rroe', 'familyName': 'Roe', 'state': 'absent'},
    ]


def test_email_and_phone_types_default_to_work():
    users = users_from_csv('username,email,phone\na,a@example.com,1\n')
    assert users[0]['emails'][0]['type'] == 'WORK' and users[0]['phoneNumbers'][0]['type'] == 'WORK'


@pytest.mark.parametrize('text,message', [
    ('', 'no header row'),
    ('username,shoe_size\na,42\n', 'unknown CSV column(s) shoe_size; known columns:'),
    ('givenName\nJane\n', 'needs a username (or id) column'),
    ('username\na,b\n', 'line 2 has more cells than the header'),
])
def test_malformed_sources_are_refused_clearly(text, message):
    with pytest.raises(SourceError) as err:
        users_from_csv(text)
    assert message in str(err.value)


def test_group_memberships_from_users_and_explicit_groups():
    users = [{'username': 'jdoe', 'groups': ['planners', 'SUPERVISORS']},
             {'username': 'rroe', 'groups': ['planners']},
             {'username': 'gone', 'state': 'absent', 'groups': ['planners']}]
    groups = group_memberships(users, groups=[{'name': 'planners', 'description': 'P', 'members': ['admin']}])
    assert groups == [{'name': 'PLANNERS', 'description': 'P', 'members': ['ADMIN', 'JDOE', 'RROE']},
                      {'name': 'SUPERVISORS', 'members': ['JDOE']}]


def test_group_memberships_keep_only_synchronised_users():
    users = [{'username': 'jdoe', 'groups': ['g']}, {'username': 'late', 'groups': ['g']}]
    assert group_memberships(users, synced=['jdoe']) == [{'name': 'G', 'members': ['JDOE']}]
