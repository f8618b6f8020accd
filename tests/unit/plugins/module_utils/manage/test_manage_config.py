# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_config import (
    MASK, ConfigPlanError, check_property, check_script, plan_property, plan_script, sha256_text, wanted_script)

SOURCE = "mbo.setValue('DESCRIPTION', mbo.getString('DESCRIPTION').upper())\n"
SPEC = {'name': 'acme_desc', 'source_file': 'x.py', 'language': 'jython', 'log_level': 'ERROR',
        'variables': [{'name': 'desc', 'type': 'INOUT', 'binding_type': 'ATTRIBUTE', 'binding_value': 'DESCRIPTION'}],
        'launch_points': [{'name': 'acme_desc', 'type': 'ATTRIBUTE', 'object': 'asset', 'attribute': 'description',
                           'active': True, 'bindings': {'desc': 'DESCRIPTION'}}]}


def held_from(wanted):
    record = dict(wanted, href='http://m/maximo/api/os/mxapiautoscript/_QQ', autoscriptid=7, _rowstamp='1')
    record['scriptlaunchpoint'] = [dict(p, objectevent=0) for p in wanted['scriptlaunchpoint']]
    return record


def test_wanted_record_is_lean_json_upper_cased_names_and_the_source_unchanged():
    record = wanted_script(SPEC, SOURCE)
    assert record['autoscript'] == 'ACME_DESC'
    assert record['source'] == SOURCE
    assert record['loglevel'] == 'ERROR'
    assert record['autoscriptvars'] == [{'varname': 'DESC', 'vartype': 'INOUT', 'varbindingtype': 'ATTRIBUTE',
                                         'varbindingvalue': 'DESCRIPTION'}]
    point = record['scriptlaunchpoint'][0]
    assert (point['launchpointname'], point['objectname'], point['attributename']) == ('ACME_DESC', 'ASSET', 'DESCRIPTION')
    assert point['launchpointvars'] == [{'varname': 'DESC', 'varbindingvalue': 'DESCRIPTION'}]


def test_new_script_is_created_and_its_diff_is_the_whole_text():
    action = plan_script(wanted_script(SPEC, SOURCE), None)
    assert action.outcome == 'created'
    assert '+mbo.setValue' in action.source_diff('x.py')
    assert action.diff('x.py')['after'].startswith(SOURCE)


def test_equal_script_is_unchanged_even_with_attributes_manage_adds():
    wanted = wanted_script(SPEC, SOURCE)
    action = plan_script(wanted, held_from(wanted))
    assert action.outcome == 'unchanged'
    assert action.source_diff() == ''


def test_changed_source_patches_only_the_source_and_diffs_it_line_by_line():
    wanted = wanted_script(SPEC, SOURCE)
    held = held_from(wanted)
    held['source'] = "mbo.setValue('DESCRIPTION', 'x')\n"
    action = plan_script(wanted, held)
    assert action.outcome == 'updated'
    assert action.patch == {'source': SOURCE}
    diff = action.source_diff('x.py')
    assert "-mbo.setValue('DESCRIPTION', 'x')" in diff and '+++ x.py' in diff


def test_whitespace_in_the_source_is_a_difference():
    wanted = wanted_script(SPEC, SOURCE)
    held = held_from(wanted)
    held['source'] = SOURCE.rstrip('\n')
    assert plan_script(wanted, held).patch == {'source': SOURCE}


def test_a_changed_launch_point_is_patched_and_other_attributes_are_not():
    wanted = wanted_script(SPEC, SOURCE)
    held = held_from(wanted)
    held['scriptlaunchpoint'][0]['active'] = False
    action = plan_script(wanted, held)
    assert action.changed_attributes == ['scriptlaunchpoint']


def test_absent_deletes_a_held_script_and_leaves_a_missing_one():
    wanted = wanted_script(SPEC, SOURCE)
    assert plan_script({'autoscript': 'ACME_DESC'}, held_from(wanted), 'absent').delete
    assert plan_script({'autoscript': 'ACME_DESC'}, None, 'absent').outcome == 'unchanged'


