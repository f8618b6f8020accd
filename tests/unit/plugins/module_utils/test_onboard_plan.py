# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batched onboarding plan: remotes per bucket, one case request per instance and case, Kafka records."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.onboard_plan import (
    OnboardPlanError, case_requests, kafka_objects, rclone_remotes)

BUCKETS = {'custfile': {'name': 'acme-dev-cust'}, 'logs': {'name': 'acme-dev-logs', 'read_only': True}}


def test_remotes_follow_the_buckets_and_leave_out_empty_keys():
    remotes = rclone_remotes(BUCKETS, 'acme', 'dev', ['AK1', ''], ['S1', ''], 'us-east', None)
    assert remotes == [
        {'name': 'acme-dev-custfile', 'bucket': 'acme-dev-cust', 'region': 'us-east', 'access_key_id': 'AK1',
         'secret_access_key': 'S1'},
        {'name': 'acme-dev-logs', 'bucket': 'acme-dev-logs', 'region': 'us-east'}]
    assert rclone_remotes({}, 'acme', 'dev') == []
    with pytest.raises(OnboardPlanError, match='one access key id'):
        rclone_remotes(BUCKETS, 'acme', 'dev', ['AK1'], ['S1', 'S2'])
    with pytest.raises(OnboardPlanError, match='bucket logs of acme-dev has no name'):
        rclone_remotes({'logs': {}}, 'acme', 'dev')


def need(environment, production, cases, instance='acme'):
    return {'instance': instance, 'environment': environment, 'production': production, 'cases': cases}


SAML = {'kind': 'saml_sso', 'details': {'name_id_format': 'email'}}


def test_one_request_per_instance_and_case_covering_every_environment_that_asks():
    vpn = {'name': 'vpn', 'kind': 'vpn', 'details': {'peer': '203.0.113.9'}, 'environments': ['dev', 'prod']}
    requests = case_requests([need('dev', False, [SAML, vpn]), need('test', False, [SAML, vpn]),
                              need('prod', True, [vpn]), need('dev', False, [SAML], instance='other')])
    assert [(r['instance'], r['name'], r['environments'], r['production']) for r in requests] == [
        ('acme', 'saml_sso', ['dev', 'test'], False),
        ('acme', 'vpn', ['dev', 'prod'], True),
        ('other', 'saml_sso', ['dev'], False)]
    assert requests[0]['details'] == {'name_id_format': 'email'} and requests[0]['severity'] is None


def test_explicit_environments_of_every_asker_are_covered():
    db = {'name': 'db', 'kind': 'db_access', 'details': {'access': 'read'}}
    requests = case_requests([need('dev', False, [dict(db, environments=['dev'])]),
                              need('prod', True, [dict(db, environments=['prod'])])])
    assert [(r['environments'], r['production']) for r in requests] == [(['dev', 'prod'], True)]


def test_production_unknown_when_a_named_environment_is_not_in_the_play():
    requests = case_requests([need('dev', False, [dict(SAML, environments=['dev', 'elsewhere'])])])
    assert requests[0]['production'] is None
    assert case_requests([need('prod', True, [dict(SAML, environments=['elsewhere', 'prod'])])])[0]['production']


def test_the_same_name_with_different_content_is_refused():
    other = {'kind': 'saml_sso', 'details': {'name_id_format': 'persistent'}}
    with pytest.raises(OnboardPlanError, match="case 'saml_sso' of instance acme differs between environments dev and test"):
        case_requests([need('dev', False, [SAML]), need('test', False, [other])])
    assert len(case_requests([need('dev', False, [SAML]), need('test', False, [dict(other, name='saml2')])])) == 2
    with pytest.raises(OnboardPlanError, match='needs a kind'):
        case_requests([need('dev', False, [{'details': {}}])])


