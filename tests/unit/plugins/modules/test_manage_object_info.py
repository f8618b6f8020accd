# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""manage_object_info through main(): queries of the sandbox's Manage records, key matching, limits, JMESPath."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.modules import manage_object_info


def args(sandbox, **extra):
    result = {'instance': 'acme', 'production': True, 'api_key': sandbox.api_key, 'manage_url': sandbox.url,
              'object_structure': 'mxapicrontaskdef'}
    result.update(extra)
    return result


def test_where_and_key_are_exclusive(run_module, no_network):
    outcome = run_module(manage_object_info, {'instance': 'acme', 'api_key': 'k' * 20, 'object_structure': 'x',
                                              'where': 'a="b"', 'key': {'a': 'b'}})
    assert outcome.failed and 'mutually exclusive: where|key' in outcome.result['msg']


def test_a_bad_query_fails_before_any_request(run_module, no_network):
    pytest.importorskip('jmespath')
    outcome = run_module(manage_object_info, {'instance': 'acme', 'api_key': 'k' * 20, 'object_structure': 'x',
                                              'query': '[?'})
    assert outcome.failed and outcome.result['msg'].startswith('query is not a valid JMESPath expression')


def test_the_kafka_cron_task_is_found_by_its_key(run_module, sandbox):
    outcome = run_module(manage_object_info, args(sandbox, key={'crontaskname': 'Kafka'}))
    assert not outcome.failed and not outcome.result['changed']
    assert outcome.result['count'] == 1 and outcome.result['records'][0]['crontaskname'] == 'Kafka'
    assert not outcome.result['truncated'] and sandbox.sent('POST') == []


def test_the_key_matches_exactly(run_module, sandbox):
    outcome = run_module(manage_object_info, args(sandbox, key={'crontaskname': 'kafka'}))
    assert not outcome.failed and outcome.result['records'] == []


def test_max_records_truncates(run_module, sandbox):
    outcome = run_module(manage_object_info, args(sandbox, object_structure='mxapicrontaskdef', max_records=0))
    total = outcome.result['count']
    assert total >= 1
    cut = run_module(manage_object_info, args(sandbox, max_records=1, page_size=1))
    assert cut.result['count'] == 1 and cut.result['truncated'] is (total > 1)


def test_query_shapes_the_result(run_module, sandbox):
    pytest.importorskip('jmespath')
    outcome = run_module(manage_object_info, args(sandbox, key={'crontaskname': 'Kafka'},
                                                  query='[0].crontaskinstance[].instancename'))
    assert not outcome.failed and isinstance(outcome.result['result'], list) and outcome.result['result']


def test_an_unknown_object_structure_fails_clearly(run_module, sandbox):
    outcome = run_module(manage_object_info, args(sandbox, object_structure='mxnothing'))
    assert outcome.failed and 'GET /maximo/api/os/mxnothing failed: HTTP' in outcome.result['msg']
    assert sandbox.api_key not in repr(outcome.result)
