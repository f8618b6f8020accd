# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ListOption: one item's options at the top level (with defaults) or as a list of items over them."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.batch import ListOption, items_over_top_level, repeated

SHARED_PRODUCTION = dict(type='bool', default=True, fallback=('env', ['MAS_PRODUCTION']))
THINGS = ListOption('things', dict(
    name=dict(type='str'),
    state=dict(type='str', choices=['present', 'absent']),
    size=dict(type='int'),
    production=dict(type='bool'),
), defaults=dict(state='present'), top_level=dict(production=SHARED_PRODUCTION), required=('name',))


def params(**given):
    found = dict(name=None, state='present', size=None, production=True, things=None)
    found.update(given)
    return found


def test_argument_spec_has_the_top_level_form_and_the_list_form():
    spec = THINGS.argument_spec()
    assert spec['state'] == dict(type='str', choices=['present', 'absent'], default='present')
    assert spec['production'] == SHARED_PRODUCTION and spec['size'] == dict(type='int')
    item = spec['things']
    assert item['type'] == 'list' and item['elements'] == 'dict'
    # Items take no defaults (a left-out option comes from the top level); their identity is required.
    assert item['options']['name'] == dict(type='str', required=True)
    assert item['options']['state'] == dict(type='str', choices=['present', 'absent'])
    assert item['options']['production'] == dict(type='bool')


def test_the_spec_of_the_options_is_not_changed():
    THINGS.argument_spec()
    assert THINGS.options['name'] == dict(type='str') and 'default' not in THINGS.options['state']


def test_items_take_what_they_leave_out_from_the_top_level():
    given = params(size=3, production=False, things=[dict(name='a', state=None, size=None, production=None),
                                                     dict(name='b', state='absent', size=5, production=True)])
    assert THINGS.given(given)
    assert THINGS.items(given) == [dict(name='a', state='present', size=3, production=False),
                                   dict(name='b', state='absent', size=5, production=True)]


def test_without_a_list_the_top_level_is_the_only_item():
    given = params(name='x', size=1)
    assert not THINGS.given(given) and not THINGS.given(params(things=[]))
    assert THINGS.items(given) == [dict(name='x', state='present', size=1, production=True)]
    assert THINGS.items(given) == items_over_top_level(given, 'things', THINGS.options)


def test_output_in_the_form_that_was_asked_for():
    results = [dict(name='a', changed=True, size=3), dict(name='b', changed=False, size=5)]
    listed = THINGS.output(params(things=[{}, {}]), {'changed': True}, results, identity=('name',))
    assert listed == {'changed': True, 'things': results}
    single = THINGS.output(params(name='a'), {'changed': True, 'path': 'p'}, results[:1], identity=('name',))
    assert single == {'changed': True, 'path': 'p', 'size': 3}


def test_repeated_names_each_repeat_once_in_order():
    assert repeated(['a', 'b', 'a', 'c', 'b', 'a']) == [2, 4, 5]
    assert repeated([('x', 1), ('x', 2), ('x', 1)]) == [2]
    assert repeated([]) == []


def test_an_item_spec_replaces_an_option_in_the_list_form_only():
    nested = dict(type='list', elements='dict', options=dict(key=dict(type='str', required=True)))
    listed = ListOption('things', dict(name=dict(type='str'), rows=nested), required=('name',),
                        item=dict(rows=dict(type='list', elements='dict'), name=dict(type='raw')))
    spec = listed.argument_spec()
    assert spec['rows'] == nested and spec['name'] == dict(type='str')
    assert spec['things']['options']['rows'] == dict(type='list', elements='dict')
    # the identity stays required whatever the item spec says
    assert spec['things']['options']['name'] == dict(type='raw', required=True)
    assert listed.item['name'] == dict(type='raw')
