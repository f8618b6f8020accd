# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM's ibm-platform-services ``CaseManagementV1`` (with ibm-cloud-sdk-core's ``IAMAuthenticator``) against the
sandbox's IAM and Case Management routes, and the collection's own client beside it.

Nothing is faked: the SDK gets its IAM token from the sandbox's ``POST /identity/token`` (it decodes the JWT for
``iat``/``exp``), creates a case, uploads an attachment and reads the case back. The collection's
``CaseManagementClient`` (plugins/module_utils/cases/case_management.py) is driven against the same sandbox, and the
request log compares what each sends. Sources: ibm-platform-services 0.77.1 ``case_management_v1.py``
(``create_case``, ``upload_file``, ``get_case``, models ``Case``, ``Attachment``, ``Offering``), ibm-cloud-sdk-core
``IAMTokenManager`` / ``IAMRequestBasedTokenManager.request_token`` and ``JWTTokenManager._save_token_info``,
IBM's SDK example ``examples/test_case_management_v1_examples.py`` (type ``technical``, offering group
``crn_service_name``, the attachment's ``id``).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib

import pytest

pytest.importorskip('ibm_platform_services')
from ibm_cloud_sdk_core import ApiException  # noqa: E402 pylint: disable=wrong-import-position
from ibm_cloud_sdk_core.authenticators import IAMAuthenticator  # noqa: E402 pylint: disable=wrong-import-position
from ibm_platform_services.case_management_v1 import (  # noqa: E402 pylint: disable=wrong-import-position
    CaseManagementV1, Offering, OfferingType)


def sdk(sandbox, api_key=None):
    service = CaseManagementV1(authenticator=IAMAuthenticator(api_key or sandbox.api_key, url=sandbox.url))
    service.set_service_url(sandbox.url + '/case-management/v1')
    return service


def test_sdk_gets_an_iam_token_and_creates_a_case_with_an_attachment(sandbox):
    service = sdk(sandbox)
    offering = Offering(name='Maximo Application Suite', type=OfferingType(group='crn_service_name', key='mas'))
    case = service.create_case(type='technical', subject='SMTP / outbound email activation',
                               description='Please enable the SMTP relay.', severity=3, offering=offering).get_result()
    assert case['number'] and case['short_description'] == 'SMTP / outbound email activation'
    assert case['severity'] == 3 and case['offering']['type']['key'] == 'mas'
    data = b'-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
    attachment = service.upload_file(case['number'], [{'data': data, 'filename': 'smtp-ca.pem',
                                                       'content_type': 'application/x-pem-file'}]).get_result()
    assert attachment['id'] and attachment['filename'] == 'smtp-ca.pem' and attachment['size_in_bytes'] == len(data)
    again = service.get_case(case['number']).get_result()
    assert [a['filename'] for a in again['attachments']] == ['smtp-ca.pem']
    held = [c for c in sandbox.app.component('cases').cases.values() if c['number'] == case['number']][0]
    assert held['attachments'][0]['sha256'] == hashlib.sha256(data).hexdigest()


def test_sdk_with_an_unknown_key_gets_iams_400(sandbox):
    with pytest.raises(ApiException) as info:
        sdk(sandbox, api_key='not-a-key').create_case(type='technical', subject='s', description='d', severity=4)
    assert info.value.status_code == 400 and 'BXNIM0415E' in (info.value.http_response.text or '')


def test_sdk_refuses_nothing_the_collection_sends_and_both_send_the_same_shapes(sandbox, module_utils):
    """The collection's client and the SDK, one after the other: same token form, same create and attach shapes."""
    case_management = module_utils('cases.case_management')
    sandbox.app.requests.clear()
    client = case_management.CaseManagementClient(sandbox.api_key, url=sandbox.url + '/case-management/v1',
                                                  iam_url=sandbox.url + '/identity/token', retries=0)
    body = case_management.create_case_body({'title': 'Collection case', 'severity': 4}, 'text')
    number = client.create_case(body)
    client.attach(number, 'case.md', b'# case\n')
    ours = sandbox.app.requests.listing()
    sandbox.app.requests.clear()
    service = sdk(sandbox)
    number2 = service.create_case(**body).get_result()['number']
    service.upload_file(number2, [{'data': b'# case\n', 'filename': 'case.md'}])
    theirs = sandbox.app.requests.listing()
    assert [(e['method'], e['path'].replace(number, 'N'), e['status']) for e in ours] == \
        [(e['method'], e['path'].replace(number2, 'N'), e['status']) for e in theirs]
    for mine, sdks in zip(ours, theirs):
        # Every header the SDK sends (but its own user agent and analytics header, and requests' hop-by-hop
        # "Connection: keep-alive", which HTTP/1.1 assumes) the collection sends too.
        missing = set(sdks['headers']) - set(mine['headers']) - {'x-ibmcloud-sdk-analytics', 'user-agent', 'connection'}
        assert not missing, (mine['path'], missing)
    held = sandbox.app.component('cases').cases
    assert held[number]['subject'] == held[number2]['subject'] == 'Collection case'


def test_collection_reports_an_unknown_key_as_a_refused_key(sandbox, module_utils):
    case_management = module_utils('cases.case_management')
    client = case_management.CaseManagementClient('not-a-key', url=sandbox.url + '/case-management/v1',
                                                  iam_url=sandbox.url + '/identity/token', retries=0)
    with pytest.raises(case_management.CaseManagementError) as info:
        client.create_case({'type': 'technical', 'subject': 's', 'description': 'd', 'severity': 4})
    assert info.value.status == 400 and 'API key was refused' in str(info.value) and 'not-a-key' not in str(info.value)
