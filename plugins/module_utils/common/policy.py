# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: the access rules of the MAS Dedicated support guide as data, and the guard that applies them.

Every module calls ``guard(operation, environment)`` before it builds a client, so a refused
operation never sends a request.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError

ALLOWED = 'allowed'
REFUSED = 'refused'
REPLICA_ONLY = 'replica_only'

_SSP = 'the Self Service Portal (SSP) or a support case'
_DB_CONFIG_APP = 'the Maximo Database Configuration application (UI), and Migration Manager to move changes'


class Rule:
    """What one operation may do in non-production and production, why, and what to use instead."""

    def __init__(self, label, non_production, production, reason, instead):
        self.label = label
        self.non_production = non_production
        self.production = production
        self.reason = reason
        self.instead = instead

    def verdict(self, production):
        return self.production if production else self.non_production


_TOOLS = dict(
    non_production=ALLOWED, production=REFUSED,
    reason='the Tools API is only available in non-production environments',
    instead=_SSP)

# The table "Summary of MAS-Dedicated Database Access Rules" and the Tools API note of the support guide.
RULES = {
    'integrity_check_report': Rule('running the integrity checker report', **_TOOLS),
    'integrity_check_repair': Rule('running the integrity checker repair', **_TOOLS),
    'tools_log': Rule('reading the Tools API logs', **_TOOLS),
    'manage_stop': Rule('stopping the Manage pods', **_TOOLS),
    'manage_start': Rule('starting the Manage pods', **_TOOLS),
    'manage_restart': Rule('restarting the Manage pods', **_TOOLS),
    'manage_status': Rule('probing the Manage server', ALLOWED, ALLOWED, '', ''),
    'log_upload': Rule('server log upload (submitUploadLogRequest)', ALLOWED, ALLOWED, '', ''),
    # Users and security groups are the customer's to manage in every environment.
    'user_read': Rule('reading MAS users', ALLOWED, ALLOWED, '', ''),
    'user_write': Rule('creating, updating or deactivating MAS users', ALLOWED, ALLOWED, '', ''),
    'group_membership': Rule('changing Manage security group members', ALLOWED, ALLOWED, '', ''),
    # Integration set-up (endpoints, message providers, cron task instances) is left to the customer [doc].
    'manage_read': Rule('reading Manage object structures', ALLOWED, ALLOWED, '', ''),
    'manage_configuration': Rule('changing Manage object-structure records', ALLOWED, ALLOWED, '', ''),
    # The guide asks for data changes through automation scripts (not SQL) and for Migration Manager to move changes
    # between environments; it does not forbid writing scripts or properties in production, so this is allowed there.
    'manage_config_write': Rule('changing Manage automation scripts or system properties', ALLOWED, ALLOWED, '', ''),
    # 'All integrations are done through API Keys' (support guide, Integration); nothing there forbids customers
    # managing their integration users' keys or logger levels, so both are allowed in production.
    'manage_api_key_write': Rule('creating, rotating or deleting Manage API keys', ALLOWED, ALLOWED, '', ''),
    'manage_log_level_write': Rule('changing Manage logger levels', ALLOWED, ALLOWED, '', ''),
    # 'Migration Manager should be used for migrating changes from one environment to another (for example from DEV
    # to TEST)' (support guide): packages are created, distributed and deployed in every environment; what production
    # receives is the promote role's rule. Admin mode logs users out, so the module turns it on only when told to
    # (admin_mode, default false) and the role only with promote_mm_admin_mode, never by default.
    'migration_package': Rule('creating, distributing, moving or deploying Migration Manager packages',
                              ALLOWED, ALLOWED, '', ''),
    'migration_admin_mode': Rule('turning Manage admin mode on for a Migration Manager deployment', ALLOWED, ALLOWED,
                                 '', ''),
    'db_read': Rule(
        'direct database read', ALLOWED, REPLICA_ONLY,
        'direct access to the production database is not allowed; production data is read from an ordered read replica',
        'an ordered read replica and its read-only user'),
    'db_write': Rule(
        'direct database write', ALLOWED, REFUSED,
        'direct write access to production is not allowed',
        'the Maximo front end, automation scripts, or a SQL script request through a support case'),
    'db_trigger': Rule('creating or updating triggers', REFUSED, REFUSED, 'triggers may not be created or changed', _SSP),
    'db_procedure': Rule('creating or updating procedures', REFUSED, REFUSED, 'procedures may not be created or changed', _SSP),
    'db_explain': Rule('running an explain plan', REFUSED, REFUSED, 'explain plans may not be run', _SSP),
    'db_ddl': Rule('creating or updating tables, columns, indexes or sequences', REFUSED, REFUSED,
                   'schema changes are made through Maximo, not directly', _DB_CONFIG_APP),
    'dbc_script': Rule('running DBC scripts', REFUSED, REFUSED, 'DBC scripts are not allowed in any environment', _DB_CONFIG_APP),
    'sql_script_request': Rule(
        'a SQL script run by IBM SRE', REFUSED, ALLOWED,
        'IBM SRE does not run SQL scripts in non-production environments (write access there is direct)',
        'direct write access in non-production (test the script there yourself), and a support case for production runs'),
}


class PolicyError(RefusedError):
    """An operation the support guide forbids for this environment. Raised before any request."""

    def __init__(self, operation, environment_label, rule):
        self.operation = operation
        self.rule = rule
        message = "Refused before sending anything: %s is not allowed in %s: %s." % (
            rule.label, environment_label, rule.reason)
        if rule.instead:
            message += " Use %s instead." % rule.instead
        super(PolicyError, self).__init__(message)

    def result(self):
        return {'refused': True, 'operation': self.operation}


def rule_for(operation):
    try:
        return RULES[operation]
    except KeyError:
        raise ValueError("unknown operation '%s' (known: %s)" % (operation, ', '.join(sorted(RULES))))


def verdict(operation, production):
    """ALLOWED, REFUSED or REPLICA_ONLY for an operation in a production or non-production environment."""
    return rule_for(operation).verdict(bool(production))


def guard(operation, environment, replica=False):
    """Raise PolicyError unless ``operation`` is allowed in ``environment`` (an Environment).

    ``replica`` says the target is an ordered read replica, which makes REPLICA_ONLY operations allowed.
    """
    rule = rule_for(operation)
    outcome = rule.verdict(environment.production)
    if outcome == ALLOWED or (outcome == REPLICA_ONLY and replica):
        return outcome
    raise PolicyError(operation, environment.describe(), rule)
