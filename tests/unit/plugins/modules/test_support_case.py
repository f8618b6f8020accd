# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""support_case: the package on disk (idempotent, atomic, no secret), and submission to a local Case Management API."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import json
import os
import sys

import pytest

from ansible_collections.mas.dedicated.plugins.modules import support_case

TESTS = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
PASSWORD = 'unit-smtp-password-6c1f'
IBM_KEY = 'unit-ibmcloud-key-93ab51'


def smtp_args(tmp_path, **extra):
    cert = tmp_path / 'smtp-ca.pem'
    if not cert.exists():
        cert.write_text('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    args = {'kind': 'smtp_custom', 'dest': str(tmp_path / 'case'), 'instance': 'acme', 'environments': ['dev'],
            'production': False, 'smtp_password': PASSWORD,
            'details': {'host': 'smtp.acme.example', 'port': 465, 'user': 'mailer', 'certificate': str(cert),
                        'sender': 'maximo@acme.example'}}
    args.update(extra)
    return args


def tree(path):
    result = {}
    for root, dummy, files in os.walk(path):
        for name in files:
            full = os.path.join(root, name)
            with open(full, 'rb') as handle:
                result[os.path.relpath(full, path)] = handle.read()
    return result


def test_four_runs_check_apply_check_apply(run_module, tmp_path):
    args = smtp_args(tmp_path)
    first = run_module(support_case, dict(args, _ansible_check_mode=True))
    assert not first.failed and first.result['changed'] and not os.path.exists(args['dest'])
    assert first.result['files'] == ['SHA256SUMS', 'attachments/smtp-ca.pem', 'case.json', 'case.md']
    second = run_module(support_case, args)
    assert second.result['changed'] and sorted(tree(args['dest'])) == sorted(first.result['files'])
    snapshot = tree(args['dest'])
    third = run_module(support_case, dict(args, _ansible_check_mode=True))
    fourth = run_module(support_case, args)
    assert not third.result['changed'] and not fourth.result['changed'] and fourth.result['files'] == []
    assert tree(args['dest']) == snapshot


def test_package_content_and_checksums(run_module, tmp_path):
    args = smtp_args(tmp_path)
    outcome = run_module(support_case, args)
    files = tree(args['dest'])
    doc = json.loads(files['case.json'])
    cert = files['attachments/smtp-ca.pem']
    assert cert == (tmp_path / 'smtp-ca.pem').read_bytes()
    digest = hashlib.sha256(cert).hexdigest()
    assert doc['attachments'] == [{'name': 'smtp-ca.pem', 'sha256': digest, 'size': len(cert), 'field': 'certificate'}]
    assert files['SHA256SUMS'].decode() == '%s  attachments/smtp-ca.pem\n' % digest
    assert outcome.result['case'] == doc
    assert b'# SMTP / outbound email activation' in files['case.md']


def test_the_password_is_never_written_or_returned(run_module, tmp_path):
    args = smtp_args(tmp_path, _ansible_diff=True)
    outcome = run_module(support_case, args)
    assert PASSWORD not in repr(outcome.result)
    for name, data in tree(args['dest']).items():
        assert PASSWORD.encode() not in data, name
    assert 'SMTP password:** not included in this case' in outcome.result['diff']['after']


def test_a_secret_pasted_into_the_details_fails_without_writing(run_module, tmp_path):
    args = smtp_args(tmp_path)
    args['details']['user'] = 'mailer ' + PASSWORD
    outcome = run_module(support_case, args)
    assert outcome.failed and 'a secret value appears in the case content' in outcome.result['msg']
    assert PASSWORD not in repr(outcome.result) and not os.path.exists(args['dest'])


def test_a_changed_request_rewrites_and_drops_stale_attachments(run_module, tmp_path):
    args = smtp_args(tmp_path)
    run_module(support_case, args)
    args['details'].update(port=587)
    del args['details']['certificate']
    outcome = run_module(support_case, dict(args, _ansible_diff=True))
    assert outcome.result['changed'] and outcome.result['removed'] == ['attachments/smtp-ca.pem']
    assert '465' in outcome.result['diff']['before'] and '587' in outcome.result['diff']['after']
    assert 'attachments/smtp-ca.pem' not in tree(args['dest'])


def test_bad_request_fails_clearly_and_writes_nothing(run_module, tmp_path):
    args = smtp_args(tmp_path)
    del args['details']['certificate']
    outcome = run_module(support_case, args)
    assert outcome.failed and outcome.result['msg'].startswith('support case smtp_custom: SMTP over SSL (port 465)')
    assert not os.path.exists(args['dest'])