def test_kafka_records_endpoint_with_its_password_then_the_cron_task():
    objects = kafka_objects([{'name': 'KAFKA_DEV', 'topic': 't', 'bootstrap_servers': 'b:9093', 'password_var': 'pw'},
                             {'name': 'KAFKA_NOPW', 'topic': 't2', 'bootstrap_servers': 'b:9093', 'username': 'u'}],
                            {'pw': 'secret'}, 'Kafka', [{'instancename': 'kafkacqin', 'active': True}])
    assert [(o['object_structure'], o['key']) for o in objects] == [
        ('mxapiendpoint', {'endpointname': 'KAFKA_DEV'}), ('mxapiendpoint', {'endpointname': 'KAFKA_NOPW'}),
        ('mxapicrontaskdef', {'crontaskname': 'Kafka'})]
    # The password is the handler's PASSWORD property (a maxendpointdtl row), never a top-level attribute.
    assert objects[0]['secret_attributes'] == {'maxendpointdtl': [{'property': 'PASSWORD', 'value': 'secret'}]}
    assert 'password' not in objects[0]['attributes'] and 'secret_attributes' not in objects[1]
    assert {'property': 'USERNAME', 'value': 'u'} in objects[1]['attributes']['maxendpointdtl']
    # An instance without its topic only activates one that exists: the definition is never created.
    assert objects[2]['attributes'] == {'crontaskinstance': [{'instancename': 'kafkacqin', 'active': True}]}
    assert objects[2]['must_exist'] is True
    assert objects[2]['new_children'] == {'crontaskinstance': {'key': ['instancename'], 'require': ['crontaskparam']}}
    assert kafka_objects([], {}, 'Kafka', []) == []
    with pytest.raises(OnboardPlanError, match='KAFKA_X needs topic'):
        kafka_objects([{'name': 'KAFKA_X', 'bootstrap_servers': 'b'}])


def test_the_role_names_the_kafka_cron_task_as_ibm_does():
    defaults = open(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'onboard', 'defaults',
                                 'main.yml'), encoding='utf-8').read()
    assert '\nonboard_kafka_crontask: Kafka\n' in defaults


def test_a_new_cron_instance_carries_the_parameters_ibm_writes():
    rows = kafka_objects([], {}, 'Kafka', [
        {'instancename': 'acmecqin', 'topic': 'cqin', 'direction': 'inbound', 'active': True},
        {'instancename': 'acmesqout', 'topic': 'sqout', 'direction': 'outbound', 'message_hub': 'ES',
         'partition': 2},
        {'instancename': 'acmenote', 'topic': 'n', 'message_processor': 'my.Processor'},
    ])[0]['attributes']['crontaskinstance']
    params = [dict((p['parameter'], p['value']) for p in row['crontaskparam']) for row in rows]
    assert params[0] == {'TOPIC': 'cqin', 'MESSAGEHUB': 'KAFKA', 'MESSAGEPROCESSOR': 'psdi.iface.jms.QueueToMaximoProcessor'}
    assert params[1] == {'TOPIC': 'sqout', 'MESSAGEHUB': 'ES', 'PARTITION': '2',
                         'MESSAGEPROCESSOR': 'psdi.iface.jms.QueueToDestManagerProcessor'}
    assert params[2]['MESSAGEPROCESSOR'] == 'my.Processor'
    assert rows[0]['active'] is True and 'topic' not in rows[0]


@pytest.mark.parametrize('instance, message', [
    ({'instancename': 'x', 'topic': 't'}, 'needs direction'),
    ({'instancename': 'x', 'topic': 't', 'direction': 'sideways'}, 'needs direction'),
    ({'instancename': 'x', 'direction': 'inbound'}, 'given without topic'),
    ({'instancename': 'x', 'topc': 't'}, 'unknown field'),
    ({'active': True}, 'needs an instancename'),
])
def test_cron_instances_that_would_be_written_wrong_are_refused(instance, message):
    with pytest.raises(OnboardPlanError, match=message):
        kafka_objects([], {}, 'Kafka', [instance])
    with pytest.raises(OnboardPlanError, match='more than once: a'):
        kafka_objects([], {}, 'Kafka', [{'instancename': 'a'}, {'instancename': 'a'}])
