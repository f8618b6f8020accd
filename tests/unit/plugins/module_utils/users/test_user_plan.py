# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError
from ansible_collections.mas.dedicated.plugins.module_utils.users.mas_api import page_items, version_at_least
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_plan import (
    DesiredGroup, contains, count_outcomes, desired_groups, desired_users, plan_group, plan_person, plan_user,
    plan_users, sync_state, to_masperuser)
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_limits import describe_violations


def held(**extra):
    user = {'id': 'jdoe', 'username': 'jdoe', 'givenName': 'Jane', 'familyName': 'Doe', 'status': {'active': True},
            'entitlement': {'application': 'PREMIUM', 'admin': 'NONE'},
            'applications': {'manage': {'role': 'USER', 'sync': {'state': 'SUCCESS'}}}, 'meta': {'created': 'x'}}
    user.update(extra)
    return user


def one(entry, **kwargs):
    desired, violations = desired_users([entry], **kwargs)
    return desired[0], violations


def test_contains_compares_only_the_given_keys_and_whole_lists():
    assert contains({'a': 1, 'b': {'c': 2}}, {'a': 1, 'b': {'c': 2, 'd': 3}, 'e': 4})
    assert not contains({'b': {'c': 2}}, {'b': {'c': 3}})
    assert contains([{'value': 'x'}], [{'value': 'x', 'type': 'WORK'}])
    assert not contains([{'value': 'x'}], [{'value': 'x'}, {'value': 'y'}])
    assert not contains({'a': 1}, None)
    assert not contains('1', 1)


def test_id_defaults_to_the_username_and_control_keys_are_not_sent():
    user, violations = one({'username': 'jdoe', 'role': 'ADMIN', 'state': 'present'}, entitlement='BASE')
    assert violations == []
    assert user.id == 'jdoe' and user.role == 'ADMIN'
    assert user.body == {'username': 'jdoe', 'id': 'jdoe', 'entitlement': {'application': 'BASE'},
                         'status': {'active': True}}


def test_entitlement_default_does_not_override_the_users_own():
    user, dummy = one({'username': 'a', 'entitlement': {'application': 'LIMITED'}}, entitlement='PREMIUM')
    assert user.body['entitlement'] == {'application': 'LIMITED'}


def test_new_user_is_created_with_its_role():
    user, dummy = one({'username': 'jdoe', 'givenName': 'Jane'}, role='USER')
    action = plan_user(user, None)
    assert action.outcome == 'created' and action.create['givenName'] == 'Jane' and action.role == 'USER'
    assert action.diff() == {'before': None, 'after': action.create}


def test_same_values_are_unchanged_even_with_attributes_mas_added():
    user, dummy = one({'username': 'jdoe', 'givenName': 'Jane', 'entitlement': {'application': 'PREMIUM'}}, role='USER')
    action = plan_user(user, held(), held_role='USER')
    assert action.outcome == 'unchanged' and not action.writes


def test_a_changed_attribute_becomes_a_patch_of_that_attribute_only():
    user, dummy = one({'username': 'jdoe', 'givenName': 'Janet', 'familyName': 'Doe'})
    action = plan_user(user, held())
    assert action.outcome == 'updated'
    assert action.patch == {'givenName': 'Janet'}
    assert action.role is None
    assert action.diff() == {'before': {'givenName': 'Jane'}, 'after': {'givenName': 'Janet'}}


def test_a_role_change_alone_is_an_update_without_patch():
    user, dummy = one({'username': 'jdoe'}, role='ADMIN')
    action = plan_user(user, held())
    assert action.outcome == 'updated' and action.patch is None and action.role == 'ADMIN'


def test_inactive_user_listed_as_present_is_reactivated():
    user, dummy = one({'username': 'jdoe'})
    action = plan_user(user, held(status={'active': False}))
    assert action.patch == {'status': {'active': True}}


def test_absent_deactivates_once_and_never_deletes():
    user, dummy = one({'username': 'jdoe', 'state': 'absent'})
    assert plan_user(user, held()).patch == {'status': {'active': False}}
    assert plan_user(user, held()).outcome == 'deactivated'
    assert plan_user(user, held(status={'active': False})).outcome == 'unchanged'
    assert plan_user(user, None).outcome == 'unchanged'


def test_absent_users_are_not_checked_against_the_limits():
    dummy, violations = one({'username': 'x' * 101, 'state': 'absent'})
    assert violations == []


def test_every_violation_of_the_whole_list_is_returned_at_once():
    desired, violations = desired_users([
        {'username': 'ok'},
        {'username': 'bad1', 'familyName': 'x' * 31, 'title': 't' * 31},
        {'username': 'bad2', 'phoneNumbers': [{'value': '1', 'type': 'FAX'}]},
        'not a mapping',
        {'username': 'ok'},
        {'username': 'odd', 'state': 'gone'},
    ])
    fields = sorted((str(v['user']), v['field']) for v in violations)
    assert fields == sorted([('bad1', 'familyName'), ('bad1', 'title'), ('bad2', 'phoneNumbers[0].type'),
                             ('None', 'users[3]'), ('ok', 'id'), ('odd', 'state')])
    actions = plan_users(desired, {})
    assert [a.outcome for a in actions] == ['created', 'invalid', 'invalid', 'invalid', 'invalid']
    assert actions[1].result()['violations'][0]['manage'] == 'PERSON.LASTNAME'


