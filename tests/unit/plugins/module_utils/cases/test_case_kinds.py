# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Support-case kinds against the support guide: required content, formats, severity and access rules."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import copy
import json

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.cases import case_kinds
from ansible_collections.mas.dedicated.plugins.module_utils.cases.case_kinds import CaseError, Request

CONTACT = {'name': 'Dana DNS', 'email': 'dana@acme.example'}
DETAILS = {
    'smtp_relay': {'domains': ['acme.example'], 'dns_contact': CONTACT},
    'smtp_custom': {'host': 'smtp.acme.example', 'port': 587, 'user': 'mailer', 'sender': 'maximo@acme.example'},
    'ldap_sync': {
        'url': 'ldaps://ldap.acme.example:636', 'bind_dn': 'cn=bind,ou=svc,dc=acme,dc=example',
        'base_dn': 'dc=acme,dc=example', 'user_id_map': 'uid',
        'user': {'base_dn': 'ou=people,dc=acme,dc=example', 'id_map': 'uid', 'filter': '(objectClass=person)'},
        'group': {'base_dn': 'ou=groups,dc=acme,dc=example', 'filter': '(objectClass=groupOfNames)', 'id_map': 'cn',
                  'member_id_map': 'member'},
        'schedule': 'every 6 hours', 'identity_provider': 'acme-ldap', 'default_permissions': ['MAXEVERYONE']},
    'saml_sso': {'name_id_format': 'email'},
    'vpn': {'peers': [{'address': '203.0.113.10', 'name': 'fw-1'}], 'customer_subnets': ['10.20.0.0/16'],
            'direction': 'both', 'network_contact': CONTACT},
    'db_access': {'access': 'read', 'users': ['JDOE'], 'reason': 'reporting',
                  'ssp_job': {'id': 'SSP-1234', 'error': 'job failed: timeout'}},
    'incident': {'summary': 'Manage UI down', 'description': 'HTTP 503 on login', 'business_impact': 'no dispatch'},
    'sql_script': {'script': 'close_wo.sql', 'description': 'Close stuck work orders',
                   'business_justification': 'Month-end backlog', 'technical_justification': 'Parents were removed',
                   'offline_backup': True, 'tested_environment': 'test', 'tested_date': '2026-11-20'},
}
SECRETS = {'smtp_custom': {'smtp_password': 's3cret-smtp-pw'}, 'ldap_sync': {'ldap_bind_password': 's3cret-bind'}}


def make(kind, details=None, **kwargs):
    kwargs.setdefault('secrets', SECRETS.get(kind, {}))
    if kind == 'incident':
        kwargs.setdefault('severity', 3)
    if kind == 'sql_script':
        kwargs.setdefault('environments', ['prod'])
        kwargs.setdefault('production', True)
    kwargs.setdefault('environments', ['dev'])
    kwargs.setdefault('production', False)
    return Request(kind, details=copy.deepcopy(DETAILS[kind] if details is None else details), **kwargs)


def render(request, meta=None):
    doc = case_kinds.document(case_kinds.build(request), meta or {})
    return doc, case_kinds.render_markdown(doc)


def with_(kind, **changes):
    details = copy.deepcopy(DETAILS[kind])
    for key, value in changes.items():
        if value is None:
            details.pop(key, None)
        else:
            details[key] = value
    return details


def test_every_documented_kind_is_registered():
    assert set(case_kinds.KINDS) == {'smtp_relay', 'smtp_custom', 'ldap_sync', 'saml_sso', 'vpn', 'db_access',
                                     'incident', 'sql_script'}


@pytest.mark.parametrize('kind', sorted(DETAILS))
def test_each_kind_renders_with_its_required_content(kind):
    doc, text = render(make(kind))
    assert text.startswith('# ')
    assert json.loads(case_kinds.render_json(doc)) == doc
    assert case_kinds.SSP_NOTE in doc['notes']


@pytest.mark.parametrize('kind', sorted(DETAILS))
def test_each_required_field_is_enforced(kind):
    for field in [f for f in case_kinds.KINDS[kind].fields if f.required]:
        with pytest.raises(CaseError, match='missing %s' % field.name):
            case_kinds.build(make(kind, with_(kind, **{field.name: None})))


@pytest.mark.parametrize('kind', sorted(DETAILS))
def test_rendering_is_stable(kind):
    assert render(make(kind))[1] == render(make(kind))[1]
    assert case_kinds.render_json(render(make(kind))[0]) == case_kinds.render_json(render(make(kind))[0])


