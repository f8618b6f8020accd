# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IBM Cloud Case Management API: optional submission of a rendered support case.

Only for customers whose MAS Dedicated support runs through an IBM Cloud account: the support guide sends
everyone else to the IBM Support portal, which has no public API. Contract (see docs/contracts.md):

- IAM [doc; IBM ibm-cloud-sdk-core ``IAMTokenManager.request_token``]: ``POST https://iam.cloud.ibm.com/identity/token``
  (form ``grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=KEY&response_type=cloud_iam``, ``Accept:
  application/json``) answers ``{"access_token": ...}``; later calls send ``Authorization: Bearer TOKEN``. An API
  key IAM does not know is a 400 ``BXNIM0415E`` (not a 401), reported as a refused key.
- Create [doc]: ``POST <base>/cases`` with ``{"type", "subject", "description", "severity", "offering"?}``
  answers the case with its ``number``.
- Attach [doc: IBM platform-services SDK]: ``PUT <base>/cases/<number>/attachments``, multipart field ``file``;
  attachments up to 8 MB [doc].
- ``offering`` for MAS Dedicated is not documented [guess]: it is sent only when the user gives it.

Why not IBM's SDKs (``ibm-cloud-sdk-core``'s ``IAMAuthenticator``, ``ibm-platform-services``' ``CaseManagementV1``;
read in 3.28.0 and 0.77.1): they are not dependencies of the collection and would become ones on every controller
and execution environment, with what they pin (requests >= 2.32.4, urllib3 >= 2.4, PyJWT >= 2.11,
python-dateutil), for one optional call most customers never make. They also behave differently: the SDK's
``enable_retries()`` retries every method, POST included, on 429 and 500-504, so a ``POST /cases`` answered 502
after IBM made the case would open a second one (this client retries a POST on a 429 or an unopened connection
only, ``retry.py``), and without it the SDK does not retry at all; its token manager decodes the IAM token as a JWT
to refresh it at 80 % of its life, which one task with one token never needs; and its calls go around the
collection's HTTP client (redaction of key and token in every error, ``ca_path``, proxy handling). Three calls are
written here instead; the conformance suite (``tests/conformance/test_ibm_platform_services.py``) drives IBM's SDK
and this client against the same sandbox routes, so the requests stay the ones the SDK sends.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import json
from urllib.parse import urlencode

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.http_client import MasApiError, MasHttpClient
from ansible_collections.mas.dedicated.plugins.module_utils.common.redact import redact_text
from ansible_collections.mas.dedicated.plugins.module_utils.common.retry import RetryPolicy

DEFAULT_URL = 'https://support-center.cloud.ibm.com/case-management/v1'
DEFAULT_IAM_URL = 'https://iam.cloud.ibm.com/identity/token'
CASE_TYPES = ('technical', 'account_and_access', 'billing_and_invoice', 'sales')
MAX_ATTACHMENT_BYTES = 8 * 1000 * 1000
MAX_SUBJECT = 100  # [guess] subjects longer than this are cut, with the full title kept in the description

_HINTS = {
    400: 'the Case Management API rejected the case; check case_type and offering',
    401: "the IBM Cloud API key was refused: check 'ibmcloud_api_key' (IBMCLOUD_API_KEY)",
    403: 'the IBM Cloud user of this key may not open support cases in this account (or the account is not an '
         'IBM Cloud account: then open the case in the IBM Support portal with the rendered case.md)',
    404: "nothing answers there: check 'case_management_url' and 'iam_url'",
}


# IAM answers a wrong or deleted API key with 400 BXNIM0415E "Provided API key could not be found." [doc].
_IAM_HINTS = dict(_HINTS)
_IAM_HINTS[400] = _HINTS[401]


class CaseManagementError(ServiceError):
    """A failed call to IAM or the Case Management API; already redacted."""

    def __init__(self, message, status=None, call=None):
        self.status = status
        self.call = call
        super(CaseManagementError, self).__init__(message)

    def to_dict(self):
        return {'call': self.call, 'status': self.status}


def create_case_body(doc, description, case_type='technical', offering=None):
    """The JSON body of ``POST /cases`` for a rendered case (pure)."""
    if case_type not in CASE_TYPES:
        raise ValueError("case_type must be one of %s" % ', '.join(CASE_TYPES))
    subject = doc['title']
    if len(subject) > MAX_SUBJECT:
        subject = subject[:MAX_SUBJECT - 3].rstrip() + '...'
    body = {'type': case_type, 'subject': subject, 'description': description, 'severity': doc['severity']}
    if offering:
        body['offering'] = offering
    return body