def test_counts_cover_every_outcome():
    counts = count_outcomes([{'outcome': 'created'}, {'outcome': 'created'}, {'outcome': 'invalid'}])
    assert counts == {'created': 2, 'updated': 0, 'deactivated': 0, 'resynced': 0, 'unchanged': 0, 'invalid': 1,
                      'failed': 0}


def test_describe_violations_names_user_field_rule_and_manage_attribute():
    dummy, violations = one({'username': 'bad', 'familyName': 'x' * 31})
    text = describe_violations(violations)
    assert text.startswith("bad: familyName 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' longer than 30 characters (31)")
    assert text.endswith('(PERSON.LASTNAME)')
    many = [dict(violations[0], user='u%d' % i) for i in range(12)]
    assert describe_violations(many).endswith('; and 2 more')


@pytest.mark.parametrize('body,expected', [
    ([{'id': 'a'}], [{'id': 'a'}]),
    ({'users': [{'id': 'b'}]}, [{'id': 'b'}]),
    ({'member': []}, []),
])
def test_page_items_accepts_an_array_or_a_wrapped_one(body, expected):
    assert page_items(body) == expected


def test_page_items_refuses_an_answer_without_users():
    with pytest.raises(MasApiError) as err:
        page_items({'unexpected': 1})
    assert 'mas_api_url' in str(err.value)


# ---- groups

def group(**entry):
    return DesiredGroup(entry)


def test_missing_group_is_created_with_members_upper_case():
    action = plan_group(group(name='planners', description='P', members=['jdoe', 'RROE', 'jdoe']), None)
    assert action.outcome == 'created'
    assert action.create == {'groupname': 'PLANNERS', 'description': 'P',
                             'groupuser': [{'userid': 'JDOE'}, {'userid': 'RROE'}]}


def test_adding_members_is_one_merge_patch_of_the_new_ones():
    current = {'groupname': 'PLANNERS', 'href': 'h', 'groupuser': [{'userid': 'JDOE'}]}
    action = plan_group(group(name='PLANNERS', members=['jdoe', 'rroe']), current)
    assert action.merge and action.patch == {'groupuser': [{'userid': 'RROE'}]} and action.href == 'h'
    assert action.added == ['RROE'] and action.removed == []


def test_removing_members_sends_those_that_stay_without_merge():
    current = {'groupname': 'G', 'href': 'h', 'groupuser': [{'userid': 'A'}, {'userid': 'B'}, {'userid': 'C'}]}
    exact = plan_group(group(name='G', members=['a', 'd']), current, 'exact')
    assert not exact.merge
    assert exact.patch == {'groupuser': [{'userid': 'A'}, {'userid': 'D'}]}
    assert exact.removed == ['B', 'C'] and exact.added == ['D']
    absent = plan_group(group(name='G', members=['b', 'z']), current, 'absent')
    assert absent.patch == {'groupuser': [{'userid': 'A'}, {'userid': 'C'}]} and absent.removed == ['B']


def test_nothing_to_do_is_unchanged():
    current = {'groupname': 'G', 'description': 'D', 'groupuser': [{'userid': 'A'}]}
    assert plan_group(group(name='G', description='D', members=['a']), current).outcome == 'unchanged'
    assert plan_group(group(name='G', members=['x']), current, 'absent').outcome == 'unchanged'
    assert plan_group(group(name='G', members=['x']), None, 'absent').outcome == 'unchanged'


def test_description_change_alone_is_a_merge_patch():
    current = {'groupname': 'G', 'description': 'old', 'groupuser': []}
    action = plan_group(group(name='G', description='new'), current)
    assert action.patch == {'description': 'new'} and action.merge


@pytest.mark.parametrize('entry,field', [
    ({'name': 'G' * 31}, 'id'),
    ({'name': 'G', 'description': 'd' * 201}, 'displayName'),
    ({'name': 'G', 'members': ['u' * 31]}, 'members[0]'),
    ({}, 'id'),
])
def test_table_2_limits_make_a_group_invalid(entry, field):
    groups, violations = desired_groups([entry])
    assert [v['field'] for v in violations] == [field]
    assert plan_group(groups[0], None).outcome == 'invalid'


# ---- IBM's client (mas-devops 12.11.1 MASUserUtils) as the judge ----------------------------------------

def test_the_role_is_what_mas_answers_for_the_application_not_a_field_of_the_user():
    # A real MAS user holds only applications.manage.sync; the role comes from
    # GET /workspaces/{ws}/applications/manage/users/{id} (IBM's get_user_application_permissions).
    user, dummy = one({'username': 'jdoe', 'givenName': 'Jane'}, role='USER')
    real = held(applications={'manage': {'sync': {'state': 'SUCCESS'}}})
    assert plan_user(user, real, held_role='USER').outcome == 'unchanged'
    assert plan_user(user, real, held_role=None).role == 'USER'  # 404: no role yet
    assert plan_user(user, held(), held_role='ADMIN').role == 'USER'  # applications.manage.role is not read
    # a permission whose answer names no role is left alone, as IBM's set_user_application_permission does
    assert plan_user(user, real, held_role='').outcome == 'unchanged'


