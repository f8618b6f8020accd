# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The batched onboarding plan: remotes per bucket, one case request per instance and case, Kafka records."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.db2.db2_cli_config import check_alias
from ansible_collections.mas.dedicated.plugins.plugin_utils.onboard_plan import (
    DSN_LENGTH, OnboardPlanError, case_requests, db2_dsn, kafka_objects, play_problems, rclone_remotes)

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


# ---- DB2 data source names and the checks of the shared inputs --------------------------------------------------

def test_default_dsn_keeps_short_names_as_they_are():
    assert db2_dsn('acme', 'dev') == 'ACMEDEV'
    assert db2_dsn('acme', 'prod') == 'ACMEPROD'
    assert db2_dsn('acme', 'test') == 'ACMETEST'


@pytest.mark.parametrize('environments', [
    ['test1', 'test2'], ['train', 'training'], ['test-1', 'test1', 'test_1'], ['prod', 'prod2', 'production'],
    ['dev', 'dev-a', 'dev-b', 'devel', 'development'],
])
def test_default_dsn_is_unique_per_environment_where_truncation_collided(environments):
    names = [db2_dsn('acme', environment) for environment in environments]
    assert len(set(names)) == len(names), names
    for name in names:
        assert len(name) <= DSN_LENGTH and check_alias(name) == name
    # Deterministic: the same environment always gets the same name.
    assert names == [db2_dsn('acme', environment) for environment in environments]


def test_default_dsn_is_a_valid_alias_for_awkward_names():
    for instance, environment in (('1acme', 'dev'), ('a', 'b-c'), ('acme-corp-international', 'pre-production'),
                                  ('x', '9'), ('42', '42')):
        name = db2_dsn(instance, environment)
        assert len(name) <= DSN_LENGTH and check_alias(name) == name, (instance, environment, name)


def test_default_dsn_is_unique_over_many_environments():
    names = [db2_dsn('acme', 'test%d' % n) for n in range(200)]
    assert len(set(names)) == 200


def play(*environments, **changes):
    needs = []
    for environment in environments:
        needs.append({'instance': 'acme', 'environment': environment, 'production': environment == 'prod',
                      'remotes': [{'name': 'acme-%s-custfile' % environment}],
                      'data_source': {'dsn': db2_dsn('acme', environment), 'hostname': '%s.db' % environment,
                                      'production': environment == 'prod', 'replica': environment == 'prod'},
                      'cases': []})
    for index, change in changes.items():
        needs[int(index[1:])]['data_source'].update(change)
    return needs


def test_a_play_of_distinct_environments_has_no_problem():
    assert play_problems(play('dev', 'test1', 'test2', 'train', 'training', 'prod')) == []


def test_one_dsn_for_two_environments_is_refused_naming_both():
    needs = play('dev', 'test1', 'test2', e2={'dsn': 'acmetest'}, e1={'dsn': 'ACMETEST'})
    problems = play_problems(needs)
    assert problems == ['DB2 data source name (DSN) acmetest would be the data source of both acme/test1 and '
                        'acme/test2: give one of them its own onboard_db2_dsn (a host variable, at most 8 characters)']


def test_the_old_truncating_default_would_have_been_refused():
    old = dict((environment, (('acme'[:4] + environment[:4]).upper())) for environment in ('train', 'training'))
    needs = play('train', 'training', e0={'dsn': old['train']}, e1={'dsn': old['training']})
    assert 'both acme/train and acme/training' in play_problems(needs)[0]


def test_a_production_data_source_on_the_primary_is_a_problem():
    problems = play_problems(play('dev', 'prod', e1={'replica': False}))
    assert problems == ['acme/prod is production and its database prod.db is not declared the ordered read replica '
                        '(db.replica: true in the inventory): production data is read only through the replica']
    assert play_problems(play('dev', e0={'production': None}))  # unknown counts as production


def test_one_remote_name_for_two_environments_is_refused():
    needs = play('a-b', 'b')
    needs[1]['instance'] = 'acme-a'
    needs[1]['remotes'] = [{'name': 'acme-a-b-custfile'}]
    assert ['rclone remote acme-a-b-custfile would be the remote of both acme/a-b and acme-a/b: rename one '
            'environment or instance'] == play_problems(needs)


def test_case_conflicts_are_reported_with_the_others():
    needs = play('dev', 'test', e1={'dsn': 'ACMEDEV'})
    needs[0]['cases'] = [SAML]
    needs[1]['cases'] = [{'kind': 'saml_sso', 'details': {'name_id_format': 'persistent'}}]
    problems = play_problems(needs)
    assert len(problems) == 2 and "case 'saml_sso' of instance acme differs" in problems[1]