def test_unknown_detail_is_refused_with_the_known_names():
    with pytest.raises(CaseError, match=r'unknown entry domian: the known ones are domains'):
        case_kinds.build(make('smtp_relay', with_('smtp_relay', domian='x')))


@pytest.mark.parametrize('key', ['password', 'smtp_password', 'bind_password', 'api_key', 'secret'])
def test_secret_looking_details_are_refused(key):
    with pytest.raises(CaseError, match='looks like a secret'):
        case_kinds.build(make('smtp_custom', with_('smtp_custom', **{key: 'x'})))


# ---- SMTP [doc: "SMTP Setup"] -----------------------------------------------------------------------------

def test_smtp_cases_carry_the_documented_title():
    assert render(make('smtp_relay'))[0]['title'] == 'SMTP / outbound email activation'
    assert render(make('smtp_custom'))[0]['title'] == 'SMTP / outbound email activation'


def test_smtp_relay_asks_domain_authentication_and_names_the_dns_contact():
    doc, text = render(make('smtp_relay', with_('smtp_relay', domains=['acme.example', 'mail.acme.example'])))
    assert 'Please initiate domain authentication for acme.example, mail.acme.example' in text
    assert 'Dana DNS <dana@acme.example>' in text
    assert not any('unique DKIM selector' in n for n in doc['notes'])


def test_smtp_relay_mentions_existing_sendgrid_dkim():
    doc = render(make('smtp_relay', with_('smtp_relay', sendgrid_dkim_exists=True)))[0]
    assert any('unique DKIM selector' in n for n in doc['notes'])


@pytest.mark.parametrize('domain', ['acme', 'not a domain', '10.0.0.1', '-acme.example'])
def test_smtp_relay_refuses_bad_domains(domain):
    with pytest.raises(CaseError, match='domains'):
        case_kinds.build(make('smtp_relay', with_('smtp_relay', domains=[domain])))


def test_smtp_relay_contact_needs_an_email():
    with pytest.raises(CaseError, match="dns_contact.email 'dana' is not an email"):
        case_kinds.build(make('smtp_relay', with_('smtp_relay', dns_contact={'name': 'Dana', 'email': 'dana'})))


def test_smtp_custom_lists_the_documented_fields_and_never_the_password():
    doc, text = render(make('smtp_custom'))
    for label in ('SMTP hostname:** smtp.acme.example', 'SMTP port:** 587', 'SMTP user:** mailer',
                  'Sender address (MAS sends from / as):** maximo@acme.example'):
        assert label in text
    assert 's3cret-smtp-pw' not in text and 's3cret-smtp-pw' not in case_kinds.render_json(doc)
    assert 'SMTP password:** not included in this case' in text
    assert any('3 DNS records' in n for n in doc['notes'])


def test_smtp_custom_needs_the_password():
    with pytest.raises(CaseError, match='smtp_password is required'):
        case_kinds.build(make('smtp_custom', secrets={}))


def test_smtp_port_465_needs_the_certificate():
    with pytest.raises(CaseError, match='port 465.*needs the SMTP SSL certificate'):
        case_kinds.build(make('smtp_custom', with_('smtp_custom', port=465)))
    case = case_kinds.build(make('smtp_custom', with_('smtp_custom', port=465, certificate='/x/smtp.pem')))
    assert case.values['ssl'] is True and case.attachment_sources() == {'certificate': '/x/smtp.pem'}


def test_smtp_ssl_on_another_port_needs_the_certificate_too():
    with pytest.raises(CaseError, match='needs the SMTP SSL certificate'):
        case_kinds.build(make('smtp_custom', with_('smtp_custom', port=2465, ssl=True)))


def test_smtp_port_465_without_ssl_is_a_contradiction():
    with pytest.raises(CaseError, match='port 465 is SMTP over SSL'):
        case_kinds.build(make('smtp_custom', with_('smtp_custom', port=465, ssl=False, certificate='/x.pem')))


@pytest.mark.parametrize('port', [0, 70000, 'smtp', True])
def test_smtp_port_must_be_a_port(port):
    with pytest.raises(CaseError, match='port'):
        case_kinds.build(make('smtp_custom', with_('smtp_custom', port=port)))


def test_smtp_sender_must_be_an_address():
    with pytest.raises(CaseError, match="sender 'maximo' is not an email address"):
        case_kinds.build(make('smtp_custom', with_('smtp_custom', sender='maximo')))