def test_new_users_get_identity_membership_and_role_in_ibms_order():
    user, dummy = one({'username': 'jdoe'}, role='MANAGEUSER')
    action = plan_user(user, None, local_identity=True)
    assert action.steps == ['create', 'local_identity', 'workspace', 'role']
    assert action.result()['steps'] == action.steps
    assert plan_user(user, None, member=None).steps == ['create', 'role']  # workspace_membership=false


def test_a_held_user_outside_the_workspace_is_added_before_its_role():
    user, dummy = one({'username': 'jdoe', 'givenName': 'Jane'}, role='USER')
    action = plan_user(user, held(), held_role=None, member=False)
    assert action.outcome == 'updated' and action.steps == ['workspace', 'role']
    assert action.diff() == {'before': {'role': None, 'workspace_member': False},
                             'after': {'role': 'USER', 'workspace_member': True}}
    assert plan_user(user, held(), held_role='USER', member=True).outcome == 'unchanged'


def test_local_identity_is_linked_once():
    user, dummy = one({'username': 'jdoe', 'givenName': 'Jane'})
    assert plan_user(user, held(), local_identity=True).steps == ['local_identity']
    linked = held(identities={'_local': {'idpUserId': 'jdoe'}})
    assert plan_user(user, linked, local_identity=True).outcome == 'unchanged'


def test_an_unchanged_user_in_error_is_resynced_only_when_asked():
    user, dummy = one({'username': 'jdoe', 'givenName': 'Jane'})
    failed = held(displayName='Jane Doe', applications={'manage': {'sync': {'state': 'ERROR'}}})
    assert plan_user(user, failed).outcome == 'unchanged'
    action = plan_user(user, failed, resync_errors=True)
    assert action.outcome == 'resynced' and action.resync == 'Jane Doe' and action.steps == ['resync']
    assert plan_user(user, held(displayName='Jane Doe'), resync_errors=True).outcome == 'unchanged'
    failed.pop('displayName')
    assert plan_user(user, failed, resync_errors=True).outcome == 'unchanged'  # IBM skips a user without one


def test_mas_91_sync_state_names_read_as_the_90_ones():
    for shown, state in (('Complete', 'SUCCESS'), ('Pending', 'PENDING'), ('Error', 'ERROR'), ('SUCCESS', 'SUCCESS'),
                         ('DELETE_PENDING', 'DELETE_PENDING')):
        assert sync_state({'applications': {'manage': {'sync': {'state': shown}}}}, 'manage')[0] == state


def test_mas_version_is_compared_as_major_minor_like_ibms_client():
    assert not version_at_least('9.0') and not version_at_least('8.11.3')
    assert version_at_least('9.1') and version_at_least('9.1.x') and version_at_least('10.0')
    with pytest.raises(ValueError):
        version_at_least('latest')


def test_masperuser_record_of_a_mas_user():
    user, dummy = one({'username': 'jdoe', 'givenName': 'Jane', 'familyName': 'Doe', 'displayName': 'Jane Doe',
                       'emails': [{'value': 'x@example.com', 'type': 'WORK', 'primary': True}]})
    assert to_masperuser(user.body) == {
        'personid': 'jdoe', 'displayname': 'Jane Doe', 'firstname': 'Jane', 'lastname': 'Doe',
        'primaryemail': 'x@example.com', 'primaryemailtype': 'WORK',
        'maxuser': {'userid': 'jdoe', 'loginid': 'jdoe', 'personid': 'jdoe', 'status': 'ACTIVE'}}
    created = plan_person(user, None, local_identity=True)
    assert created.outcome == 'created' and created.steps == ['create', 'local_identity']
    current = dict(created.create, href='h', maxuser=dict(created.create['maxuser'],
                                                          masuseridp=[{'idpid': 'local'}]))
    assert plan_person(user, current, local_identity=True).outcome == 'unchanged'
    renamed = plan_person(one({'username': 'jdoe', 'displayName': 'J. Doe'})[0], current)
    assert renamed.patch == {'displayname': 'J. Doe'}
    gone = plan_person(one({'username': 'jdoe', 'state': 'absent'})[0], current)
    assert gone.outcome == 'deactivated' and gone.patch == {'maxuser': {'userid': 'jdoe', 'status': 'INACTIVE'}}
    current['maxuser']['status'] = 'INACTIVE'
    assert plan_person(one({'username': 'jdoe', 'state': 'absent'})[0], current).outcome == 'unchanged'


def test_ids_that_would_break_a_url_path_are_refused_before_sending():
    for bad in ('..', '.', 'a\nb'):
        dummy, violations = one({'username': bad, 'state': 'absent'})
        assert [v['field'] for v in violations] == ['id'], bad
