#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: support_case
short_description: Render the support case a MAS Dedicated request needs, checked against the support guide
version_added: 1.0.0
author:
  - mas.dedicated maintainers (@mas-dedicated)
description:
  - MAS Dedicated customers ask IBM for SMTP, LDAP, SAML, VPN and database changes by opening a support case that
    carries what the support guide lists for that kind of request. This module checks the request against the guide
    (required content, formats, the access rules, the severity rules) and writes a package directory for it.
  - "The package in O(dest): C(case.md) (the case text, Markdown), C(case.json) (the same as data),
    C(attachments/) (copies of the files to attach) and C(SHA256SUMS) (C(sha256sum -c) input). Files are written
    atomically and only when their content changes, so an unchanged request reports no change."
  - Secrets (O(smtp_password), O(ldap_bind_password)) are checked to be given but never written; the case says they
    are handed over separately, through O(handover). A request whose content holds a secret value fails.
  - Severity 1 is only for production outages (O(kind=incident) with O(production=true) and
    C(service_down=true)); such a case includes the off-shift weekend/holiday steps.
  - With O(submit=true) the case is also opened through the IBM Cloud Case Management API. That API serves IBM Cloud
    accounts only; customers whose support runs through the IBM Support portal paste C(case.md) there instead.
options:
  kind:
    description:
      - "What is requested; O(details) holds its content:"
      - "V(smtp_relay): domain authentication for the provided SMTP relay. C(domains) (list), C(dns_contact)
        (C(name), C(email), C(phone)), C(sendgrid_dkim_exists)."
      - "V(smtp_custom): your own SMTP server. C(host), C(port), C(user), C(sender), C(ssl), C(certificate) (a file,
        required for SMTP over SSL / port 465); the password in O(smtp_password)."
      - "V(ldap_sync): C(url) (C(ldaps://hostname:port) only), C(bind_dn), C(base_dn), C(user_id_map), C(user)
        (C(base_dn), C(id_map), C(filter)), C(group) (C(base_dn), C(filter), C(id_map), C(member_id_map)),
        C(schedule), C(identity_provider), C(default_permissions), C(ca_certificate) (a file), C(vpn_case); the bind
        password in O(ldap_bind_password)."
      - "V(saml_sso): C(name_id_format), one of the nine formats of the guide (V(email), V(customize), V(encrypted),
        V(entity), V(kerberos), V(persistent), V(unspecified), V(windowsDomainQualifiedName), V(x509SubjectName)) or
        its URN in the SAML 1.1 or the SAML 2.0 spelling (C(urn:oasis:names:tc:SAML:2.0:nameid-format:persistent)
        as identity providers print it, or C(urn:oasis:names:tc:SAML:1.1:nameid-format:persistent) as the guide
        does); the case carries the guide's name and spelling (C(fields.name_id_format_urn) of RV(case)) and, when the
        given URN is spelled otherwise, names that one too (C(name_id_format_given)); C(custom_name_id_format) for
        V(customize); C(idp_metadata) (a file)."
      - "V(vpn): C(peers) (C(address), C(name), C(device)), C(customer_subnets), C(mas_subnets), C(direction)
        (V(mas_to_customer), V(customer_to_mas), V(both)), C(traffic) (C(protocol), C(ports), C(purpose)),
        C(network_contact), C(needed_by). One case covers all O(environments)."
      - "V(db_access): C(access) (V(read) or V(write)), C(users), C(reason), C(ssp_job) (C(id), C(error), C(date)),
        C(replica), C(replica_host), C(connection), C(ask_db2_version). Accounts are requested in the Self Service
        Portal: a case is for a failed SSP job. Production write access is refused; production read needs the
        ordered read replica."
      - "V(sql_script): a SQL script for IBM SRE to run in production. C(script) (a file), C(description),
        C(business_justification), C(technical_justification) (why the Maximo front end cannot do it),
        C(offline_backup) (must be true), C(tested_environment) and C(tested_date) (the non-production test). The
        script's statements are checked as M(mas.dedicated.sql_script_request) checks them (no DBC script, trigger,
        procedure, explain plan or schema change); that module also builds a fuller package with a test run."
      - "V(incident): C(summary), C(description), C(business_impact), C(service_down), C(started), C(steps_taken),
        C(related_case). The only kind that may be severity 1."
    type: str
    required: true
    choices: [smtp_relay, smtp_custom, ldap_sync, saml_sso, vpn, db_access, sql_script, incident]
  details:
    description:
      - The content of the request, as listed under O(kind). Unknown keys fail (they are usually typos), and so do
        keys that look like secrets.
      - File fields (C(certificate), C(ca_certificate), C(idp_metadata)) are local paths, absolute or relative to the
        working directory of the task; the file is copied into C(attachments/).
    type: dict
    default: {}
  dest:
    description:
      - The package directory; created if missing. Files of the package that are no longer part of it (an
        attachment that was removed) are deleted from it.
    type: path
    required: true
  severity:
    description:
      - The case severity (1 critical / service down, 2 significant, 3 minor, 4 inquiry). Defaults to V(3) for
        requests; required for O(kind=incident).
    type: int
    choices: [1, 2, 3, 4]
  title:
    description:
      - The case title. Defaults to the title the support guide asks for (C(SMTP / outbound email activation) for
        the SMTP kinds).
    type: str
  instance:
    description:
      - The instance name from the Welcome Letter.
      - If not set, the environment variable E(MAS_INSTANCE) is used.
    type: str
  environments:
    description:
      - The environments the request is for (one for V(db_access), all covered ones for V(vpn)).
    type: list
    elements: str
    default: []
  production:
    description:
      - Whether the environment (any of O(environments)) is production. Unset counts as production for the
        database access rules, but severity 1 needs an explicit V(true).
      - If not set, the environment variable E(MAS_PRODUCTION) is used; only V(false), V(no), V(off), V(0), V(n) or
        V(f) (any case) there declare a non-production environment; an empty or any other value means production.
    type: bool
  contact:
    description:
      - The customer contact for the case (C(name), C(email), C(phone)).
    type: dict
  attachments:
    description:
      - More local files to attach (logs, screenshots ...), besides the kind's own file fields.
    type: list
    elements: path
    default: []
  smtp_password:
    description:
      - The SMTP password, for O(kind=smtp_custom). Never written into the package or the results.
      - If not set, the environment variable E(MAS_SMTP_PASSWORD) is used.
    type: str
  ldap_bind_password:
    description:
      - The LDAP bind password, for O(kind=ldap_sync). Never written into the package or the results.
      - If not set, the environment variable E(MAS_LDAP_BIND_PASSWORD) is used.
    type: str
  handover:
    description:
      - How the secrets will be handed to IBM, as said in the case text.
    type: str
    default: a secure channel agreed with the IBM SRE team on this case
  submit:
    description:
      - Also open the case through the IBM Cloud Case Management API (IBM Cloud accounts only) and upload the
        attachments. The case number is kept in C(submission.json) of the package, so a later run does not open the
        case again; a run whose package changed after submission fails instead of opening a second case.
    type: bool
    default: false
  ibmcloud_api_key:
    description:
      - An IBM Cloud API key allowed to open support cases, for O(submit=true). Never logged.
      - If not set, the environment variable E(IBMCLOUD_API_KEY) is used.
    type: str
  case_management_url:
    description:
      - The Case Management API base URL.
    type: str
    default: https://support-center.cloud.ibm.com/case-management/v1
  iam_url:
    description:
      - The IBM Cloud IAM token URL.
    type: str
    default: https://iam.cloud.ibm.com/identity/token
  case_type:
    description:
      - The Case Management case type.
    type: str
    choices: [technical, account_and_access, billing_and_invoice, sales]
    default: technical
  offering:
    description:
      - The Case Management C(offering) object (C(name), C(type) with C(group), C(key), C(kind), C(id)). Which
        offering MAS Dedicated cases belong to is not documented; it is sent only when given.
    type: dict
  validate_certs:
    description:
      - Verify TLS certificates of the IAM and Case Management endpoints.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for one HTTP answer.
      - From 1 to 3,600; a value outside is refused before anything is sent.
    type: float
    default: 60
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - mas.dedicated.attributes
attributes:
  check_mode:
    support: full
    details:
      - Nothing is written and nothing is submitted; the result says what would change.
  diff_mode:
    support: full
    details:
      - The diff shows C(case.md) before and after.