def test_sha256_is_of_the_utf8_text():
    assert sha256_text(SOURCE) == hashlib.sha256(SOURCE.encode('utf-8')).hexdigest()


def test_checks_refuse_bad_input():
    assert check_script(SPEC) == []
    assert 'language groovy' in ' '.join(check_script(dict(SPEC, language='groovy')))
    no_object = dict(SPEC, launch_points=[{'name': 'LP', 'type': 'OBJECT'}])
    assert 'must name its object' in ' '.join(check_script(no_object))
    action_lp = dict(SPEC, launch_points=[{'name': 'LP', 'type': 'ACTION', 'object': 'ASSET'}])
    assert 'must name its action' in ' '.join(check_script(action_lp))
    assert 'newlines' in ' '.join(check_script(dict(SPEC, name='A\nB')))
    twice = dict(SPEC, launch_points=[{'name': 'lp', 'type': 'ACTION', 'action': 'A'},
                                      {'name': 'LP', 'type': 'ACTION', 'action': 'A'}])
    assert 'more than once' in ' '.join(check_script(twice))
    assert 'type must be one of' in ' '.join(check_script(dict(SPEC, launch_points=[{'name': 'LP', 'type': 'CRON'}])))
    assert check_script({'name': 'OLD', 'state': 'absent'}) == []
    assert 'source_file is required' in ' '.join(check_script({'name': 'X', 'language': 'jython'}))


# ---- system properties --------------------------------------------------------------------------------------------


def prop(value='a', live=True, encrypted=False):
    row = {'servername': 'COMMON'}
    if value is not None:
        row['propvalue'] = value
    return {'propname': 'mxe.x', 'href': 'http://m/os/mxapiproperty/_x', 'liverefresh': live, 'encrypted': encrypted,
            'maxpropvalue': [row]}


def test_equal_value_is_unchanged_and_a_different_one_patched_with_its_refresh():
    assert plan_property({'name': 'mxe.x', 'value': 'a', 'live_refresh': True}, prop()).outcome == 'unchanged'
    action = plan_property({'name': 'mxe.x', 'value': 'b', 'live_refresh': True}, prop())
    assert action.patch == {'maxpropvalue': [{'servername': 'COMMON', 'propvalue': 'b'}]}
    assert action.live_refresh and not action.refresh_refused
    assert action.diff() == {'before': {'mxe.x': 'a'}, 'after': {'mxe.x': 'b'}}


def test_a_property_that_does_not_allow_live_refresh_is_written_not_refreshed():
    action = plan_property({'name': 'mxe.x', 'value': 'b', 'live_refresh': True}, prop(live=False))
    assert action.changed and not action.live_refresh and action.refresh_refused


def test_a_missing_property_is_refused():
    with pytest.raises(ConfigPlanError, match='does not exist'):
        plan_property({'name': 'mxe.x', 'value': 'b'}, None)


def test_secrets_are_never_compared_and_written_only_when_asked():
    encrypted = prop(value=None, encrypted=True)
    with pytest.raises(ConfigPlanError, match='secret_value'):
        plan_property({'name': 'mxe.x', 'value': 's3cret'}, encrypted)
    assert plan_property({'name': 'mxe.x', 'secret_value': 's3cret'}, encrypted).outcome == 'unchanged'
    action = plan_property({'name': 'mxe.x', 'secret_value': 's3cret'}, encrypted, always_send_secrets=True)
    assert action.changed and action.secret
    assert 's3cret' not in repr(action.diff()) and MASK in repr(action.diff())


def test_property_checks():
    assert check_property({'name': 'mxe.x', 'value': 'a'}) == []
    assert 'not both' in ' '.join(check_property({'name': 'mxe.x', 'value': 'a', 'secret_value': 'b'}))
    assert 'required' in ' '.join(check_property({'name': 'mxe.x'}))
    assert 'one line' in ' '.join(check_property({'name': 'mxe.x', 'value': 'a\nb'}))
    assert 'without spaces' in ' '.join(check_property({'name': 'mxe x', 'value': 'a'}))