@pytest.mark.parametrize('script,message', [
    ('UPDATE WORKORDER SET STATUS = \'CLOSE\' WHERE WONUM = \'1001\';\n', None),
    ('CREATE TRIGGER T1 AFTER INSERT ON WORKORDER FOR EACH ROW BEGIN ATOMIC END;\n',
     'support case sql_script: the script cannot be requested: statement 1 (line 1, CREATE) creates or changes a trigger'),
])
def test_a_sql_script_case_checks_the_statements_of_its_script(run_module, tmp_path, script, message):
    path = tmp_path / 'close_wo.sql'
    path.write_text(script)
    args = {'kind': 'sql_script', 'dest': str(tmp_path / 'case'), 'environments': ['prod'], 'production': True,
            'details': {'script': str(path), 'description': 'Close stuck work orders',
                        'business_justification': 'Month-end backlog', 'technical_justification': 'No UI for it',
                        'offline_backup': True, 'tested_environment': 'test', 'tested_date': '2026-11-20'}}
    outcome = run_module(support_case, args)
    if message is None:
        assert not outcome.failed and 'attachments/close_wo.sql' in outcome.result['files']
    else:
        assert outcome.failed and outcome.result['msg'].startswith(message), outcome.result['msg']
        assert not os.path.exists(args['dest'])


def test_missing_attachment_file_fails(run_module, tmp_path):
    outcome = run_module(support_case, smtp_args(tmp_path, attachments=[str(tmp_path / 'nope.log')]))
    assert outcome.failed and "attachments[0] '%s' does not exist" % (tmp_path / 'nope.log') in outcome.result['msg']


def test_password_from_the_environment(run_module, tmp_path, monkeypatch):
    monkeypatch.setenv('MAS_SMTP_PASSWORD', PASSWORD)
    args = smtp_args(tmp_path)
    del args['smtp_password']
    assert not run_module(support_case, args).failed


@pytest.fixture
def case_api():
    sys.path.insert(0, TESTS)
    try:
        from sandbox import case_management
        from sandbox.core import App, serve_in_thread
    finally:
        sys.path.remove(TESTS)
    # Only the Case Management API of the sandbox: no S3 server needed here.
    app = App(IBM_KEY, {})
    case_management.register(app)
    server = serve_in_thread(app)
    yield server, app
    server.shutdown()
    server.server_close()


def submit_args(tmp_path, server, **extra):
    args = dict(submit=True, ibmcloud_api_key=IBM_KEY, case_management_url=server.url + '/case-management/v1',
                iam_url=server.url + '/identity/token')
    args.update(extra)
    return smtp_args(tmp_path, **args)


def test_submission_opens_one_case_with_its_attachments(run_module, tmp_path, case_api):
    server, app = case_api
    args = submit_args(tmp_path, server)
    check = run_module(support_case, dict(args, _ansible_check_mode=True))
    assert check.result['changed'] and not app.component('cases').cases
    first = run_module(support_case, args)
    assert first.result['changed'] and first.result['case_number'] == 'CS5000001'
    case = app.component('cases').cases['CS5000001']
    assert case['subject'] == 'SMTP / outbound email activation' and case['severity'] == 3
    assert case['type'] == 'technical' and PASSWORD not in case['description']
    assert case['description'] == tree(args['dest'])['case.md'].decode()
    cert = (tmp_path / 'smtp-ca.pem').read_bytes()
    assert case['attachments'] == [{'filename': 'smtp-ca.pem', 'size': len(cert),
                                    'sha256': hashlib.sha256(cert).hexdigest()}]
    again = run_module(support_case, args)
    assert not again.result['changed'] and again.result['case_number'] == 'CS5000001'
    assert len(app.component('cases').cases) == 1 and IBM_KEY not in repr(first.result)


def test_a_changed_package_is_not_submitted_twice(run_module, tmp_path, case_api):
    server, app = case_api
    args = submit_args(tmp_path, server)
    run_module(support_case, args)
    args['details']['user'] = 'other'
    outcome = run_module(support_case, args)
    assert outcome.failed and 'submitted as case CS5000001 and has changed since' in outcome.result['msg']
    assert len(app.component('cases').cases) == 1


def test_a_wrong_key_fails_with_a_hint_and_without_the_key(run_module, tmp_path, case_api):
    server, dummy = case_api
    outcome = run_module(support_case, submit_args(tmp_path, server, ibmcloud_api_key='wrong-ibm-key-1234'))
    assert outcome.failed and 'POST /identity/token failed: HTTP 400' in outcome.result['msg']
    assert 'wrong-ibm-key-1234' not in repr(outcome.result)
    assert not os.path.exists(os.path.join(tmp_path, 'case', 'submission.json'))


def test_submit_needs_the_key(run_module, tmp_path, monkeypatch):
    monkeypatch.delenv('IBMCLOUD_API_KEY', raising=False)
    outcome = run_module(support_case, smtp_args(tmp_path, submit=True))
    assert outcome.failed and 'submit=true needs ibmcloud_api_key' in outcome.result['msg']
