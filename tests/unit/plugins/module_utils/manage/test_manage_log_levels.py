# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.manage.manage_log_levels import (
    LoggerPlanError, check_logger, plan_logger)

SQL = {'logkey': 'log4j.logger.maximo.sql', 'loglevel': 'ERROR', 'active': 'Y', 'href': 'h/sql'}


def test_only_what_differs_is_patched_and_previous_restores_it():
    action = plan_logger({'logger': 'log4j.logger.maximo.sql', 'level': 'debug', 'active': True}, SQL)
    assert action.patch == {'loglevel': 'DEBUG'}
    assert action.previous() == {'logger': 'log4j.logger.maximo.sql', 'level': 'ERROR', 'active': True}
    back = plan_logger(action.previous(), dict(SQL, loglevel='DEBUG'))
    assert back.patch == {'loglevel': 'ERROR'}


def test_same_level_is_no_change():
    assert not plan_logger({'logger': 'log4j.logger.maximo.sql', 'level': 'Error'}, SQL).changed


def test_activating_an_inactive_logger():
    action = plan_logger({'logger': 'k', 'active': True}, dict(SQL, active=False))
    assert action.patch == {'active': True} and action.after == {'level': 'ERROR', 'active': True}


def test_unknown_logger_is_an_error():
    with pytest.raises(LoggerPlanError, match='does not exist in Manage'):
        plan_logger({'logger': 'log4j.logger.maximo.nosuch', 'level': 'DEBUG'}, None)


def test_bad_items():
    assert check_logger({'logger': 'log4j.logger.maximo.sql', 'level': 'TRACE'}) == [
        'logger log4j.logger.maximo.sql: level TRACE is not one of DEBUG, INFO, WARN, ERROR, FATAL']
    assert check_logger({'logger': 'a\nb', 'level': 'DEBUG'})[0].startswith("logger 'a\\nb' must be")
    assert check_logger({'logger': 'x'}) == ['logger x: give a level, active, or both']
    assert check_logger({'logger': 'x', 'level': 'warn'}) == []
