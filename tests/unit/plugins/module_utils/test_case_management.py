# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Case Management request bodies (pure)."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from email.parser import BytesParser
from email.policy import HTTP

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.case_management import (
    MAX_SUBJECT, create_case_body, multipart_file)

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
