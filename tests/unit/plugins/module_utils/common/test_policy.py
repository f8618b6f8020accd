# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import Environment
from ansible_collections.mas.dedicated.plugins.module_utils.common.policy import (
    ALLOWED, REFUSED, REPLICA_ONLY, RULES, PolicyError, guard, verdict)

PROD = Environment(instance='acme', name='prod', production=True)
DEV = Environment(instance='acme', name='dev', production=False)

# The support guide's table, row by row: (operation, non-production, production).
GUIDE = [
    ('integrity_check_report', ALLOWED, REFUSED),
    ('integrity_check_repair', ALLOWED, REFUSED),
    ('tools_log', ALLOWED, REFUSED),
    ('manage_stop', ALLOWED, REFUSED),
    ('manage_start', ALLOWED, REFUSED),
    ('manage_restart', ALLOWED, REFUSED),
    ('log_upload', ALLOWED, ALLOWED),
    # Users are added in MAS by the customer in every environment (user synchronisation page).
    ('user_read', ALLOWED, ALLOWED),
    ('user_write', ALLOWED, ALLOWED),
    ('group_membership', ALLOWED, ALLOWED),
    # Kafka endpoints and cron task instances are configured by the customer (support guide).
    ('manage_read', ALLOWED, ALLOWED),
    ('manage_configuration', ALLOWED, ALLOWED),
    # Data changes go through automation scripts; the guide does not forbid them (or properties) in production.
    ('manage_config_write', ALLOWED, ALLOWED),
    # 'All integrations are done through API Keys'; keys and logger levels are not forbidden in production.
    ('manage_api_key_write', ALLOWED, ALLOWED),
    ('manage_log_level_write', ALLOWED, ALLOWED),
    # 'Migration Manager should be used for migrating changes from one environment to another' (support guide)
    ('migration_package', ALLOWED, ALLOWED),
    ('migration_admin_mode', ALLOWED, ALLOWED),
    ('db_read', ALLOWED, REPLICA_ONLY),
    ('db_write', ALLOWED, REFUSED),
    ('db_trigger', REFUSED, REFUSED),
    ('db_procedure', REFUSED, REFUSED),
    ('db_explain', REFUSED, REFUSED),
    ('db_ddl', REFUSED, REFUSED),
    ('dbc_script', REFUSED, REFUSED),
    ('sql_script_request', REFUSED, ALLOWED),
]


@pytest.mark.parametrize('operation,non_production,production', GUIDE)
def test_matrix_matches_the_support_guide(operation, non_production, production):
    assert verdict(operation, False) == non_production
    assert verdict(operation, True) == production


def test_every_rule_is_covered_by_the_guide_table():
    assert set(RULES) - set(op for op, dummy, dummy2 in GUIDE) == {'manage_status'}


def test_tools_api_refused_in_production_says_why_and_what_instead():
    with pytest.raises(PolicyError) as err:
        guard('integrity_check_report', PROD)
    text = str(err.value)
    assert text.startswith('Refused before sending anything')
    assert "environment 'prod' (production)" in text
    assert 'only available in non-production' in text
    assert 'Self Service Portal' in text


def test_tools_api_allowed_in_non_production():
    assert guard('manage_stop', DEV) == ALLOWED


def test_production_read_needs_the_replica():
    with pytest.raises(PolicyError, match='read replica'):
        guard('db_read', PROD)
    assert guard('db_read', PROD, replica=True) == REPLICA_ONLY


def test_replica_flag_does_not_unlock_writes():
    with pytest.raises(PolicyError):
        guard('db_write', PROD, replica=True)


def test_unknown_operation_is_a_programming_error():
    with pytest.raises(ValueError, match='unknown operation'):
        guard('drop_everything', DEV)


# Every operation's refusal names that operation and the environment by its name.
LABELS = {
    'integrity_check_report': 'running the integrity checker report',
    'integrity_check_repair': 'running the integrity checker repair',
    'tools_log': 'reading the Tools API logs',
    'manage_stop': 'stopping the Manage pods',
    'manage_start': 'starting the Manage pods',
    'manage_restart': 'restarting the Manage pods',
    'db_read': 'direct database read',
    'db_write': 'direct database write',
    'db_trigger': 'creating or updating triggers',
    'db_procedure': 'creating or updating procedures',
    'db_explain': 'running an explain plan',
    'db_ddl': 'creating or updating tables, columns, indexes or sequences',
    'dbc_script': 'running DBC scripts',
    'sql_script_request': 'a SQL script run by IBM SRE',
}


def test_every_refusable_operation_has_its_own_message():
    refusable = set(op for op, non_production, production in GUIDE if REFUSED in (non_production, production)
                    or REPLICA_ONLY in (non_production, production))
    assert refusable == set(LABELS)


@pytest.mark.parametrize('operation', sorted(LABELS))
def test_each_refusal_names_its_operation_and_the_environment(operation):
    production = verdict(operation, True) != ALLOWED
    environment = Environment(instance='acme', name='prod' if production else 'dev', production=production)
    with pytest.raises(PolicyError) as err:
        guard(operation, environment)
    text = str(err.value)
    assert '%s is not allowed in ' % LABELS[operation] in text
    assert "environment '%s' (%s)" % (environment.name, environment.kind) in text
    assert 'acme' not in text
    others = [label for op, label in LABELS.items() if op != operation and label not in LABELS[operation]]
    assert not [label for label in others if label in text]


def test_without_an_environment_name_the_message_says_it_names_the_instance():
    with pytest.raises(PolicyError) as err:
        guard('manage_start', Environment(instance='acme', production=True))
    text = str(err.value)
    assert "environment 'acme'" not in text
    assert "instance 'acme' (production; no environment name given: set 'environment'" in text
