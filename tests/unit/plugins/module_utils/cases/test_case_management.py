# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Case Management request bodies (pure)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.cases.case_management import (
    MAX_SUBJECT, CaseManagementClient, CaseManagementError, create_case_body, multipart_file, service_message)

DOC = {'title': 'SMTP / outbound email activation', 'severity': 3}


def test_create_case_body_carries_the_rendered_case():
    body = create_case_body(DOC, '# text')
    assert body == {'type': 'technical', 'subject': DOC['title'], 'description': '# text', 'severity': 3}


def test_offering_is_sent_only_when_given():
    offering = {'name': 'Maximo Application Suite', 'type': {'group': 'crn_service_name', 'key': 'mas'}}
    assert create_case_body(DOC, 'x', offering=offering)['offering'] == offering


def test_long_subjects_are_cut():
    body = create_case_body(dict(DOC, title='x' * 300), 'x')
    assert len(body['subject']) == MAX_SUBJECT and body['subject'].endswith('...')


def test_case_type_is_checked():
    with pytest.raises(ValueError, match='case_type must be one of technical'):
        create_case_body(DOC, 'x', case_type='urgent')


def test_multipart_body_parses_back_to_the_file():
    data = b'\x00binary\r\n--not-a-boundary\r\n' * 3
    content_type, body = multipart_file('smtp "ca".pem', data)
    message = BytesParser(policy=HTTP).parsebytes(b'Content-Type: ' + content_type.encode() + b'\r\n\r\n' + body)
    parts = list(message.iter_parts())
    assert len(parts) == 1 and parts[0].get_param('name', header='content-disposition') == 'file'
    assert parts[0].get_filename() == 'smtp _ca_.pem' and parts[0].get_payload(decode=True) == data


class _Answer:
    def __init__(self, status, body):
        self.status_code = status
        self.text = body
        self.headers = {}

    def json(self):
        import json  # pylint: disable=import-outside-toplevel
        return json.loads(self.text)

    def close(self):
        pass


class _Transport:
    """A transport stand-in: records each request and answers from a list."""

    def __init__(self, answers):
        self.headers = {}
        self.answers = list(answers)
        self.sent = []

    def request(self, method, url, **kwargs):
        self.sent.append((method, url, kwargs))
        return self.answers.pop(0)


def test_token_form_is_the_one_ibms_sdk_sends():
    session = _Transport([_Answer(200, '{"access_token": "tok"}'), _Answer(200, '{"number": "CS1"}')])
    client = CaseManagementClient('key-123', iam_url='https://iam.example/identity/token', transport=session)
    assert client.create_case({'type': 'technical'}) == 'CS1'
    method, url, kwargs = session.sent[0]
    assert (method, url) == ('POST', 'https://iam.example/identity/token')
    assert parse_qs(kwargs['data']) == {'grant_type': ['urn:ibm:params:oauth:grant-type:apikey'],
                                        'apikey': ['key-123'], 'response_type': ['cloud_iam']}
    assert kwargs['headers']['Accept'] == 'application/json'
    assert session.sent[1][2]['headers']['Authorization'] == 'Bearer tok'


def test_an_api_key_iam_does_not_know_is_reported_as_refused():
    body = '{"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."}'
    client = CaseManagementClient('key-123', transport=_Transport([_Answer(400, body)]), retries=0)
    with pytest.raises(CaseManagementError, match="API key was refused: check 'ibmcloud_api_key'") as info:
        client.token()
    assert info.value.status == 400 and 'key-123' not in str(info.value)
    assert '(BXNIM0415E Provided API key could not be found.)' in str(info.value)


def test_service_messages_of_ibm_cloud_error_bodies():
    assert service_message('{"errors": [{"code": "bad_request", "message": "severity is invalid"}], '
                           '"status_code": 400}') == 'bad_request severity is invalid'
    assert service_message('{"errorMessage": "Grant type is not supported"}') == 'Grant type is not supported'
    assert service_message('Bad Gateway') == 'Bad Gateway' and service_message(None) is None
