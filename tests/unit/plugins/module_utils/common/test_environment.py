# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import Environment, EnvironmentConfigError


def test_routes_derived_from_instance_follow_the_support_guide():
    env = Environment(instance='Acme', name='dev', production=False)
    assert env.suite_url == 'https://main.home.acme.suite.maximo.com'
    assert env.tools_url == 'https://maxinst.manage.acme.suite.maximo.com/toolsapi'
    assert env.manage_url == 'https://main.manage.acme.suite.maximo.com'
    assert env.kind == 'non-production'


def test_workspace_changes_the_manage_host():
    assert Environment(instance='acme', workspace='ws1').manage_url == 'https://ws1.manage.acme.suite.maximo.com'


def test_overrides_win_and_are_normalized():
    env = Environment(tools_url='http://127.0.0.1:9/toolsapi/', manage_url=' http://127.0.0.1:9/ ')
    assert env.tools_url == 'http://127.0.0.1:9/toolsapi'
    assert env.manage_url == 'http://127.0.0.1:9'


@pytest.mark.parametrize('production', [None, True, 'yes'])
def test_anything_not_explicitly_false_is_production(production):
    assert Environment(instance='acme', production=production).production is True


def test_missing_instance_and_url_says_what_to_set():
    with pytest.raises(EnvironmentConfigError, match="set 'instance'.*'tools_url'"):
        Environment(production=False).tools_url  # pylint: disable=expression-not-assigned


@pytest.mark.parametrize('bad', ['acme corp', 'acme.prod', '-acme', 'ACME_1'])
def test_instance_must_be_one_dns_label(bad):
    with pytest.raises(EnvironmentConfigError, match='not a valid host name label'):
        Environment(instance=bad)


def test_relative_url_is_refused():
    with pytest.raises(EnvironmentConfigError, match='absolute http'):
        Environment(tools_url='maxinst.manage.acme/toolsapi')


def test_as_dict_never_raises_without_urls():
    assert Environment(name='x').as_dict()['tools_url'] is None
