# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: what the onboarding of a play's environments writes once for all of them.

Each environment (inventory host) states what it needs; these functions turn that into the few calls that serve
every environment of the play at once: one list of rclone remotes, and one support-case request per instance and
case (a case covers every environment that asks for it). ``play_problems`` checks what the environments share
(names in the shared files) before anything is written, so a conflict stops the play with nothing half-applied.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import re

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError

CASE_FIELDS = ('kind', 'details', 'severity', 'title', 'contact')
# [doc: SQL1000N] a DB2 database alias has 1 to 8 characters. db2dsdriver.cfg takes longer DSN aliases for the CLI
# driver, but the CLP and embedded SQL do not, so the default stays within 8.
DSN_LENGTH = 8
_BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'


class OnboardPlanError(RefusedError):
    pass


def rclone_remotes(buckets, instance, environment, access_key_ids=None, secret_access_keys=None, region=None,
                   endpoint=None):
    """One remote per bucket, named ``<instance>-<environment>-<bucket role>``, in the buckets' order.

    ``access_key_ids`` and ``secret_access_keys`` are the HMAC keys in the same order as ``buckets``; an empty key is
    left out, so the module names what is missing.
    """
    buckets = buckets or {}
    roles = list(buckets)
    ids = list(access_key_ids or [])
    secrets = list(secret_access_keys or [])
    if len(ids) not in (0, len(roles)) or len(secrets) not in (0, len(roles)):
        raise OnboardPlanError('expected one access key id and one secret access key per bucket (%d buckets)' % len(roles))
    remotes = []
    for n, role in enumerate(roles):
        bucket = buckets[role]
        name = bucket.get('name') if isinstance(bucket, dict) else bucket
        if not name:
            raise OnboardPlanError('bucket %s of %s-%s has no name' % (role, instance, environment))
        remote = {'name': '%s-%s-%s' % (instance, environment, role), 'bucket': name}
        for key, value in (('region', region), ('endpoint', endpoint),
                           ('access_key_id', ids[n] if ids else None),
                           ('secret_access_key', secrets[n] if secrets else None)):
            if value not in (None, ''):
                remote[key] = value
        remotes.append(remote)
    return remotes


def _production(flags):
    """Production when any environment is; unknown (None) when no environment is and one is not known."""
    if any(flag is True for flag in flags):
        return True
    if flags and all(flag is False for flag in flags):
        return False
    return None


def case_requests(needs):
    """One request per (instance, case name) from every environment's ``cases``, in first-seen order.

    ``needs`` is a list of ``{instance, environment, production, cases}``. A request covers the environments each
    asker names (``environments``), or else the asker itself, all together; its ``production`` is true when any
    covered environment is production.
    """
    production_of = dict(((n['instance'], n['environment']), n.get('production')) for n in needs)
    merged = {}
    order = []
    for need in needs:
        for case in need.get('cases') or []:
            if not isinstance(case, dict) or not case.get('kind'):
                raise OnboardPlanError('each case of %s-%s needs a kind' % (need['instance'], need['environment']))
            name = case.get('name') or case['kind']
            key = (need['instance'], name)
            fields = dict((field, case.get(field)) for field in CASE_FIELDS)
            fields['details'] = fields['details'] or {}
            covered = list(case.get('environments') or [need['environment']])
            if key not in merged:
                merged[key] = dict(fields, instance=need['instance'], name=name, environments=[],
                                   first=need['environment'])
                order.append(key)
            elif dict((field, merged[key][field]) for field in CASE_FIELDS) != fields:
                raise OnboardPlanError(
                    "case '%s' of instance %s differs between environments %s and %s: give the two requests "
                    "different names" % (name, need['instance'], merged[key]['first'], need['environment']))
            request = merged[key]
            request['environments'].extend(env for env in covered if env not in request['environments'])
    requests = []
    for key in order:
        request = dict(merged[key])
        del request['first']
        request['production'] = _production([production_of.get((key[0], env)) for env in request['environments']])
        requests.append(request)
    return requests


