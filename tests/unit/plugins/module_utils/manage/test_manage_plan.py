# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One Manage record: exact keys, secret child rows, records that must exist, rows that need attributes."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_plan import (
    ManagePlanError, key_matches, plan_object)
from ansible_collections.mas.dedicated.plugins.module_utils.common.options import secrets_from

ENDPOINT = {'handlername': 'KAFKA', 'maxendpointdtl': [{'property': 'TOPIC', 'value': 't'}]}
PASSWORD_ROW = {'maxendpointdtl': [{'property': 'PASSWORD', 'value': 'pw-123456'}]}
NEW_INSTANCES = {'crontaskinstance': {'key': ['instancename'], 'require': ['crontaskparam']}}
KAFKA = {'href': 'h', 'crontaskname': 'Kafka',
         'crontaskinstance': [{'instancename': 'kafkacqin', 'active': False,
                               'crontaskparam': [{'parameter': 'TOPIC', 'value': 'cqin'}]}]}


def test_keys_match_exactly_never_case_folded():
    assert key_matches({'crontaskname': 'Kafka'}, {'CRONTASKNAME': 'Kafka'})
    assert not key_matches({'crontaskname': 'Kafka'}, {'crontaskname': 'KAFKA'})
    assert not key_matches({'crontaskname': 'Kafka2'}, {'crontaskname': 'Kafka%'})


def test_a_secret_child_row_joins_the_wanted_rows_on_create():
    action = plan_object({'endpointname': 'EP'}, ENDPOINT, None, secret_attributes=PASSWORD_ROW)
    assert action.create['maxendpointdtl'] == [{'property': 'TOPIC', 'value': 't'},
                                               {'property': 'PASSWORD', 'value': 'pw-123456'}]
    assert 'password' not in action.create


def test_a_secret_row_is_not_compared_and_sent_alone_on_rotation():
    held = {'href': 'h', 'endpointname': 'EP', 'handlername': 'KAFKA',
            'maxendpointdtl': [{'property': 'TOPIC', 'value': 't'}, {'property': 'PASSWORD'}]}
    assert plan_object({'endpointname': 'EP'}, ENDPOINT, held, secret_attributes=PASSWORD_ROW).outcome == 'unchanged'
    rotation = plan_object({'endpointname': 'EP'}, ENDPOINT, held, secret_attributes=PASSWORD_ROW,
                           always_send_secrets=True)
    assert rotation.patch == PASSWORD_ROW


def test_every_value_of_a_secret_row_is_redacted():
    # manage_object's objects[].secret_attributes is no_log: every value in it is a secret.
    spec = {'objects': dict(type='list', elements='dict', options=dict(secret_attributes=dict(type='dict', no_log=True)))}
    assert 'pw-123456' in secrets_from({'objects': [{'secret_attributes': PASSWORD_ROW}]}, spec)


def test_a_record_that_must_exist_is_never_created():
    with pytest.raises(ManagePlanError, match='no record has the key crontaskname=Kafka'):
        plan_object({'crontaskname': 'Kafka'}, {'crontaskinstance': []}, None, must_exist=True)


def test_existing_rows_are_updated_by_name_and_new_rows_need_their_parameters():
    action = plan_object({'crontaskname': 'Kafka'}, {'crontaskinstance': [{'instancename': 'kafkacqin', 'active': True}]},
                         KAFKA, must_exist=True, new_children=NEW_INSTANCES)
    assert action.outcome == 'updated'
    assert action.patch == {'crontaskinstance': [{'instancename': 'kafkacqin', 'active': True}]}
    with pytest.raises(ManagePlanError, match='crontaskinstance KAFKACQIN does not exist and a new one needs crontaskparam'):
        plan_object({'crontaskname': 'Kafka'}, {'crontaskinstance': [{'instancename': 'KAFKACQIN', 'active': True}]},
                    KAFKA, new_children=NEW_INSTANCES)
    new = {'instancename': 'acme', 'crontaskparam': [{'parameter': 'TOPIC', 'value': 'x'}]}
    assert plan_object({'crontaskname': 'Kafka'}, {'crontaskinstance': [new]}, KAFKA,
                       new_children=NEW_INSTANCES).outcome == 'updated'
    with pytest.raises(ManagePlanError, match='needs key'):
        plan_object({'crontaskname': 'Kafka'}, {'crontaskinstance': [new]}, KAFKA, new_children={'crontaskinstance': {}})


def test_record_actions_share_one_shape_and_refuse_attributes_they_do_not_declare():
    from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_config import (
        PropertyAction, ScriptAction)
    from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_plan import ObjectAction
    unchanged = ObjectAction('unchanged', href='h')
    assert not unchanged.changed and unchanged.href == 'h' and unchanged.create is None and unchanged.delete is False
    assert ScriptAction('created', name='S', create={'source': 'x'}).changed
    prop = PropertyAction('updated', name='mxe.x', patch={'p': 1})
    assert prop.changed and prop.secret is False and prop.diff() == {'before': {'mxe.x': None}, 'after': {'mxe.x': None}}
    with pytest.raises(TypeError, match='ObjectAction has no attribute held'):
        ObjectAction('created', held={})
