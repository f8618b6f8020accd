# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage REST object structures (``/maximo/api/os/<name>``), as contracts.md documents them.

Only the lean JSON form is served (``lean=1``; the collection always asks for it). Supported:

- ``GET /maximo/api/os/<os>``: ``oslc.where`` with ``attr="X"``, ``attr in ["A","B"]``, ``attr!="X"`` joined
  by ``and``; ``oslc.select`` (``*`` or ``a,b,child{x,y}``); ``oslc.pageSize`` with ``pageno`` and
  ``responseInfo.nextPage.href``. Records carry ``href`` (``.../os/<os>/_<base64 of the key>``).
- ``GET /maximo/api/os/<os>/<id>``: one record.
- ``POST /maximo/api/os/<os>``: create (201, ``Location``; the record back with the header ``properties``);
  400 ``BMXAA4129E`` when the key exists.
- ``POST /maximo/api/os/<os>/<id>`` with ``x-method-override: PATCH``: scalar attributes replaced; child arrays
  replaced, or merged by their key with ``patchtype: MERGE`` (a merged child with ``"_action": "Delete"`` is
  removed); 204. ``x-method-override: DELETE`` (or ``DELETE``) removes the record.

Every route is served under ``/maximo/oslc/os/`` too, with the same rules and the same ``apikey`` check; hrefs
follow the route asked (IBM's REST API guide writes ``/oslc/os/...``, IBM's MAS pages ``/maximo/api/os/...``; the
public client ibm-maximo-api calls the ``oslc`` route, tests/conformance/test_ibm_maximo_api.py). A PATCH with a
``properties`` header answers 200 with the record, as a create does ("Using the properties header removes the need to
do an extra GET for every create and update", IBM guide "Create and update resources"). ``oslc.orderBy`` (``-a,+b``, each with
its sign) orders the records; ``attr in[...]`` needs no space before its list.

Object structures are declared in ``OBJECT_STRUCTURES`` (key attributes, child arrays and their keys, the
top-level attributes they have, those a create needs, and an optional check). ``mxapigroup`` refuses a
``groupuser`` whose user is not a synchronised Manage user (mas_users.py), as Manage does, and enforces Table 2
lengths.

As real Manage does:

- ``oslc.where`` ``=`` is an exact, case-sensitive match on the stored value (it maps to Maximo's query by example,
  whose exact search "is case sensitive": IBM Support "Understanding Search Methodologies",
  https://www.ibm.com/support/pages/node/621021); a value with ``%`` is a LIKE pattern (IBM REST API guide,
  "Filtering"). Only UPPER attributes (``groupname``, ``endpointname``) are stored upper-case; ``crontaskname``
  and ``instancename`` keep their case (IBM's own role writes ``Kafka`` / ``kafkacqin``).
- A top-level attribute the object structure does not have is dropped, as lean JSON ignores it.
- A cron task definition is not created without its ``classname`` (``BMXAA4195E``).
- The ``PASSWORD`` row of ``maxendpointdtl`` keeps its value to itself: a GET returns the row without ``value``;
  ``GET /_sandbox/state`` shows only the SHA-256 of each stored secret (``manage_object_secrets``).
- ``mxapiautoscript`` refuses an unknown language or log level and a launch point without what its kind names;
  ``mxapiproperty`` holds four properties, is never created through the API, keeps encrypted values to itself and
  refuses a live refresh (``service/system`` ``wsmethod:liveRefreshProperty``) of a property that does not allow it
  (README, contracts.md).
- ``mxapilogger`` holds five loggers, is never created through the API, refuses a level other than DEBUG, INFO,
  WARN, ERROR, FATAL and counts ``action=wsmethod:applySettings`` (unverified names, see contracts.md).
- The SRE-provisioned ``Kafka`` cron task exists after every reset with the instances and parameters IBM's role
  ``configure_manage_eventstreams`` writes (``templates/configcrontask.j2``), all inactive.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import copy
import fnmatch
import hashlib
import re
from urllib.parse import urlencode

from .core import HttpError, Router, json_response

ROUTES = Router()
PREFIX = '/maximo/api/os/'
# Manage serves the same object structures under /maximo/oslc/os/ (IBM's REST API guide writes /oslc/os/...,
# IBM's MAS pages /maximo/api/os/...; both take the apikey header: docs/contracts.md). Hrefs follow the route asked.
OSLC_PREFIX = '/maximo/oslc/os/'
# Maximo's system service (its methods as wsmethod actions), where a property is live refreshed.
SYSTEM_SERVICE = '/maximo/api/service/system'


def _check_group(data, record):
    users = data.app.component('mas_users').manage_users
    if record.get('maxgroupid') is None:
        # MAXGROUP's unique id: IBM's client addresses a group as mxapigroup/{maxgroupid} (add_user_to_manage_group)
        record['maxgroupid'] = 1 + max([r.get('maxgroupid') or 0 for r in data.records['mxapigroup'].values()] or [0])
    if len(record.get('groupname') or '') > 30:
        raise HttpError(400, 'BMXAA4049E', 'The value for MAXGROUP.GROUPNAME is too long (maximum 30).')
    if len(record.get('description') or '') > 200:
        raise HttpError(400, 'BMXAA4049E', 'The value for MAXGROUP.DESCRIPTION is too long (maximum 200).')
    for member in record.get('groupuser') or []:
        userid = str(member.get('userid') or '')
        if userid.upper() not in users:
            raise HttpError(400, 'BMXAA0024E', 'User %s is not a valid user.' % userid)
        member['userid'] = userid.upper()


# Script languages and launch point kinds, as plugins/module_utils/manage/manage_config.py sources them (docs/contracts.md).
SCRIPT_LANGUAGES = ('jython', 'python', 'javascript', 'nashorn', 'ecmascript', 'js')
SCRIPT_LOG_LEVELS = ('DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')
LAUNCH_POINT_NEEDS = {'OBJECT': ('objectname',), 'ATTRIBUTE': ('objectname', 'attributename'),
                      'ACTION': ('actionname',), 'CUSTOMCONDITION': ('objectname',)}


def _check_script(data, record):
    """AUTOSCRIPT as Manage validates it: a known language, launch points that name what their kind needs."""
    language = str(record.get('scriptlanguage') or '')
    if language.lower() not in SCRIPT_LANGUAGES:
        raise HttpError(400, 'BMXAA7837E', 'The script language %s is not supported.' % language)
    if record.get('loglevel') is not None and str(record['loglevel']).upper() not in SCRIPT_LOG_LEVELS:
        raise HttpError(400, 'BMXAA7837E', 'The log level %s is not valid.' % record['loglevel'])
    for point in record.get('scriptlaunchpoint') or []:
        for attr in ('launchpointname', 'objectname', 'attributename', 'actionname'):
            if isinstance(point.get(attr), str):
                point[attr] = point[attr].upper()
        kind = str(point.get('launchpointtype') or '').upper()
        if kind not in LAUNCH_POINT_NEEDS:
            raise HttpError(400, 'BMXAA4191E', 'The launch point type %s is not valid.' % kind)
        point['launchpointtype'] = kind
        missing = [attr for attr in LAUNCH_POINT_NEEDS[kind] if not point.get(attr)]
        if missing:
            raise HttpError(400, 'BMXAA4195E', 'A value is required for %s of launch point %s.'
                            % (', '.join(missing), point.get('launchpointname')))
    for var in record.get('autoscriptvars') or []:
        if isinstance(var.get('varname'), str):
            var['varname'] = var['varname'].upper()


# name -> key attributes, {child array: its key attributes}, upper-case attributes, the top-level attributes it has
# (None: not restricted), the attributes a create needs, check(data, record)
OBJECT_STRUCTURES = {
    'mxapigroup': {'key': ('groupname',), 'children': {'groupuser': ('userid',)}, 'upper': ('groupname',),
                   'check': _check_group},
    'mxapicrontaskdef': {'key': ('crontaskname',), 'children': {'crontaskinstance': ('instancename',)},
                         'attributes': ('crontaskname', 'classname', 'description', 'accesslevel', 'crontaskdefid',
                                        'crontaskinstance'),
                         'required': ('classname',)},
    'mxapiendpoint': {'key': ('endpointname',), 'children': {'maxendpointdtl': ('property',)},
                      'upper': ('endpointname',),
                      'attributes': ('endpointname', 'handlername', 'description', 'maxendpointid', 'maxendpointdtl'),
                      'required': ('handlername',)},
    'mxapiautoscript': {'key': ('autoscript',),
                        'children': {'scriptlaunchpoint': ('launchpointname',), 'autoscriptvars': ('varname',)},
                        'upper': ('autoscript',),
                        'attributes': ('autoscript', 'scriptlanguage', 'source', 'description', 'loglevel', 'status',
                                       'version', 'autoscriptid', 'scriptlaunchpoint', 'autoscriptvars'),
                        'required': ('scriptlanguage',), 'check': _check_script},
}
OBJECT_STRUCTURES['mxapiproperty'] = {
    'key': ('propname',), 'children': {'maxpropvalue': ('servername',)},
    'attributes': ('propname', 'description', 'liverefresh', 'encrypted', 'maxtype', 'maxpropid', 'maxpropvalue'),
    'create': False}
# System properties after every reset: names from IBM's ansible-devops (suite_manage_attachments_config, MAXPROPVALUE);
# their live refresh and encryption flags here are the sandbox's choice (unverified).
_PROPERTIES = (
    ('mxe.doclink.securedAttachment', 'Secured attachments', True, False, 'false'),
    ('mxe.cosbucketname', 'COS bucket name', True, False, ''),
    ('mxe.attachmentstorage', 'Attachment storage class', False, False, ''),
    ('mxe.cossecretkey', 'COS secret key', False, True, 'initial-cos-secret'),
)
# Loggers (MAXLOGGER): keys and short names from public sources (sharptree "autoscript" = log4j.logger.maximo.script;
# maximo-api-client "maximo.sql.crontaskmgr"); the object structure name and its attributes are unverified. Loggers are
# never created through the API; a level outside the five the public clients name is refused.
LOGGER_LEVELS = ('DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')


def _check_logger(data, record):
    if str(record.get('loglevel', '')).upper() not in LOGGER_LEVELS:
        raise HttpError(400, 'BMXAA7837E', 'The log level %s is not valid.' % record.get('loglevel'))
    record['loglevel'] = str(record['loglevel']).upper()
    if not isinstance(record.get('active'), bool):
        raise HttpError(400, 'BMXAA4190E', 'active must be true or false.')


OBJECT_STRUCTURES['mxapilogger'] = {
    'key': ('logkey',), 'children': {},
    'attributes': ('logger', 'logkey', 'loglevel', 'active', 'maxloggerid', 'parentlogger', 'appenders'),
    'create': False, 'check': _check_logger}
_LOGGERS = (
    ('maximo', 'log4j.logger.maximo', 'ERROR', True),
    ('sql', 'log4j.logger.maximo.sql', 'ERROR', True),
    ('crontaskmgr', 'log4j.logger.maximo.sql.crontaskmgr', 'ERROR', False),
    ('autoscript', 'log4j.logger.maximo.script', 'ERROR', True),
    ('integration', 'log4j.logger.maximo.integration', 'ERROR', True),
)
LOGGING_APPLY_ACTION = 'wsmethod:applySettings'
# Child arrays inside child rows, merged by their key too.
NESTED_CHILDREN = {'crontaskparam': ('parameter',), 'launchpointvars': ('varname',)}
# Child rows whose value is a secret: (child array, key attribute, key value).
SECRET_ROWS = (('maxendpointdtl', 'property', 'PASSWORD'),)

# What IBM's role configure_manage_eventstreams inserts (CRONTASKINSTANCE, CRONTASKPARAM): the SRE-provisioned Kafka
# consumers, inactive until the customer activates them. The class name is not public (a placeholder).
_KAFKA_INSTANCES = (
    ('kafkacqinerr', 'Kafka inbound continuous error cron task', 'cqinerr', 'psdi.iface.jms.QueueToMaximoProcessor'),
    ('kafkacqin', 'Kafka inbound continuous cron task', 'cqin', 'psdi.iface.jms.QueueToMaximoProcessor'),
    ('kafkacqin1', 'Kafka inbound continuous cron task', 'cqin', 'psdi.iface.jms.QueueToMaximoProcessor'),
    ('kafkacqin2', 'Kafka inbound continuous cron task', 'cqin', 'psdi.iface.jms.QueueToMaximoProcessor'),
    ('kafkasqqin', 'Kafka inbound Sequential cron task', 'sqqin', 'psdi.iface.jms.QueueToMaximoProcessor'),
    ('kafkasqout', 'Kafka outbound Sequential cron task', 'sqqout', 'psdi.iface.jms.QueueToDestManagerProcessor'),
)


def provisioned_kafka():
    return {'crontaskname': 'Kafka', 'classname': 'sandbox.KafkaCronTask (the real class name is not public)',
            'description': 'Kafka consumer', 'accesslevel': 'FULL',
            'crontaskinstance': [
                {'instancename': name, 'description': text, 'schedule': '30s,*,*,*,*,*,*,*,*,*', 'active': False,
                 'runasuserid': 'MAXADMIN', 'keephistory': False, 'maxhistory': 20,
                 'crontaskparam': [{'parameter': 'MESSAGEHUB', 'value': 'KAFKA'},
                                   {'parameter': 'MESSAGEPROCESSOR', 'value': processor},
                                   {'parameter': 'TOPIC', 'value': topic}]}
                for name, text, topic, processor in _KAFKA_INSTANCES]}


# ``in`` may be followed directly by its list (``status in["A","B"]``, as ibm-maximo-api 1.0.15, an IBM author's
# client, writes it).
_CONDITION = re.compile(r'^\s*([A-Za-z0-9_.]+)\s*(=|!=|\s+in(?=\s*\[))\s*(.+?)\s*$', re.IGNORECASE)


def _literal(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    if text.lower() in ('true', 'false'):
        return text.lower() == 'true'
    try:
        return int(text)
    except ValueError:
        raise HttpError(400, 'BMXAA8991E', 'Cannot parse the value %s in oslc.where.' % text) from None


def parse_where(where):
    """``a="X" and b in ["Y","Z"]`` -> [(attr, op, values)]."""
    conditions = []
    if not where:
        return conditions
    for part in re.split(r'\s+and\s+', where.strip(), flags=re.IGNORECASE):
        match = _CONDITION.match(part)
        if not match:
            raise HttpError(400, 'BMXAA8991E', 'The oslc.where clause %s is not supported.' % part)
        attr, op, value = match.group(1).lower(), match.group(2).strip().lower(), match.group(3)
        if op == 'in':
            if not (value.startswith('[') and value.endswith(']')):
                raise HttpError(400, 'BMXAA8991E', 'in needs a [list] in oslc.where.')
            values = [_literal(v) for v in value[1:-1].split(',') if v.strip()]
        else:
            values = [_literal(value)]
        conditions.append((attr, op, values))
    return conditions


def _equal(stored, given):
    """Exact, case-sensitive; a string with ``%`` is a LIKE pattern."""
    if isinstance(given, str):
        if '%' in given:
            pattern = ''.join('*' if c == '%' else '[%s]' % c if c in '*?[' else c for c in given)
            return fnmatch.fnmatchcase(str(stored), pattern)
        return str(stored) == given
    return stored == given


def _matches(record, conditions):
    for attr, op, values in conditions:
        value = record.get(attr)
        hit = value is not None and any(_equal(value, v) for v in values)
        if (op == '!=' and hit) or (op != '!=' and not hit):
            return False
    return True


def parse_select(select):
    """``a,b,child{x,y}`` -> {attr: None | set of child attrs}; None for ``*`` or nothing."""
    if not select or select.strip() == '*':
        return None
    result = {}
    for match in re.finditer(r'([A-Za-z0-9_]+)(\{([^}]*)\})?', select):
        name = match.group(1).lower()
        result[name] = set(a.strip().lower() for a in match.group(3).split(',')) if match.group(2) else None
    return result


def _project(record, selected, root):
    """The record as served; its ``href`` on ``root`` (the host and object-structure prefix of the request)."""
    href = root + record['href'].split('/os/', 1)[1]
    if selected is None:
        return dict(copy.deepcopy(record), href=href)
    out = {'href': href}
    for name, children in selected.items():
        if name not in record:
            continue
        if children is None or '*' in children or not isinstance(record[name], list):
            out[name] = copy.deepcopy(record[name])
        else:
            out[name] = [dict((k, v) for k, v in child.items() if k in children or k == 'href') for child in record[name]]
    return out


class ManageObjects:
    """Records per object structure, in creation order."""

    def __init__(self, app):
        self.app = app
        self.records = dict((name, {}) for name in OBJECT_STRUCTURES)
        self.secrets = {}
        self.writes = 0
        kafka = provisioned_kafka()
        record_id = _record_id(OBJECT_STRUCTURES['mxapicrontaskdef'], kafka)
        kafka['href'] = '%smxapicrontaskdef/%s' % (PREFIX, record_id)
        self.records['mxapicrontaskdef'][record_id] = kafka
        self.refreshes = {}
        self.property_secrets = {}
        for number, (name, text, live, encrypted, value) in enumerate(_PROPERTIES, 1):
            record = {'propname': name, 'description': text, 'liverefresh': live, 'encrypted': encrypted,
                      'maxtype': 'ALN', 'maxpropid': number,
                      'maxpropvalue': [{'servername': 'COMMON', 'propvalue': value}]}
            record_id = _record_id(OBJECT_STRUCTURES['mxapiproperty'], record)
            record['href'] = '%smxapiproperty/%s' % (PREFIX, record_id)
            self.keep_secrets('mxapiproperty', record_id, record)
            self.records['mxapiproperty'][record_id] = record
        self.logging_applied = 0
        self.logging_service_sets = 0
        for number, (logger, key, level, active) in enumerate(_LOGGERS, 1):
            record = {'logger': logger, 'logkey': key, 'loglevel': level, 'active': active, 'maxloggerid': number,
                      'appenders': 'Console'}
            record_id = _record_id(OBJECT_STRUCTURES['mxapilogger'], record)
            record['href'] = '%smxapilogger/%s' % (PREFIX, record_id)
            self.records['mxapilogger'][record_id] = record

    def keep_secrets(self, name, record_id, record):
        """Move the values of secret rows out of the record (they are never served)."""
        if name == 'mxapiproperty' and record.get('encrypted'):
            for row in record.get('maxpropvalue') or []:
                if 'propvalue' in row:
                    secret = row.pop('propvalue')
                    key = '%s/%s' % (record.get('propname'), row.get('servername'))
                    self.property_secrets[key] = hashlib.sha256(str(secret).encode('utf-8')).hexdigest()
        for array, attr, value in SECRET_ROWS:
            for row in record.get(array) or []:
                if str(row.get(attr)) == value and 'value' in row:
                    secret = row.pop('value')
                    key = '%s/%s/%s' % (name, record_id, value)
                    self.secrets[key] = hashlib.sha256(str(secret).encode('utf-8')).hexdigest()

    def view(self):
        return {'manage_objects': dict((name, len(records)) for name, records in self.records.items()),
                'manage_object_writes': self.writes, 'manage_object_secrets': dict(self.secrets),
                'manage_property_refreshes': dict(self.refreshes),
                'manage_property_secrets': dict(self.property_secrets),
                'manage_properties': dict(
                    (r['propname'], (r.get('maxpropvalue') or [{}])[0].get('propvalue'))
                    for r in self.records['mxapiproperty'].values() if not r.get('encrypted')),
                'manage_loggers': dict((r['logkey'], [r['loglevel'], r['active']])
                                       for r in self.records['mxapilogger'].values()),
                'manage_logging_applied': self.logging_applied,
                'manage_logging_service_sets': self.logging_service_sets,
                'manage_kafka_cron_instances': dict(
                    (i['instancename'], i.get('active')) for r in self.records['mxapicrontaskdef'].values()
                    if r.get('crontaskname') == 'Kafka' for i in r.get('crontaskinstance') or [])}


def _data(request):
    return request.app.component('manage_objects')


def _definition(request):
    name = request.params['os'].lower()
    if name not in OBJECT_STRUCTURES:
        raise HttpError(404, 'BMXAA8727E', 'The object structure %s was not found.' % request.params['os'])
    return name, OBJECT_STRUCTURES[name]


def _require_lean(request):
    if request.arg('lean') != '1':
        raise HttpError(400, 'SANDBOX', 'The sandbox serves the lean JSON form only: add lean=1.')


def _record_id(definition, record):
    key = '|'.join(str(record.get(attr, '')) for attr in definition['key'])
    return '_' + base64.urlsafe_b64encode(key.encode('utf-8')).decode('ascii').rstrip('=')


def _base(request):
    host = request.header('Host') or 'localhost'
    return 'http://%s' % host


def _root(request):
    """``http://host/maximo/api/os/`` or ``.../maximo/oslc/os/``: the route the request came by."""
    return _base(request) + (OSLC_PREFIX if request.path.startswith(OSLC_PREFIX) else PREFIX)


def _href(request, name, record_id):
    return '%s%s/%s' % (_root(request), name, record_id)


def _order(records, order_by):
    """``oslc.orderBy=-a,+b``: every attribute needs its sign (IBM guide "Sorting and paging": "All attributes that
    are listed must be prefixed with a + or - sign"; a ``+`` not URL-encoded arrives as a space and is refused)."""
    for term in reversed([t for t in (order_by or '').split(',') if t.strip()]):
        attr = term[1:].lower()
        if term[:1] not in '+-' or not re.match(r'^[a-z0-9_]+$', attr):
            raise HttpError(400, 'BMXAA8991E', 'The oslc.orderBy term %s is not supported.' % term)
        present = [r for r in records if r.get(attr) is not None]
        # Numbers in number order, text in text order, as the database orders a column of one type.
        present.sort(key=lambda r: (0, r[attr], '') if isinstance(r[attr], (int, float)) and not isinstance(r[attr], bool)
                     else (1, 0, str(r[attr])), reverse=term.startswith('-'))
        records = present + [r for r in records if r.get(attr) is None]
    return records


@ROUTES.route('GET', PREFIX + '{os}')
def query(request):
    name, dummy = _definition(request)
    _require_lean(request)
    conditions = parse_where(request.arg('oslc.where'))
    selected = parse_select(request.arg('oslc.select'))
    found = _order([r for r in _data(request).records[name].values() if _matches(r, conditions)],
                   request.arg('oslc.orderBy'))
    try:
        size = int(request.arg('oslc.pageSize', 0)) or len(found) or 1
        page = max(1, int(request.arg('pageno', 1)))
    except ValueError:
        raise HttpError(400, 'BMXAA8991E', 'oslc.pageSize and pageno are numbers.') from None
    chunk = found[(page - 1) * size:page * size]
    info = {'pagenum': page, 'href': '%s%s' % (_base(request), request.path)}
    if page * size < len(found):
        query_args = dict(request.query)
        query_args['pageno'] = str(page + 1)
        info['nextPage'] = {'href': '%s%s?%s' % (_base(request), request.path, urlencode(query_args))}
    if request.arg('collectioncount') == '1':
        info['totalCount'] = len(found)
    return json_response({'member': [_project(r, selected, _root(request)) for r in chunk], 'responseInfo': info})


def _one(request):
    name, definition = _definition(request)
    records = _data(request).records[name]
    record = records.get(request.params['id'])
    if record is None and name == 'mxapigroup' and request.params['id'].isdigit():
        # a group by its maxgroupid, as IBM's client (mas-devops users.py add_user_to_manage_group) addresses it
        record = next((r for r in records.values() if str(r.get('maxgroupid')) == request.params['id']), None)
        if record is not None:
            request.params['id'] = record['href'].rsplit('/', 1)[-1]
    if record is None:
        raise HttpError(404, 'BMXAA8727E', 'The resource %s was not found.' % request.path)
    return name, definition, record


@ROUTES.route('GET', PREFIX + '{os}/{id}')
def read(request):
    _require_lean(request)
    dummy, dummy2, record = _one(request)
    return json_response(_project(record, parse_select(request.arg('oslc.select')), _root(request)))


@ROUTES.route('GET', PREFIX + '{os}/{id}/{child}')
def read_children(request):
    """A child collection, e.g. ``mxapigroup/{maxgroupid}/groupuser?oslc.where=userid="X"`` (IBM's client,
    ``is_user_in_manage_group``): ``{"member": [...]}``."""
    _require_lean(request)
    dummy, definition, record = _one(request)
    child = request.params['child'].lower()
    if child not in definition['children']:
        raise HttpError(404, 'BMXAA8727E', 'The resource %s was not found.' % request.path)
    rows = [r for r in record.get(child) or [] if _matches(r, parse_where(request.arg('oslc.where')))]
    return json_response({'member': [dict(r) for r in rows], 'responseInfo': {'href': '%s%s' % (_base(request), request.path)}})


def _normalise(definition, record):
    for attr in definition.get('upper', ()):
        if isinstance(record.get(attr), str):
            record[attr] = record[attr].upper()


def _attributes(request, definition):
    """The body's attributes; those the object structure does not have are dropped, as lean JSON does."""
    body = request.json(required=True)
    if not isinstance(body, dict):
        raise HttpError(400, 'BMXAA9590E', 'The body must be a JSON object.')
    known = definition.get('attributes')
    return dict((k.lower(), v) for k, v in body.items()
                if k not in ('href', '_rowstamp') and (known is None or k.lower() in known))


@ROUTES.route('POST', PREFIX + '{os}')
def create(request):
    name, definition = _definition(request)
    _require_lean(request)
    if definition.get('create') is False:
        raise HttpError(400, 'BMXAA4190E', 'A record of %s cannot be created here: it must exist.' % name)
    record = _attributes(request, definition)
    _normalise(definition, record)
    missing = [attr for attr in definition['key'] + definition.get('required', ()) if not record.get(attr)]
    if missing:
        raise HttpError(400, 'BMXAA4195E', 'A value is required for %s.' % ', '.join(missing))
    record_id = _record_id(definition, record)
    data = _data(request)
    if record_id in data.records[name]:
        raise HttpError(400, 'BMXAA4129E', 'The record %s already exists.' % '|'.join(str(record[a]) for a in definition['key']))
    for child in definition['children']:
        record[child] = [_lower_row(c) for c in record.get(child) or []]
    if definition.get('check'):
        definition['check'](data, record)
    record['href'] = _href(request, name, record_id)
    data.keep_secrets(name, record_id, record)
    data.records[name][record_id] = record
    data.writes += 1
    headers = {'Location': record['href']}
    if request.header('properties'):
        return json_response(_project(record, parse_select(request.header('properties')), _root(request)), 201, headers)
    return 201, headers, None


def _lower_row(row):
    return dict((k.lower(), [_lower_row(c) for c in v] if k.lower() in NESTED_CHILDREN and isinstance(v, list) else v)
                for k, v in row.items() if k != '_action')


def _merge_children(existing, given, keys):
    """MERGE: rows matched exactly by their key are updated (nested child arrays merged the same way)."""
    result = [copy.deepcopy(c) for c in existing]
    for child in given:
        action = str(child.get('_action', '')).lower()
        child = _lower_row(child)
        ident = tuple(str(child.get(k, '')) for k in keys)
        index = next((i for i, c in enumerate(result) if tuple(str(c.get(k, '')) for k in keys) == ident), None)
        if action == 'delete':
            if index is not None:
                del result[index]
        elif index is None:
            result.append(child)
        else:
            for attr, value in child.items():
                if attr in NESTED_CHILDREN and isinstance(value, list):
                    result[index][attr] = _merge_children(result[index].get(attr) or [], value, NESTED_CHILDREN[attr])
                else:
                    result[index][attr] = value
    return result


@ROUTES.route('POST', PREFIX + '{os}/{id}')
def update(request):
    if request.arg('action'):
        return record_action(request)
    override = (request.header('x-method-override') or '').upper()
    if override == 'DELETE':
        return delete(request)
    if override != 'PATCH':
        raise HttpError(400, 'BMXAA9547E', 'A POST on a resource needs x-method-override: PATCH (or DELETE).')
    name, definition, record = _one(request)
    changes = _attributes(request, definition)
    _normalise(definition, changes)
    merge = (request.header('patchtype') or '').upper() == 'MERGE'
    updated = copy.deepcopy(record)
    for attr, value in changes.items():
        if attr in definition['key'] and str(value) != str(record.get(attr)):
            raise HttpError(400, 'BMXAA4128E', 'The key attribute %s cannot be changed.' % attr)
        if attr in definition['children']:
            given = value or []
            if merge:
                updated[attr] = _merge_children(record.get(attr) or [], given, definition['children'][attr])
            else:
                updated[attr] = [_lower_row(c) for c in given]
        else:
            updated[attr] = value
    data = _data(request)
    if definition.get('check'):
        definition['check'](data, updated)
    data.keep_secrets(name, request.params['id'], updated)
    data.records[name][request.params['id']] = updated
    data.writes += 1
    if request.header('properties'):
        # "Using the properties header removes the need to do an extra GET for every create and update" (IBM guide)
        return json_response(_project(updated, parse_select(request.header('properties')), _root(request)))
    return 204, None, None


def record_action(request):
    """``POST <href>?action=wsmethod:applySettings`` on a logger applies the logging settings (counted); no other
    record action is served (a property is live refreshed through the system service, below)."""
    name, dummy, dummy2 = _one(request)
    action = request.arg('action')
    if name == 'mxapilogger' and action == LOGGING_APPLY_ACTION:
        # Apply Settings reloads the logging configuration of the server (all loggers).
        _data(request).logging_applied += 1
        return json_response({})
    raise HttpError(400, 'BMXAA9549E', 'The action %s is not supported on %s.' % (action, name))


@ROUTES.route('POST', SYSTEM_SERVICE)
def system_service(request):
    """``POST /maximo/api/service/system?action=wsmethod:liveRefreshProperty`` ``{"propName"}``: the public client
    @maximomize/maximo-api-client's ``SystemService.liveRefreshProperty`` (0.8.4), which also sends
    ``x-method-override: PATCH``, as it does for every service call with a body. 200 ``{}``; 400 BMXAA7024E for a
    property that does not allow live refresh, BMXAA4190E for an unknown one. Other methods are not served."""
    action = request.arg('action')
    if action != 'wsmethod:liveRefreshProperty':
        raise HttpError(400, 'BMXAA9549E', 'The action %s is not supported on the system service.' % action)
    body = request.json(required=True)
    name = body.get('propName') if isinstance(body, dict) else None
    data = _data(request)
    record = next((r for r in data.records['mxapiproperty'].values() if r.get('propname') == name), None)
    if record is None:
        raise HttpError(400, 'BMXAA4190E', 'The property %s does not exist.' % name)
    if not record.get('liverefresh'):
        raise HttpError(400, 'BMXAA7024E', 'The property %s cannot be live refreshed.' % name)
    data.refreshes[name] = data.refreshes.get(name, 0) + 1
    return json_response({})


@ROUTES.route('DELETE', PREFIX + '{os}/{id}')
def delete(request):
    name, dummy, dummy2 = _one(request)
    data = _data(request)
    del data.records[name][request.params['id']]
    data.writes += 1
    return 204, None, None


def register(app):
    app.add_component('manage_objects', ManageObjects)
    app.include(ROUTES)
    for route in list(ROUTES.routes):
        if route.pattern.startswith(PREFIX):
            app.route(route.method, OSLC_PREFIX + route.pattern[len(PREFIX):], route.handler, route.auth)