# The message processor of a Kafka cron task instance per direction: the defaults IBM documents ("Kafka
# configuration cron task", Maximo Manage) and writes (ibm-mas/ansible-devops configure_manage_eventstreams,
# templates/configcrontask.j2: MESSAGEHUB=KAFKA, MESSAGEPROCESSOR per queue, TOPIC).
MESSAGE_PROCESSORS = {
    'inbound': 'psdi.iface.jms.QueueToMaximoProcessor',
    'outbound': 'psdi.iface.jms.QueueToDestManagerProcessor',
    'notification': 'com.ibm.tivoli.maximo.notification.NotificationMessageProcessor',
}
DEFAULT_MESSAGE_HUB = 'KAFKA'
CRON_INSTANCE_FIELDS = ('instancename', 'active', 'schedule', 'description', 'runasuserid', 'keephistory',
                        'maxhistory')
CRON_PARAM_FIELDS = ('topic', 'direction', 'message_hub', 'message_processor', 'partition')
# An instance given without its topic can only be one that exists (set active, schedule ...); a new one needs its
# parameters (TOPIC and MESSAGEHUB are required by the cron task).
CRON_NEW_CHILDREN = {'crontaskinstance': {'key': ['instancename'], 'require': ['crontaskparam']}}


def _cron_instance(instance):
    if not isinstance(instance, dict) or not instance.get('instancename'):
        raise OnboardPlanError('each Kafka cron task instance needs an instancename')
    name = instance['instancename']
    unknown = sorted(set(instance) - set(CRON_INSTANCE_FIELDS) - set(CRON_PARAM_FIELDS))
    if unknown:
        raise OnboardPlanError('Kafka cron task instance %s: unknown field(s) %s (known: %s)'
                               % (name, ', '.join(unknown), ', '.join(CRON_INSTANCE_FIELDS + CRON_PARAM_FIELDS)))
    row = dict((field, instance[field]) for field in CRON_INSTANCE_FIELDS if instance.get(field) is not None)
    if not instance.get('topic'):
        given = [field for field in CRON_PARAM_FIELDS if instance.get(field) not in (None, '')]
        if given:
            raise OnboardPlanError('Kafka cron task instance %s: %s given without topic (the topic is required)'
                                   % (name, ', '.join(given)))
        return row
    processor = instance.get('message_processor')
    if not processor:
        direction = instance.get('direction')
        if direction not in MESSAGE_PROCESSORS:
            raise OnboardPlanError('Kafka cron task instance %s needs direction (%s) or message_processor'
                                   % (name, ', '.join(MESSAGE_PROCESSORS)))
        processor = MESSAGE_PROCESSORS[direction]
    params = [{'parameter': 'TOPIC', 'value': str(instance['topic'])},
              {'parameter': 'MESSAGEHUB', 'value': str(instance.get('message_hub') or DEFAULT_MESSAGE_HUB)},
              {'parameter': 'MESSAGEPROCESSOR', 'value': processor}]
    if instance.get('partition') not in (None, ''):
        params.append({'parameter': 'PARTITION', 'value': str(instance['partition'])})
    row['crontaskparam'] = params
    return row


