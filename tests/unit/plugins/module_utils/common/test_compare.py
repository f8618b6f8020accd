# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""contains: the no-write test of the plans (users, groups, Manage records)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.compare import contains


def test_a_held_dict_may_hold_more_keys_than_wanted():
    assert contains({'a': 1}, {'a': 1, 'b': 2})
    assert not contains({'a': 1, 'c': 3}, {'a': 1, 'b': 2})
    assert not contains({'a': 1}, None) and not contains({'a': 1}, [1])


def test_lists_match_in_length_and_order_each_item_by_contains():
    assert contains([{'v': 1}, {'v': 2}], [{'v': 1, 'x': 0}, {'v': 2}])
    assert not contains([{'v': 1}, {'v': 2}], [{'v': 2}, {'v': 1}])
    assert not contains([1], [1, 2]) and not contains([1], {'0': 1})


def test_scalars_compare_equal_with_their_type():
    assert contains('A', 'A') and not contains('A', 'a')
    assert not contains(1, '1') and contains(None, None)