notes:
  - The support guide's rules behind each check are quoted in the package's notes; see also docs/contracts.md.
seealso:
  - name: MAS Dedicated support
    description: The support guide (severities, SMTP, LDAP, SAML, VPN, database access).
    link: https://cloud.ibm.com/docs/mas-ms?topic=mas-ms-support
  - name: IBM Cloud Case Management API
    description: Opening cases programmatically (IBM Cloud accounts).
    link: https://cloud.ibm.com/apidocs/case-management
'''

EXAMPLES = r'''
- name: Own SMTP server over SSL; the password comes from the vault and is never written
  mas.dedicated.support_case:
    kind: smtp_custom
    dest: cases/acme-smtp
    instance: acme
    environments: [dev, test, prod]
    details:
      host: smtp.acme.example
      port: 465
      user: mas-mailer
      certificate: files/smtp-ca.pem
      sender: maximo@acme.example
    smtp_password: "{{ vault_smtp_password }}"

- name: SAML with e-mail Name IDs
  mas.dedicated.support_case:
    kind: saml_sso
    dest: cases/acme-saml
    instance: acme
    details:
      name_id_format: email

- name: A production outage, opened through the IBM Cloud Case Management API
  mas.dedicated.support_case:
    kind: incident
    severity: 1
    production: true
    environments: [prod]
    dest: cases/acme-outage
    details:
      summary: Manage UI down for all users
      description: Every login ends in HTTP 503 since 07:10 UTC.
      business_impact: No work orders can be dispatched at any site.
      service_down: true
    submit: true
    ibmcloud_api_key: "{{ vault_ibmcloud_api_key }}"
