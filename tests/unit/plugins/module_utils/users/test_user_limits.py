# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every row of Table 1 and Table 2 at its limit and one past it."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.users.user_limits import (
    GROUP_FIELDS, LIST_FIELDS, USER_FIELDS, group_violations, manage_user, user_violations)


def _with(path, value):
    user = {'username': 'jdoe'}
    node = user
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value
    return user


def _value(length, allowed):
    if allowed:
        return allowed[0]
    return 'x' * length


@pytest.mark.parametrize('field,path,manage,kind,length,allowed', USER_FIELDS, ids=[f[0] for f in USER_FIELDS])
def test_user_field_at_the_limit_passes_and_past_it_fails(field, path, manage, kind, length, allowed):
    at_limit = _with(path, _value(length, allowed) if not allowed else allowed[0])
    if path == ('username',):
        at_limit = {'username': 'x' * length}
    assert user_violations(at_limit) == []
    past = _with(path, 'x' * (length + 1))
    if path == ('username',):
        past = {'username': 'x' * (length + 1)}
    found = [v for v in user_violations(past) if v['field'] == field]
    assert found and found[0]['manage'] == manage
    assert 'longer than %d characters' % length in found[0]['rule']


@pytest.mark.parametrize('list_name,key,manage,kind,length,allowed', LIST_FIELDS, ids=['%s.%s' % f[:2] for f in LIST_FIELDS])
def test_list_field_limits(list_name, key, manage, kind, length, allowed):
    if kind == 'BOOLEAN':
        assert user_violations({'username': 'u', list_name: [{key: True}]}) == []
        found = user_violations({'username': 'u', list_name: [{key: 'yes'}]})
        assert found[0]['rule'] == 'must be true or false' and found[0]['manage'] == manage
        return
    good = allowed[-1].lower() if allowed else 'x' * length
    assert user_violations({'username': 'u', list_name: [{key: good}]}) == []
    bad = 'x' * (length + 1)
    found = user_violations({'username': 'u', list_name: [{key: bad}]})
    assert found[0]['field'] == '%s[0].%s' % (list_name, key) and found[0]['manage'] == manage
    assert 'longer than %d' % length in found[0]['rule']


@pytest.mark.parametrize('field,allowed', [('issuer', 'local'), ('issuer', 'saml')])
def test_issuer_values(field, allowed):
    assert user_violations({'username': 'u', field: allowed}) == []
    assert user_violations({'username': 'u', field: 'okta'})[0]['rule'] == 'must be one of local, ldap, saml'


def test_types_are_checked_upper_cased():
    assert user_violations({'username': 'u', 'emails': [{'type': 'work'}], 'phoneNumbers': [{'type': 'Mobile'}]}) == []
    found = user_violations({'username': 'u', 'emails': [{'type': 'MOBILE'}], 'phoneNumbers': [{'type': 'FAX'}]})
    assert [v['rule'] for v in found] == ['must be one of HOME, WORK', 'must be one of HOME, MOBILE, WORK']


def test_all_violations_come_at_once_and_username_is_required():
    found = user_violations({'familyName': 'x' * 31, 'title': 'x' * 31, 'addresses': [{'postalCode': '1234567890123'}]})
    assert sorted(v['field'] for v in found) == ['address.postalCode', 'familyName', 'title', 'username']


@pytest.mark.parametrize('field,manage,length', GROUP_FIELDS)
def test_group_fields(field, manage, length):
    assert group_violations({'id': 'G', field: 'x' * length}) == []
    found = group_violations({'id': 'G', field: 'x' * (length + 1)})
    assert found[0]['manage'] == manage and 'longer than %d' % length in found[0]['rule']


def test_group_members_fit_groupuser():
    assert group_violations({'id': 'G', 'members': ['x' * 30, {'value': 'y' * 30}]}) == []
    found = group_violations({'id': 'G', 'members': [{'value': 'y' * 31}]})
    assert found[0]['field'] == 'members[0]' and found[0]['manage'] == 'GROUPUSER.USERID'
    assert group_violations({})[0]['rule'] == 'is required'


def test_mapping_to_manage():
    records = manage_user({
        'username': 'jdoe', '_id': 'jdoe@acme.com', 'givenName': 'Jane', 'familyName': 'Doe',
        'addresses': [{'streetAddress': '1 Main St\nSuite 2\nBuilding C\nFloor 4', 'postalCode': '02101'}],
        'emails': [{'value': 'jane@acme.com', 'type': 'work', 'primary': True}],
        'phoneNumbers': [{'value': '+1 555', 'type': 'mobile'}],
    })
    assert records['MAXUSER'] == {'USERID': 'JDOE', 'LOGINID': 'jdoe@acme.com'}
    assert records['PERSON']['PERSONID'] == 'JDOE'
    assert (records['PERSON']['ADDRESSLINE1'], records['PERSON']['ADDRESSLINE2'], records['PERSON']['ADDRESSLINE3']) == \
        ('1 Main St', 'Suite 2', 'Building C Floor 4')
    assert records['EMAIL'] == [{'EMAILADDRESS': 'jane@acme.com', 'TYPE': 'WORK', 'ISPRIMARY': True}]
    assert records['PHONE'] == [{'PHONENUM': '+1 555', 'TYPE': 'MOBILE', 'ISPRIMARY': False}]
    assert 'TITLE' not in records['PERSON']