def test_certificate_is_listed_with_its_checksum():
    meta = {'certificate': {'name': 'smtp.pem', 'sha256': 'a' * 64, 'size': 12}}
    doc, text = render(make('smtp_custom', with_('smtp_custom', port=465, certificate='/x/smtp.pem')), meta)
    assert doc['attachments'] == [{'name': 'smtp.pem', 'sha256': 'a' * 64, 'size': 12, 'field': 'certificate'}]
    assert doc['fields']['certificate'] == 'attachments/smtp.pem'
    assert '| smtp.pem | `%s` | 12 |' % ('a' * 64) in text
    assert case_kinds.render_checksums(doc) == '%s  attachments/smtp.pem\n' % ('a' * 64)


# ---- LDAP [doc: "LDAP user registry synchronization"] ------------------------------------------------------

def test_ldap_lists_every_parameter_of_the_guide():
    text = render(make('ldap_sync'))[1]
    for label in ('URL', 'Bind DN', 'Base DN', 'User ID map', 'User base DN', 'User filter', 'Group base DN',
                  'Group filter', 'Group ID map', 'Group member ID map', 'Synchronization schedule',
                  'Identity provider', 'Default permissions'):
        assert '**%s' % label in text, label
    assert 'Bind password:** not included' in text and 's3cret-bind' not in text


@pytest.mark.parametrize('url,message', [
    ('ldap://ldap.acme.example:389', 'plain ldap://'),
    ('ldaps://ldap.acme.example', 'ldaps://hostname:port'),
    ('https://ldap.acme.example:636', 'ldaps://hostname:port'),
    ('ldaps://ldap.acme.example:99999', 'port'),
])
def test_ldap_url_must_be_ldaps_with_a_port(url, message):
    with pytest.raises(CaseError, match=message):
        case_kinds.build(make('ldap_sync', with_('ldap_sync', url=url)))


def test_ldap_group_map_is_required():
    details = with_('ldap_sync')
    del details['group']['member_id_map']
    with pytest.raises(CaseError, match='missing group.member_id_map'):
        case_kinds.build(make('ldap_sync', details))


def test_ldap_dns_are_checked():
    with pytest.raises(CaseError, match='bind_dn .* is not an LDAP distinguished name'):
        case_kinds.build(make('ldap_sync', with_('ldap_sync', bind_dn='admin')))


def test_ldap_needs_the_bind_password():
    with pytest.raises(CaseError, match='ldap_bind_password is required'):
        case_kinds.build(make('ldap_sync', secrets={}))


def test_ldap_notes_the_vpn_until_a_vpn_case_is_given():
    assert any('site-to-site VPN is required' in n for n in render(make('ldap_sync'))[0]['notes'])
    doc, text = render(make('ldap_sync', with_('ldap_sync', vpn_case='TS0001')))
    assert 'Site-to-site VPN case:** TS0001' in text
    assert not any('VPN is required' in n for n in doc['notes'])


# ---- SAML [doc: the nine Name ID formats] -------------------------------------------------------------------

def test_the_nine_name_id_formats_of_the_guide():
    assert len(case_kinds.NAME_ID_FORMATS) == 9


@pytest.mark.parametrize('key', [k for k in case_kinds.NAME_ID_FORMATS if k != 'customize'])
def test_each_name_id_format_renders_its_urn(key):
    for given in (key, case_kinds.NAME_ID_FORMATS[key], key.upper()):
        doc, text = render(make('saml_sso', {'name_id_format': given}))
        assert doc['fields']['name_id_format'] == key
        assert '%s: %s' % (key, case_kinds.NAME_ID_FORMATS[key]) in text


@pytest.mark.parametrize('key', [k for k in case_kinds.NAME_ID_FORMATS if k != 'customize'])
@pytest.mark.parametrize('version', ['1.1', '2.0'])
def test_both_saml_spellings_are_accepted_and_the_case_says_which_it_carries(key, version):
    suffix = case_kinds.NAME_ID_FORMATS[key].rsplit(':', 1)[1]
    given = 'urn:oasis:names:tc:SAML:%s:nameid-format:%s' % (version, suffix)
    doc, text = render(make('saml_sso', {'name_id_format': given}))
    guide = case_kinds.NAME_ID_FORMATS[key]
    assert doc['fields']['name_id_format'] == key
    assert doc['fields']['name_id_format_urn'] == guide
    assert '%s: %s' % (key, guide) in text
    if given == guide:
        assert 'name_id_format_given' not in doc['fields']
        assert 'spell' not in text
    else:
        assert doc['fields']['name_id_format_given'] == given
        assert "identity provider's metadata names it:** %s" % given in text
        assert any(given in note and guide in note for note in doc['notes'])


