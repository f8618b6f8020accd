# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.mas.dedicated.plugins.filter.users import FilterModule

FILTERS = FilterModule().filters()


def test_violations_of_a_list_of_users():
    users = [{'username': 'ok'}, {'username': 'bad', 'familyName': 'x' * 31}]
    found = FILTERS['user_violations'](users)
    assert [(v['user'], v['field'], v['manage']) for v in found] == [('bad', 'familyName', 'PERSON.LASTNAME')]


def test_one_user_and_bad_input():
    assert FILTERS['user_violations']({'username': 'u'}) == []
    with pytest.raises(AnsibleFilterError, match='expected a MAS user'):
        FILTERS['user_violations']('jdoe')
    with pytest.raises(AnsibleFilterError):
        FILTERS['manage_user'](['x'])


def test_manage_user_preview():
    assert FILTERS['manage_user']({'username': 'jdoe'})['MAXUSER']['USERID'] == 'JDOE'
