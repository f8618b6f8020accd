# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM Cloud IAM and the Case Management API, as far as ``support_case`` (submit=true) uses them.

``POST /identity/token`` (form ``grant_type=urn:ibm:params:oauth:grant-type:apikey``, ``apikey=<sandbox key>``,
optional ``response_type=cloud_iam``, as IBM's ibm-cloud-sdk-core ``IAMTokenManager.request_token`` sends it)
answers ``{"access_token", "refresh_token", "token_type": "Bearer", "expires_in", "expiration", "scope"}`` [doc].
The access token is a JWT, as IAM's are: IBM's SDK decodes it (unverified) for ``iat``/``exp``
(``JWTTokenManager._save_token_info``). A key IAM does not know is 400 ``BXNIM0415E``.
``POST /case-management/v1/cases`` (``Authorization: Bearer``; JSON with ``type``, ``subject``, ``description``,
``severity`` 1-4) answers 200 with the case in the SDK's ``Case`` shape (``number``, ``short_description``,
``description``, ``severity``, ``status``, ``attachments`` ...) [IBM SDK ibm-platform-services
``case_management_v1.CaseManagementV1.create_case`` / ``Case``]. ``PUT /case-management/v1/cases/{number}/attachments``
takes multipart ``file`` parts [IBM SDK ``upload_file``] of at most 8 MB each and answers the ``Attachment``
(``id``, ``filename``, ``size_in_bytes``, ``created_at``, ``url``); ``GET /case-management/v1/cases/{number}``
reads a case back [IBM SDK ``get_case``]. ``GET /_sandbox/state`` shows ``cases`` (number, subject, severity,
attachments with their SHA-256).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import hashlib
import hmac
import json
import time
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs

from .core import Router, json_response

ROUTES = Router()
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
        self.attached_at = {}  # (case number, attachment index) -> upload time

    def view(self):
        return {'cases': [dict(case, description_sha256=hashlib.sha256(case['description'].encode()).hexdigest(),
                               description=None) for case in self.cases.values()]}


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _jwt(number, now):
    """An unsigned-but-JWT-shaped IAM access token (the signature is filler: the SDK does not verify it)."""
    header = {'alg': 'RS256', 'typ': 'JWT', 'kid': 'sandbox'}
    claims = {'iam_id': 'iam-ServiceId-sandbox', 'sub': 'ServiceId-sandbox', 'iss': 'https://iam.cloud.ibm.com/identity',
              'grant_type': 'urn:ibm:params:oauth:grant-type:apikey', 'iat': now, 'exp': now + 3600,
              'jti': 'sbx-%d' % number}
    parts = [_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode())]
    return '.'.join(parts + [_b64(hashlib.sha256(('.'.join(parts)).encode()).digest())])


def _when(stamp):
    return time.strftime('%Y-%m-%dT%H:%M:%S.000Z', time.gmtime(stamp))


def _attachment_doc(store, case, index):
    entry = case['attachments'][index]
    ident = 'att-%d' % (index + 1)
    return {'id': ident, 'filename': entry['filename'], 'size_in_bytes': entry['size'],
            'created_at': store.attached_at.get((case['number'], index)),
            'url': '/case-management/v1/cases/%s/attachments/%s' % (case['number'], ident)}


def _case_doc(store, case):
    """A case as the API answers it (the SDK's ``Case``: ``short_description``, not ``subject``)."""
    return {'number': case['number'], 'short_description': case['subject'], 'description': case['description'],
            'severity': case['severity'], 'status': case['status'], 'created_at': case['created_at'],
            'offering': case['offering'],
            'attachments': [_attachment_doc(store, case, i) for i in range(len(case['attachments']))]}


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
    now = int(time.time())
    token = _jwt(len(store.tokens) + 1, now)
    store.tokens.add(token)
    return json_response({'access_token': token, 'refresh_token': 'not-supported-by-the-sandbox',
                          'token_type': 'Bearer', 'expires_in': 3600, 'expiration': now + 3600, 'scope': 'ibm openid'})


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
            'severity': body['severity'], 'offering': body.get('offering'), 'status': 'new', 'attachments': [],
            'created_at': _when(time.time())}
    store.cases[number] = case
    return json_response(_case_doc(store, case))


@ROUTES.route('GET', '/case-management/v1/cases/{number}', auth=False)
def read_case(request):
    if not _bearer_ok(request):
        return _error(401, 'Unauthorized')
    store = request.app.component('cases')
    case = store.cases.get(request.params['number'])
    if case is None:
        return _error(404, 'case not found')
    return json_response(_case_doc(store, case))


@ROUTES.route('PUT', '/case-management/v1/cases/{number}/attachments', auth=False)
def add_attachment(request):
    if not _bearer_ok(request):
        return _error(401, 'Unauthorized')
    store = request.app.component('cases')
    case = store.cases.get(request.params['number'])
    if case is None:
        return _error(404, 'case not found')
    content_type = request.header('Content-Type') or ''
    if not content_type.startswith('multipart/form-data'):
        return _error(400, 'multipart/form-data with a file part is required')
    message = BytesParser(policy=HTTP).parsebytes(b'Content-Type: ' + content_type.encode() + b'\r\n\r\n' + request.body)
    files = [part for part in message.iter_parts() if part.get_param('name', header='content-disposition') == 'file']
    if not files:
        return _error(400, "no 'file' part")
    added = []
    for part in files:
        data = part.get_payload(decode=True) or b''
        if len(data) > MAX_ATTACHMENT:
            return _error(413, 'attachment too large')
        added.append({'filename': part.get_filename(), 'size': len(data), 'sha256': hashlib.sha256(data).hexdigest()})
    for entry in added:
        store.attached_at[(case['number'], len(case['attachments']))] = _when(time.time())
        case['attachments'].append(entry)
    # The SDK documents the answer as one Attachment: the last one added.
    return json_response(_attachment_doc(store, case, len(case['attachments']) - 1))


def register(app):
    app.add_component('cases', Cases)
    app.include(ROUTES)