def test_saml_2_persistent_as_identity_providers_print_it():
    doc, text = render(make('saml_sso', {'name_id_format': 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'}))
    assert doc['fields']['name_id_format'] == 'persistent'
    assert doc['fields']['name_id_format_urn'] == 'urn:oasis:names:tc:SAML:1.1:nameid-format:persistent'
    assert 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' in text


def test_other_saml_urns_are_still_refused():
    for given in ('urn:oasis:names:tc:SAML:2.0:nameid-format:transient', 'urn:oasis:names:tc:SAML:3.0:nameid-format:persistent',
                  'urn:oasis:names:tc:SAML:2.0:nameid-format:'):
        with pytest.raises(CaseError, match='1.1 or 2.0 spelling'):
            case_kinds.build(make('saml_sso', {'name_id_format': given}))


def test_customize_needs_its_format():
    with pytest.raises(CaseError, match='customize needs custom_name_id_format'):
        case_kinds.build(make('saml_sso', {'name_id_format': 'customize'}))
    text = render(make('saml_sso', {'name_id_format': 'customize', 'custom_name_id_format': 'urn:acme:id'}))[1]
    assert 'customize: urn:acme:id' in text


def test_unknown_name_id_format_lists_the_nine():
    with pytest.raises(CaseError, match='not one of the support guide.s formats: email, customize'):
        case_kinds.build(make('saml_sso', {'name_id_format': 'transient'}))


def test_custom_format_only_with_customize():
    with pytest.raises(CaseError, match='only for name_id_format customize'):
        case_kinds.build(make('saml_sso', {'name_id_format': 'email', 'custom_name_id_format': 'x'}))


# ---- VPN [doc: "Site-to-Site IPsec VPN"] ---------------------------------------------------------------------

def test_vpn_covers_several_environments_in_one_case_and_notes_the_lead_time():
    doc, text = render(make('vpn', environments=['dev', 'test', 'prod'], production=True))
    assert 'This one case covers all of these environments' in text
    assert '| Environments | dev, test, prod (includes production) |' in text
    assert any('2-4 weeks' in n for n in doc['notes'])
    assert any('NAT' in n for n in doc['notes'])
    assert '203.0.113.10 (fw-1)' in text and '10.20.0.0/16' in text and 'both directions' in text


def test_vpn_needs_the_environments():
    with pytest.raises(CaseError, match='names the environments it covers'):
        case_kinds.build(make('vpn', environments=[]))


@pytest.mark.parametrize('change,message', [
    ({'customer_subnets': ['10.20.0.1/16']}, 'not a subnet in CIDR'),
    ({'customer_subnets': ['my office']}, 'not a subnet in CIDR'),
    ({'peers': [{'address': 'vpn.acme.example'}]}, 'not an IP address'),
    ({'direction': 'inbound'}, 'direction must be one of mas_to_customer, customer_to_mas, both'),
    ({'peers': [{'address': '203.0.113.10'}, {'address': '203.0.113.10'}]}, 'same address twice'),
    ({'traffic': [{'protocol': 'tcp'}]}, 'missing traffic\\[0\\].purpose'),
])
def test_vpn_content_is_checked(change, message):
    with pytest.raises(CaseError, match=message):
        case_kinds.build(make('vpn', with_('vpn', **change)))


# ---- database access [doc: access rules table, SSP Access Management] ----------------------------------------

def test_db_access_needs_the_failed_ssp_job():
    with pytest.raises(CaseError, match='missing ssp_job'):
        case_kinds.build(make('db_access', with_('db_access', ssp_job=None)))


def test_db_write_in_production_is_refused():
    with pytest.raises(CaseError, match='direct database write is not allowed in production'):
        case_kinds.build(make('db_access', with_('db_access', access='write', replica=True), environments=['prod'],
                         production=True))


@pytest.mark.parametrize('production', [True, None])
def test_db_read_in_production_needs_the_replica(production):
    with pytest.raises(CaseError, match='Order a data replica first'):
        case_kinds.build(make('db_access', environments=['prod'], production=production))
    text = render(make('db_access', with_('db_access', replica=True), environments=['prod'], production=production))[1]
    assert 'read database access to the read replica of prod' in text


def test_db_write_in_non_production_notes_restore_only():
    doc = render(make('db_access', with_('db_access', access='write')))[0]
    assert any('restored' in n for n in doc['notes'])


def test_db_access_is_for_one_environment():
    with pytest.raises(CaseError, match='exactly one environment'):
        case_kinds.build(make('db_access', environments=['dev', 'test']))


def test_db_access_can_ask_the_db2_version():
    text = render(make('db_access', with_('db_access', ask_db2_version=True)))[1]
    assert 'Which DB2 version' in text


# ---- severity [doc: severity table, off-shift Sev 1] ---------------------------------------------------------

@pytest.mark.parametrize('kind', [k for k in sorted(DETAILS) if k != 'incident'])
def test_requests_are_never_severity_1(kind):
    with pytest.raises(CaseError, match='severity 1 is only for production outages'):
        case_kinds.build(make(kind, severity=1, production=True, environments=['prod']))


@pytest.mark.parametrize('kind', [k for k in sorted(DETAILS) if k != 'incident'])
def test_requests_default_to_severity_3(kind):
    assert render(make(kind))[0]['severity'] == 3


def test_incident_needs_a_severity():
    with pytest.raises(CaseError, match='severity is required for kind incident'):
        case_kinds.build(Request('incident', details=dict(DETAILS['incident'])))


@pytest.mark.parametrize('production', [False, None])
def test_severity_1_needs_production(production):
    details = with_('incident', service_down=True)
    with pytest.raises(CaseError, match='production environments only'):
        case_kinds.build(make('incident', details, severity=1, production=production))


def test_severity_1_needs_a_service_down():
    with pytest.raises(CaseError, match='set service_down: true'):
        case_kinds.build(make('incident', severity=1, production=True, environments=['prod']))


def test_severity_1_is_not_for_an_existing_sev1():
    details = with_('incident', service_down=True, related_case='TS0042')
    with pytest.raises(CaseError, match='existing Sev1'):
        case_kinds.build(make('incident', details, severity=1, production=True))


def test_severity_1_includes_the_off_shift_steps():
    doc, text = render(make('incident', with_('incident', service_down=True), severity=1, production=True,
                            environments=['prod']))
    assert 'Friday 8pm to Sunday 6pm US Eastern Time' in text
    assert "Christmas Day and New Year's Day" in text
    assert 'request to speak to the duty engineer' in text
    assert 'confirm it is a production system issue' in text
    assert 'Failure to follow this process results in no support during off-shift hours.' in text
    assert 'This is a production system issue' in doc['request']
    assert 'within 1 hour' in text and '24x7' in text


@pytest.mark.parametrize('severity', [2, 3, 4])
def test_other_severities_have_no_off_shift_section(severity):
    doc, text = render(make('incident', severity=severity))
    assert doc['off_shift'] is None and 'Off-shift' not in text


@pytest.mark.parametrize('severity', [0, 5, 'high'])
def test_severity_must_be_1_to_4(severity):
    with pytest.raises(CaseError, match='severity must be 1, 2, 3 or 4'):
        case_kinds.build(make('smtp_relay', severity=severity))


# ---- packaging ----------------------------------------------------------------------------------------------

def test_extra_attachments_are_sorted_and_names_unique():
    request = make('smtp_custom', with_('smtp_custom', port=465, certificate='/x/a.pem'))
    request.attachments = [{'name': 'z.log', 'sha256': 'b' * 64, 'size': 1}]
    doc = case_kinds.document(case_kinds.build(request), {'certificate': {'name': 'a.pem', 'sha256': 'a' * 64, 'size': 2}})
    assert [a['name'] for a in doc['attachments']] == ['a.pem', 'z.log']
    request.attachments = [{'name': 'a.pem', 'sha256': 'b' * 64, 'size': 1}]
    with pytest.raises(CaseError, match="two attachments are named 'a.pem'"):
        case_kinds.document(case_kinds.build(request), {'certificate': {'name': 'a.pem', 'sha256': 'a' * 64, 'size': 2}})


def test_contact_is_checked_and_rendered():
    text = render(make('saml_sso', contact={'name': 'Sam', 'email': 'sam@acme.example', 'phone': '+1 555'}))[1]
    assert '| Contact | Sam <sam@acme.example>, +1 555 |' in text
    with pytest.raises(CaseError, match='contact.email'):
        case_kinds.build(make('saml_sso', contact={'name': 'Sam', 'email': 'nope'}))


def test_unknown_kind_lists_the_known_ones():
    with pytest.raises(CaseError, match="unknown kind 'sql_change': use one of db_access"):
        case_kinds.build(Request('sql_change'))


def test_a_new_kind_registers_through_the_extension_point():
    class Hello(case_kinds.CaseKind):
        name = 'hello_test'
        title = 'Hello'
        summary = 'Please say hello.'
        fields = (case_kinds.Field('who'),)

    case_kinds.register(Hello())
    try:
        doc, text = render(Request('hello_test', details={'who': 'SRE'}))
        assert doc['title'] == 'Hello' and '**Who:** SRE' in text and 'Please say hello.' in text
    finally:
        del case_kinds.KINDS['hello_test']


def test_sql_script_is_refused_outside_production():
    with pytest.raises(CaseError) as err:
        case_kinds.build(make('sql_script', production=False, environments=['test2']))
    assert 'IBM SRE does not run SQL scripts in non-production' in str(err.value)


@pytest.mark.parametrize('changes,message', [
    ({'offline_backup': False}, 'offline_backup must be true'),
    ({'tested_date': 'last week'}, 'is not a date'),
    ({'tested_environment': 'prod'}, 'test it on a non-production environment'),
    ({'technical_justification': None}, 'missing technical_justification'),
])
def test_sql_script_needs_its_five_parts_and_a_non_production_test(changes, message):
    with pytest.raises(CaseError) as err:
        case_kinds.build(make('sql_script', with_('sql_script', **changes)))
    assert message in str(err.value)


def test_sql_script_case_attaches_the_script_and_names_the_test():
    doc, text = render(make('sql_script'), {'script': {'name': 'close_wo.sql', 'sha256': 'ab' * 32, 'size': 120}})
    assert 'It was tested on test on 2026-11-20' in text
    assert [a['name'] for a in doc['attachments']] == ['close_wo.sql']
    assert '3 business days' in text


def test_a_new_kind_changes_the_title_and_checks_its_files_through_hooks():
    """What differs per kind is a hook of the kind: nothing outside it asks for a kind by name."""
    class Note(case_kinds.CaseKind):
        name = 'note_test'
        title = 'Note'
        summary = 'Please read the note.'
        fields = (case_kinds.Field('topic'), case_kinds.Field('file', case_kinds.check_path))
        attachment_fields = ('file',)

        def case_title(self, values):
            return 'Note: %s' % values['topic']

        def check_attachment(self, field, data, name):
            if not data.startswith(b'NOTE'):
                raise CaseError('%s is not a note' % name)

    case_kinds.register(Note())
    try:
        case = case_kinds.build(Request('note_test', details={'topic': 'backups', 'file': '/tmp/n.txt'}))
        assert case.title == 'Note: backups'
        case.kind.check_attachment('file', b'NOTE 1', 'n.txt')
        with pytest.raises(CaseError, match='n.txt is not a note'):
            case.kind.check_attachment('file', b'other', 'n.txt')
        given = case_kinds.build(Request('note_test', details={'topic': 'b', 'file': 'n'}, title='Own title'))
        assert given.title == 'Own title'
    finally:
        del case_kinds.KINDS['note_test']


def test_the_incident_title_is_its_summary_and_other_kinds_keep_theirs():
    long_summary = 'Manage UI down ' * 20
    case = case_kinds.build(make('incident', with_('incident', summary=long_summary), severity=2))
    assert case.title == long_summary.strip()[:120]
    assert case_kinds.build(make('vpn', environments=['dev'])).title == 'Site-to-site IPsec VPN'


@pytest.mark.parametrize('data,message', [
    (b'DELETE FROM WORKORDER WHERE STATUS = \'X\';\n', None),
    (b'CREATE TRIGGER T1 AFTER INSERT ON WORKORDER FOR EACH ROW BEGIN ATOMIC END;\n', 'trigger'),
    (b'\xff\xfe not text', 'close_wo.sql is not UTF-8 text'),
])
def test_sql_script_checks_the_statements_of_its_script(data, message):
    kind = case_kinds.kind_for('sql_script')
    if message is None:
        kind.check_attachment('script', data, 'close_wo.sql')
    else:
        with pytest.raises(CaseError, match=message):
            kind.check_attachment('script', data, 'close_wo.sql')
    kind_for_smtp = case_kinds.kind_for('smtp_custom')
    kind_for_smtp.check_attachment('certificate', data, 'smtp.pem')  # other kinds attach files as they are