'''

RETURN = r'''
dest:
  description: The package directory.
  returned: always
  type: str
files:
  description: The package files (relative to O(dest)) written, or that would be written in check mode.
  returned: always
  type: list
  elements: str
removed:
  description: Package files deleted because they are no longer part of it.
  returned: always
  type: list
  elements: str
case:
  description: The JSON form of the case (C(case.json)); never holds a secret.
  returned: always
  type: dict
attachments:
  description: The attachments with their C(name), C(sha256), C(size) and C(field).
  returned: always
  type: list
  elements: dict
submitted:
  description: Whether the case was opened through the Case Management API (now or by an earlier run).
  returned: always
  type: bool
case_number:
  description: The Case Management case number.
  returned: when submitted
  type: str
'''

import json
import os

from ansible.module_utils.basic import env_fallback

from ansible_collections.mas.dedicated.plugins.module_utils.cases import case_kinds
from ansible_collections.mas.dedicated.plugins.module_utils.cases.case_management import (
    DEFAULT_IAM_URL, DEFAULT_URL, CaseManagementClient, CaseManagementError, create_case_body)
from ansible_collections.mas.dedicated.plugins.module_utils.common.environment import env_true_unless_false
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError, ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import atomic_write, sha256_bytes, write_package
from ansible_collections.mas.dedicated.plugins.module_utils.common.module_runner import MasModule

SUBMISSION = 'submission.json'
SECRET_OPTIONS = ('smtp_password', 'ldap_bind_password', 'ibmcloud_api_key')


def read_attachment(path):
    if not os.path.isfile(path):
        raise RefusedError("attachment '%s' is not a readable file" % path)
    with open(path, 'rb') as handle:
        data = handle.read()
    return data


def build_package(mas):
    """The Case document and {relative path: bytes} of the whole package; RefusedError when the request is wrong."""
    params = mas.params
    request = case_kinds.Request(
        params['kind'], details=params['details'], instance=params['instance'],
        environments=params['environments'], production=params['production'], severity=params['severity'],
        title=params['title'], contact=params['contact'], secret_channel=params['handover'],
        secrets=dict((name, params.get(name)) for name in SECRET_OPTIONS))
    content = {}
    try:
        case = case_kinds.build(request)
        meta = {}
        for field, name in case_kinds.attachment_names(case).items():
            data = read_attachment(case.values[field])
            content['attachments/' + name] = data
            meta[field] = {'name': name, 'sha256': sha256_bytes(data), 'size': len(data)}
            case.kind.check_attachment(field, data, name)
        extra = []
        for path in params['attachments']:
            data = read_attachment(path)
            name = os.path.basename(path)
            if 'attachments/' + name in content:
                raise case_kinds.CaseError("two attachments are named '%s': rename one" % name)
            content['attachments/' + name] = data
            extra.append({'name': name, 'sha256': sha256_bytes(data), 'size': len(data)})
        request.attachments = extra
        doc = case_kinds.document(case, meta)
    except case_kinds.CaseError as exc:
        raise RefusedError('support case %s: %s' % (params['kind'], exc))
    markdown = case_kinds.render_markdown(doc)
    json_text = case_kinds.render_json(doc)
    for secret in mas.secrets:
        if len(secret) >= 4 and (secret in markdown or secret in json_text):
            raise RefusedError('a secret value appears in the case content (check details, title and contact): '
                               'secrets are given only in smtp_password / ldap_bind_password and are never written')
    content['case.md'] = markdown.encode('utf-8')
    content['case.json'] = json_text.encode('utf-8')
    content['SHA256SUMS'] = case_kinds.render_checksums(doc).encode('utf-8')
    return doc, content


def stale_files(dest, content):
    """Package files on disk that the package no longer has (only under attachments/)."""
    folder = os.path.join(dest, 'attachments')
    if not os.path.isdir(folder):
        return []
    return sorted('attachments/' + name for name in os.listdir(folder)
                  if os.path.isfile(os.path.join(folder, name)) and 'attachments/' + name not in content)


def read_text(path):
    if not os.path.isfile(path):
        return ''
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def read_submission(dest):
    path = os.path.join(dest, SUBMISSION)
    if not os.path.isfile(path):
        return None
    with open(path, encoding='utf-8') as handle:
        return json.load(handle)


def submit(mas, dest, doc, content, previous):
    """Open the case (unless ``previous`` already did) and upload the attachments it lacks."""
    params = mas.params
    package_sha = sha256_bytes(content['case.json'])
    if previous and previous.get('package_sha256') != package_sha:
        raise RefusedError('this package was submitted as case %s and has changed since: add the changes to that case '
                           'in the portal, or render the new request into a new dest' % previous.get('case_number'))
    record = dict(previous or {}, package_sha256=package_sha)
    record.setdefault('attachments_uploaded', [])
    missing = [a['name'] for a in doc['attachments'] if a['name'] not in record['attachments_uploaded']]
    if previous and previous.get('case_number') and not missing:
        return False, record
    if mas.check_mode:
        return True, record
    if not params['ibmcloud_api_key']:
        raise RefusedError('submit=true needs ibmcloud_api_key (or IBMCLOUD_API_KEY): an IBM Cloud API key allowed to '
                           'open support cases')
    client = CaseManagementClient(params['ibmcloud_api_key'], url=params['case_management_url'],
                                  iam_url=params['iam_url'], validate_certs=params['validate_certs'],
                                  timeout=params['timeout'])
    # Its IAM access token, once it has one, is redacted like the options.
    mas.add_secret_source(client)
    try:
        if not record.get('case_number'):
            body = create_case_body(doc, content['case.md'].decode('utf-8'), params['case_type'], params['offering'])
            record['case_number'] = client.create_case(body)
            write_submission(mas, dest, record)
        for name in missing:
            client.attach(record['case_number'], name, content['attachments/' + name])
            record['attachments_uploaded'].append(name)
            write_submission(mas, dest, record)
    except CaseManagementError as exc:
        # The failed result says which case was opened before the failure.
        raise ServiceError(str(exc), error=exc.to_dict(), case_number=record.get('case_number'))
    return True, record


def write_submission(mas, dest, record):
    atomic_write(os.path.join(dest, SUBMISSION), [(json.dumps(record, indent=2, sort_keys=True) + '\n').encode('utf-8')],
                 mode=0o640, module=mas.module)


def run(mas):
    params = mas.params
    dest = os.path.abspath(params['dest'])
    doc, content = build_package(mas)

    before_md = read_text(os.path.join(dest, 'case.md'))
    try:
        changes = write_package(dest, content, check_mode=mas.check_mode, mode=0o640, dir_mode=0o750,
                                module=mas.module)
        removed = stale_files(dest, content)
        if not mas.check_mode:
            for name in removed:
                os.unlink(os.path.join(dest, name))
    except OSError as exc:
        raise RefusedError('cannot write the package in %s: %s' % (dest, exc))
    written = sorted(name for name, changed in changes.items() if changed)
    changed = bool(written or removed)
    previous = read_submission(dest)
    result = {'dest': dest, 'files': written, 'removed': removed, 'case': doc, 'attachments': doc['attachments'],
              'submitted': bool(previous and previous.get('case_number'))}
    if params['submit']:
        submitted_now, record = submit(mas, dest, doc, content, previous)
        changed = changed or submitted_now
        result['submitted'] = bool(record.get('case_number')) or (submitted_now and mas.check_mode)
        if record.get('case_number'):
            result['case_number'] = record['case_number']
    if mas.module._diff:
        result['diff'] = {'before_header': os.path.join(dest, 'case.md'), 'after_header': os.path.join(dest, 'case.md'),
                          'before': before_md, 'after': content['case.md'].decode('utf-8')}
    result['changed'] = changed
    return result


def main():
    mas = MasModule(
        dict(
            kind=dict(type='str', required=True, choices=list(case_kinds.KINDS)),
            details=dict(type='dict', default={}),
            dest=dict(type='path', required=True),
            severity=dict(type='int', choices=[1, 2, 3, 4]),
            title=dict(type='str'),
            instance=dict(type='str', fallback=(env_fallback, ['MAS_INSTANCE'])),
            environments=dict(type='list', elements='str', default=[]),
            production=dict(type='bool', fallback=(env_true_unless_false, ['MAS_PRODUCTION'])),
            contact=dict(type='dict'),
            attachments=dict(type='list', elements='path', default=[]),
            smtp_password=dict(type='str', no_log=True, fallback=(env_fallback, ['MAS_SMTP_PASSWORD'])),
            ldap_bind_password=dict(type='str', no_log=True, fallback=(env_fallback, ['MAS_LDAP_BIND_PASSWORD'])),
            handover=dict(type='str', default='a secure channel agreed with the IBM SRE team on this case'),
            submit=dict(type='bool', default=False),
            ibmcloud_api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['IBMCLOUD_API_KEY'])),
            case_management_url=dict(type='str', default=DEFAULT_URL),
            iam_url=dict(type='str', default=DEFAULT_IAM_URL),
            case_type=dict(type='str', default='technical',
                           choices=['technical', 'account_and_access', 'billing_and_invoice', 'sales']),
            offering=dict(type='dict'),
            validate_certs=dict(type='bool', default=True),
            timeout=dict(type='float', default=60.0),
        ),
        path_kinds={'dest': 'directory'}, environment=False,
    )
    # The case is refused when its content holds a secret; these are never shown, in the result or elsewhere.
    for name in SECRET_OPTIONS:
        mas.add_secret(mas.params.get(name))
    for value in case_kinds.secret_values(mas.params['details']):
        mas.add_secret(value)
    mas.run(lambda: run(mas))


if __name__ == '__main__':
    main()
