# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM Cloud IAM and the Case Management API, as far as ``support_case`` (submit=true) uses them.

``POST /identity/token`` (form ``grant_type=urn:ibm:params:oauth:grant-type:apikey``, ``apikey=<sandbox key>``)
answers ``{"access_token", "token_type": "Bearer", "expires_in"}`` [doc]. ``POST /case-management/v1/cases``
(``Authorization: Bearer``; JSON with ``type``, ``subject``, ``description``, ``severity`` 1-4) answers 200 with
the case and its ``number`` [doc]. ``PUT /case-management/v1/cases/{number}/attachments`` takes a multipart
``file`` part [doc: IBM SDK] of at most 8 MB; ``GET /case-management/v1/cases/{number}`` reads a case back.
``GET /_sandbox/state`` shows ``cases`` (number, subject, severity, attachments with their SHA-256).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import hmac
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs

from .core import Router, json_response

ROUTES = Router()
TOKEN_PREFIX = 'sbx-iam-token-'
CASE_TYPES = ('technical', 'account_and_access', 'billing_and_invoice', 'sales')
MAX_ATTACHMENT = 8 * 1000 * 1000


def _error(status, message):
    return json_response({'errors': [{'code': 'bad_request' if status == 400 else 'error', 'message': message}],
                          'status_code': status}, status=status)


class Cases:
    def __init__(self, app):
        self.app = app
        self.cases = {}
        self.next_number = 5000001
        self.tokens = set()

    def view(self):
        return {'cases': [dict(case, description_sha256=hashlib.sha256(case['description'].encode()).hexdigest(),
                               description=None) for case in self.cases.values()]}


def _bearer_ok(request):
    header = request.header('Authorization') or ''
    return header.startswith('Bearer ') and header[7:] in request.app.component('cases').tokens


@ROUTES.route('POST', '/identity/token', auth=False)
def iam_token(request):
    form = dict((k, v[-1]) for k, v in parse_qs(request.text()).items())
    if form.get('grant_type') != 'urn:ibm:params:oauth:grant-type:apikey':
        return json_response({'errorCode': 'BXNIM0308E', 'errorMessage': 'Grant type is not supported'}, status=400)
    given = form.get('apikey', '')
    if not hmac.compare_digest(given.encode('utf-8', 'replace'), request.app.api_key.encode('utf-8')):
        return json_response({'errorCode': 'BXNIM0415E', 'errorMessage': 'Provided API key could not be found.'},
                             status=400)
    store = request.app.component('cases')
    token = '%s%d' % (TOKEN_PREFIX, len(store.tokens) + 1)
    store.tokens.add(token)
    return json_response({'access_token': token, 'token_type': 'Bearer', 'expires_in': 3600})


@ROUTES.route('POST', '/case-management/v1/cases', auth=False)
def create_case(request):
    if not _bearer_ok(request):
        return _error(401, 'Unauthorized')
    body = request.json() or {}
    for name in ('type', 'subject', 'description'):
        if not isinstance(body.get(name), str) or not body[name].strip():
            return _error(400, "'%s' is required" % name)
    if body['type'] not in CASE_TYPES:
        return _error(400, "'type' must be one of %s" % ', '.join(CASE_TYPES))
    if body.get('severity') not in (1, 2, 3, 4):
        return _error(400, "'severity' must be 1, 2, 3 or 4")
    store = request.app.component('cases')
    number = 'CS%d' % store.next_number
    store.next_number += 1
    case = {'number': number, 'type': body['type'], 'subject': body['subject'], 'description': body['description'],
            'severity': body['severity'], 'offering': body.get('offering'), 'status': 'new', 'attachments': []}
    store.cases[number] = case
    return json_response(dict(case))


@ROUTES.route('GET', '/case-management/v1/cases/{number}', auth=False)
def read_case(request):
    if not _bearer_ok(request):
        return _error(401, 'Unauthorized')
    case = request.app.component('cases').cases.get(request.params['number'])
    if case is None:
        return _error(404, 'case not found')
    return json_response(dict(case))


@ROUTES.route('PUT', '/case-management/v1/cases/{number}/attachments', auth=False)
def add_attachment(request):
    if not _bearer_ok(request):
        return _error(401, 'Unauthorized')
    case = request.app.component('cases').cases.get(request.params['number'])
    if case is None:
        return _error(404, 'case not found')
    content_type = request.header('Content-Type') or ''
    if not content_type.startswith('multipart/form-data'):
        return _error(400, 'multipart/form-data with a file part is required')
    message = BytesParser(policy=HTTP).parsebytes(b'Content-Type: ' + content_type.encode() + b'\r\n\r\n' + request.body)
    for part in message.iter_parts():
        if part.get_param('name', header='content-disposition') == 'file':
            data = part.get_payload(decode=True) or b''
            if len(data) > MAX_ATTACHMENT:
                return _error(413, 'attachment too large')
            entry = {'filename': part.get_filename(), 'size': len(data), 'sha256': hashlib.sha256(data).hexdigest()}
            case['attachments'].append(entry)
            return json_response(dict(entry, id='att-%d' % len(case['attachments'])))
    return _error(400, "no 'file' part")


def register(app):
    app.add_component('cases', Cases)
    app.include(ROUTES)
