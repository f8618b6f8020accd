# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: what the onboarding of a play's environments writes once for all of them.

Each environment (inventory host) states what it needs; these functions turn that into the few calls that serve
every environment of the play at once: one list of rclone remotes, and one support-case request per instance and
case (a case covers every environment that asks for it).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

CASE_FIELDS = ('kind', 'details', 'severity', 'title', 'contact')


class OnboardPlanError(ValueError):
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


def kafka_objects(endpoints, passwords=None, crontask=None, cron_instances=None):
    """The Manage records of the Kafka set-up as items of manage_object's ``objects``: one ``mxapiendpoint`` per
    endpoint (its password, looked up by ``password_var`` in ``passwords``, as a secret attribute), then the cron
    task whose instances are to be activated."""
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
            item['secret_attributes'] = {'password': password}
        objects.append(item)
    if cron_instances:
        if not crontask:
            raise OnboardPlanError('cron task instances to activate need the cron task name')
        objects.append({'object_structure': 'mxapicrontaskdef', 'key': {'crontaskname': crontask},
                        'attributes': {'crontaskinstance': list(cron_instances)}})
    return objects