def multipart_file(name, data, boundary=None):
    """(content type, body bytes) of a multipart/form-data body with one ``file`` part (pure)."""
    boundary = boundary or 'masdedicated' + hashlib.sha256(data).hexdigest()[:24]
    safe_name = name.replace('"', '_').replace('\r', '_').replace('\n', '_')
    head = ('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
            'Content-Type: application/octet-stream\r\n\r\n' % (boundary, safe_name)).encode('utf-8')
    tail = ('\r\n--%s--\r\n' % boundary).encode('ascii')
    return 'multipart/form-data; boundary=%s' % boundary, head + data + tail


def service_message(detail):
    """The message of an IBM Cloud error body (pure): IAM's ``{"errorCode", "errorMessage"}`` or the platform
    APIs' ``{"errors": [{"code", "message"}]}`` (the shapes ibm-cloud-sdk-core's ``ApiException`` reads); other
    text is returned unchanged."""
    try:
        body = json.loads(detail or '')
    except ValueError:
        return detail
    if isinstance(body, dict):
        if body.get('errorMessage'):
            return ' '.join(str(part) for part in (body.get('errorCode'), body['errorMessage']) if part)
        errors = body.get('errors')
        if isinstance(errors, list) and errors and isinstance(errors[0], dict) and errors[0].get('message'):
            return ' '.join(str(part) for part in (errors[0].get('code'), errors[0]['message']) if part)
    return detail


class CaseManagementClient:
    """Authenticates with an IBM Cloud API key and creates cases and attachments."""

    def __init__(self, api_key, url=DEFAULT_URL, iam_url=DEFAULT_IAM_URL, validate_certs=True, ca_path=None,
                 timeout=60.0, retries=3, transport=None, sleep=None):
        self._api_key = api_key
        self._token = None
        self.url = url.rstrip('/')
        self.iam_url = iam_url
        kwargs = dict(validate_certs=validate_certs, ca_path=ca_path, timeout=timeout,
                      retry=RetryPolicy(retries=retries, max_wait=60.0), transport=transport)
        if sleep is not None:
            kwargs['sleep'] = sleep
        self._http = MasHttpClient(self.url, extra_secrets=(api_key,), **kwargs)

    @property
    def secrets(self):
        return tuple(s for s in (self._api_key, self._token) if s)

    def _call(self, method, url, hints=None, **kwargs):
        try:
            return self._http.request(method, url, **kwargs)
        except MasApiError as exc:
            hint = (hints or _HINTS).get(exc.status) or exc.hint
            detail = service_message(exc.detail)
            message = '%s failed%s%s%s.' % (exc.call, ': HTTP %s' % exc.status if exc.status else '',
                                            ' (%s)' % detail if detail else '',
                                            ' after %d attempts' % exc.attempts if exc.attempts > 1 else '')
            if hint:
                message += ' Hint: %s.' % hint.rstrip('.')
            raise CaseManagementError(redact_text(message, self.secrets), status=exc.status, call=exc.call)

    def _json(self, response, what):
        try:
            return response.json()
        except ValueError:
            raise CaseManagementError('%s: the answer was not JSON' % what)

    def token(self):
        if self._token is None:
            # The form IBM's own SDKs send (ibm-cloud-sdk-core IAMTokenManager).
            data = urlencode({'grant_type': 'urn:ibm:params:oauth:grant-type:apikey', 'apikey': self._api_key,
                              'response_type': 'cloud_iam'})
            response = self._call('POST', self.iam_url, data=data, idempotent=True, hints=_IAM_HINTS,
                                  headers={'Content-Type': 'application/x-www-form-urlencoded'})
            token = self._json(response, 'IAM token').get('access_token')
            if not token:
                raise CaseManagementError('IAM answered without an access_token')
            self._token = token
            self._http.secrets = self._http.secrets + (token,)
        return self._token

    def _auth(self):
        return {'Authorization': 'Bearer %s' % self.token()}

    def create_case(self, body):
        """Create the case; return its number."""
        response = self._call('POST', '%s/cases' % self.url, json_body=body, headers=self._auth(), expect=(200, 201))
        number = self._json(response, 'POST /cases').get('number')
        if not number:
            raise CaseManagementError('POST /cases answered without a case number')
        return str(number)

    def attach(self, number, name, data):
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise CaseManagementError("attachment '%s' has %d bytes; the Case Management API takes at most %d"
                                      % (name, len(data), MAX_ATTACHMENT_BYTES))
        content_type, body = multipart_file(name, data)
        headers = self._auth()
        headers['Content-Type'] = content_type
        self._call('PUT', '%s/cases/%s/attachments' % (self.url, number), data=body, headers=headers,
                   expect=(200, 201), idempotent=False)
