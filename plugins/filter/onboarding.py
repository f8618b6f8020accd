# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that batch the onboarding of a play's environments (see module_utils/onboard_plan.py)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.mas.dedicated.plugins.plugin_utils import onboard_plan


def rclone_remotes_filter(buckets, instance, environment, access_key_ids=None, secret_access_keys=None, region=None,
                          endpoint=None):
    try:
        return onboard_plan.rclone_remotes(buckets, instance, environment, access_key_ids, secret_access_keys,
                                           region, endpoint)
    except onboard_plan.OnboardPlanError as exc:
        raise AnsibleFilterError(str(exc))


def case_requests_filter(needs):
    if not isinstance(needs, list):
        raise AnsibleFilterError('case_requests expects a list of environments\' needs')
    try:
        return onboard_plan.case_requests(needs)
    except onboard_plan.OnboardPlanError as exc:
        raise AnsibleFilterError(str(exc))


def kafka_objects_filter(endpoints, passwords=None, crontask=None, cron_instances=None):
    try:
        return onboard_plan.kafka_objects(endpoints, passwords, crontask, cron_instances)
    except onboard_plan.OnboardPlanError as exc:
        raise AnsibleFilterError(str(exc))


def db2_dsn_filter(instance, environment):
    return onboard_plan.db2_dsn(instance, environment)


def onboard_problems_filter(needs):
    if not isinstance(needs, list):
        raise AnsibleFilterError('onboard_problems expects a list of environments\' needs')
    return onboard_plan.play_problems(needs)


class FilterModule(object):

    def filters(self):
        return {'rclone_remotes': rclone_remotes_filter, 'case_requests': case_requests_filter,
                'kafka_objects': kafka_objects_filter, 'db2_dsn': db2_dsn_filter,
                'onboard_problems': onboard_problems_filter}