def kafka_objects(endpoints, passwords=None, crontask=None, cron_instances=None):
    """The Manage records of the Kafka set-up as items of manage_object's ``objects``: one ``mxapiendpoint`` per
    endpoint (its password, looked up by ``password_var`` in ``passwords``, as the secret PASSWORD property row of
    ``maxendpointdtl``), then the cron task whose instances are set.

    The cron task definition (``Kafka``) must exist: it is never created (a definition needs its Java class). An
    instance given with its ``topic`` carries the parameters IBM's role writes (TOPIC, MESSAGEHUB, MESSAGEPROCESSOR
    from ``direction``, and PARTITION when given), so it may be created; one without a topic must exist already.
    """
    passwords = passwords or {}
    objects = []
    for endpoint in endpoints or []:
        missing = [key for key in ('name', 'topic', 'bootstrap_servers') if not endpoint.get(key)]
        if missing:
            raise OnboardPlanError('Kafka endpoint %s needs %s' % (endpoint.get('name', '?'), ', '.join(missing)))
        item = {
            'object_structure': 'mxapiendpoint',
            'key': {'endpointname': endpoint['name']},
            'attributes': {'handlername': 'KAFKA', 'maxendpointdtl': [
                {'property': 'TOPIC', 'value': endpoint['topic']},
                {'property': 'BOOTSTRAPSERVERS', 'value': endpoint['bootstrap_servers']},
                {'property': 'USERNAME', 'value': endpoint.get('username') or 'token'}]},
        }
        password = passwords.get(endpoint.get('password_var')) if endpoint.get('password_var') else None
        if password:
            # A handler property, never a top-level attribute (IBM "Kafka handler and properties": Password).
            item['secret_attributes'] = {'maxendpointdtl': [{'property': 'PASSWORD', 'value': password}]}
        objects.append(item)
    if cron_instances:
        if not crontask:
            raise OnboardPlanError('cron task instances to activate need the cron task name')
        names = [i.get('instancename') for i in cron_instances if isinstance(i, dict)]
        twice = sorted(set(str(n) for n in names if n and names.count(n) > 1))
        if twice:
            raise OnboardPlanError('Kafka cron task instance(s) listed more than once: %s' % ', '.join(twice))
        objects.append({'object_structure': 'mxapicrontaskdef', 'key': {'crontaskname': crontask},
                        'must_exist': True,
                        'new_children': dict((k, dict(v)) for k, v in CRON_NEW_CHILDREN.items()),
                        'attributes': {'crontaskinstance': [_cron_instance(i) for i in cron_instances]}})
    return objects


def _alnum(text):
    return re.sub(r'[^A-Z0-9]', '', str(text or '').upper())


def db2_dsn(instance, environment):
    """The default DSN alias of an environment: unique per environment, deterministic, at most 8 characters.

    ``<INSTANCE><ENVIRONMENT>`` when that fits as it is (ACMEDEV, ACMEPROD); otherwise, since truncation would make
    test1 and test2 (or train and training) one name, 2 letters of the instance, 3 of the environment and 3
    characters of a hash of both (ACTES5CQ). play_problems() still refuses the rare hash collision.
    """
    instance, environment = str(instance or ''), str(environment or '')
    plain = _alnum(instance) + _alnum(environment)
    if plain == (instance + environment).upper() and 0 < len(plain) <= DSN_LENGTH and plain[0].isalpha():
        return plain
    number = int(hashlib.sha256(('%s/%s' % (instance.lower(), environment.lower())).encode('utf-8')).hexdigest(), 16)
    suffix = ''
    for dummy in range(3):
        number, digit = divmod(number, 36)
        suffix += _BASE36[digit]
    stem = _alnum(instance)[:2] + _alnum(environment)[:3]
    if not stem[:1].isalpha():
        stem = 'D' + stem[:4]
    return stem + suffix


def play_problems(needs):
    """Every conflict between the environments of a play in what they write to the shared files, as messages naming
    both environments ([] when none): a DSN or rclone remote name used twice, a production data source that is not
    the read replica, and the case requests that cannot be merged."""
    problems = []

    def label(need):
        return '%s/%s' % (need.get('instance'), need.get('environment'))

    seen = {}
    for need in needs:
        source = need.get('data_source')
        if not source:
            continue
        dsn = str(source.get('dsn') or '')
        first = seen.setdefault(dsn.upper(), need)
        if first is not need:
            problems.append("DB2 data source name (DSN) %s would be the data source of both %s and %s: give one of "
                            "them its own onboard_db2_dsn (a host variable, at most %d characters)"
                            % (dsn, label(first), label(need), DSN_LENGTH))
        if source.get('production') is not False and not source.get('replica'):
            problems.append("%s is production and its database %s is not declared the ordered read replica "
                            "(db.replica: true in the inventory): production data is read only through the replica"
                            % (label(need), source.get('hostname')))
    owners = {}
    for need in needs:
        for remote in need.get('remotes') or []:
            first = owners.setdefault(remote.get('name'), need)
            if first is not need:
                problems.append("rclone remote %s would be the remote of both %s and %s: rename one environment or "
                                "instance" % (remote.get('name'), label(first), label(need)))
    try:
        case_requests(needs)
    except OnboardPlanError as exc:
        problems.append(str(exc))
    return problems
