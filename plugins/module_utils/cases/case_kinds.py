# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: the support-case requests of the MAS Dedicated support guide, their rules and their rendering.

A customer of MAS Dedicated asks IBM for SMTP, LDAP, SAML, VPN and database changes by opening a support case
whose text must carry what the support guide lists for that kind of request. This module knows, per kind, what
the case must contain, checks it (and the severity rules), and renders the case as Markdown and JSON. It reads no
file and opens no connection: the caller gives the attachment metadata (name, SHA-256, size) and writes the files.

Secrets (the SMTP password, the LDAP bind password) are accepted only to check that they are there: they are
never rendered. The case says they will be handed over separately.

Adding a kind (the extension point, e.g. ``sql_script`` from the DB2 branch)
----------------------------------------------------------------------------
1. Subclass ``CaseKind``: set ``name``, ``title``, ``summary``; declare ``fields`` (``Field(name, check,
   required, label)``, checks are the ``check_*`` helpers below or any ``f(name, value) -> value`` raising
   ``CaseError``); list the file fields in ``attachment_fields`` and the secret inputs it needs in
   ``secrets``; override ``validate(request)`` for rules across fields (``request.production``,
   ``request.severity`` ...), ``intro(request)`` for the opening sentence, ``notes(request)`` for the
   support guide's notes, ``case_title(values)`` for a title drawn from the details and
   ``check_attachment(field, data, name)`` to check the bytes of a file field. Code outside a kind never asks
   which kind it is: what differs per kind is one of these hooks (or ``default_severity``, ``allows_severity_1``).
2. ``register(MyKind())`` at import time of the module that defines it (or below, in this file).
3. Add the name to the ``kind`` choices and the details table of ``plugins/modules/support_case.py``
   (``ansible-test sanity`` fails until documentation and code agree) and a unit test of its rules.

``SqlScript`` below is such a kind: ``policy.verdict('sql_script_request', production)`` (refused outside
production), an ``attachment_fields = ('script',)`` field and the five parts of "Running SQL Scripts in Production".

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import ipaddress
import json
import re

from ansible_collections.mas.dedicated.plugins.module_utils.cases import sql_script_request
from ansible_collections.mas.dedicated.plugins.module_utils.common import policy
from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import RefusedError

FORMAT_VERSION = 1
SMTP_TITLE = 'SMTP / outbound email activation'  # [doc] the case title the support guide asks for

# [doc] "IBM Support Case Severity Levels and Response Time".
SEVERITIES = {
    1: ('Critical business impact / service down', 'within 1 hour', '24x7'),
    2: ('Significant business impact', 'within 2 business hours', 'Monday - Friday business hours'),
    3: ('Minor business impact', 'within 4 business hours', 'Monday - Friday business hours'),
    4: ('Minimal business impact: an inquiry or non-technical request', 'within 1 business day',
        'Monday - Friday business hours'),
}
DEFAULT_SEVERITY = 3

# [doc] "Off Shift Weekend/Holiday Support (Severity 1 Only)".
OFF_SHIFT_WINDOW = 'from Friday 8pm to Sunday 6pm US Eastern Time, and on Christmas Day and New Year\'s Day'
OFF_SHIFT_STEPS = (
    'Log a new case using the IBM Support Community and set the Severity to 1 (only if not related to an existing '
    'Sev1). Provide as much detail as possible, including the business impact, and confirm it is a production '
    'system issue.',
    'Call your local IBM Support Center (IBM Directory of worldwide contacts: https://www.ibm.com/planetwide) and '
    'request to speak to the duty engineer.',
)
OFF_SHIFT_WARNING = 'Failure to follow this process results in no support during off-shift hours.'

SSP_NOTE = ('Requests the Self Service Portal (SSP) can execute are rejected and closed when raised as a case; open '
            'a case only for what the SSP does not offer, or when an SSP job failed (include the failed job).')

# [doc] "SAML SSO Configuration": the nine User Identifier (Name ID) formats, spelled as in the guide.
NAME_ID_FORMATS = {
    'email': 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    'customize': None,  # a format of the customer's own, given in custom_name_id_format
    'encrypted': 'urn:oasis:names:tc:SAML:2.0:nameid-format:encrypted',
    'entity': 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
    'kerberos': 'urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos',
    'persistent': 'urn:oasis:names:tc:SAML:1.1:nameid-format:persistent',
    'unspecified': 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    'windowsDomainQualifiedName': 'urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName',
    'x509SubjectName': 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName',
}

# [SAML 2.0 core, 8.3] spells unspecified, emailAddress, X509SubjectName and WindowsDomainQualifiedName with the
# SAML:1.1 prefix and persistent, transient, entity, kerberos and encrypted with SAML:2.0; the guide spells persistent
# with SAML:1.1 and identity providers print both spellings in their metadata, so either prefix is accepted.
NAME_ID_PREFIXES = ('urn:oasis:names:tc:SAML:1.1:nameid-format:', 'urn:oasis:names:tc:SAML:2.0:nameid-format:')


def name_id_format_key(given):
    """The guide's name of a Name ID format given by that name or by its URN in either spelling, else None."""
    lowered = given.lower()
    for key in NAME_ID_FORMATS:
        if key.lower() == lowered:
            return key
    for prefix in NAME_ID_PREFIXES:
        if lowered.startswith(prefix.lower()):
            suffix = lowered[len(prefix):]
            for key, urn in NAME_ID_FORMATS.items():
                if urn and urn.rsplit(':', 1)[1].lower() == suffix:
                    return key
    return None


# Keys that must never be given in the free-form details (they have their own no_log options).
_SECRET_KEY = re.compile(r'(?i)(passw|secret|token|api_?key|credential|private_?key)')
_EMAIL = re.compile(r'^[^@\s]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$')
_HOST_LABEL = re.compile(r'^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$')
_LDAPS = re.compile(r'^ldaps://(?P<host>[^:/\s]+):(?P<port>\d+)/?$')


class CaseError(RefusedError):
    """The request is incomplete or breaks a rule of the support guide; the text says what to do."""


# ---- field checks: f(name, value) -> normalised value, or CaseError -----------------------------------------

def check_text(name, value):
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
        raise CaseError('%s must be a non-empty text' % name)
    return str(value).strip()


def check_bool(name, value):
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('true', 'yes', 'on', '1'):
        return True
    if text in ('false', 'no', 'off', '0'):
        return False
    raise CaseError('%s must be true or false, not %r' % (name, value))


def check_email(name, value):
    value = check_text(name, value)
    if not _EMAIL.match(value):
        raise CaseError("%s '%s' is not an email address" % (name, value))
    return value


def check_host(name, value):
    value = check_text(name, value).lower().rstrip('.')
    try:
        ipaddress.ip_address(value)
        return value
    except ValueError:
        pass
    labels = value.split('.')
    if len(value) > 253 or not all(_HOST_LABEL.match(label) for label in labels):
        raise CaseError("%s '%s' is not a host name" % (name, value))
    return value


def check_domain(name, value):
    value = check_host(name, value)
    if '.' not in value or re.match(r'^[0-9.]+$', value):
        raise CaseError("%s '%s' is not a mail domain (for example example.com)" % (name, value))
    return value


def check_port(name, value):
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise CaseError('%s must be a port number, not %r' % (name, value))
    if isinstance(value, bool) or not 0 < port < 65536:
        raise CaseError('%s must be a port number between 1 and 65535, not %r' % (name, value))
    return port


def check_ip(name, value):
    try:
        return str(ipaddress.ip_address(check_text(name, value)))
    except ValueError:
        raise CaseError("%s '%s' is not an IP address" % (name, value))


def check_cidr(name, value):
    try:
        return str(ipaddress.ip_network(check_text(name, value), strict=True))
    except ValueError as exc:
        raise CaseError("%s '%s' is not a subnet in CIDR notation (%s)" % (name, value, exc))


def check_dn(name, value):
    value = check_text(name, value)
    if not re.match(r'^[A-Za-z][\w-]*=[^,]+(,\s*[A-Za-z][\w-]*=[^,]+)*$', value):
        raise CaseError("%s '%s' is not an LDAP distinguished name (for example ou=people,dc=example,dc=com)"
                        % (name, value))
    return value


def check_path(name, value):
    return check_text(name, value)


def list_of(check, minimum=1):
    def checker(name, value):
        if isinstance(value, (str, dict)) or not isinstance(value, (list, tuple)):
            value = [value]
        if len(value) < minimum:
            raise CaseError('%s needs at least %d entr%s' % (name, minimum, 'y' if minimum == 1 else 'ies'))
        return [check('%s[%d]' % (name, index), item) for index, item in enumerate(value)]
    return checker


def one_of(*choices):
    def checker(name, value):
        value = check_text(name, value)
        if value not in choices:
            raise CaseError("%s must be one of %s, not '%s'" % (name, ', '.join(choices), value))
        return value
    return checker


def record(*fields):
    """A check for a nested mapping with its own fields."""
    def checker(name, value):
        if not isinstance(value, dict):
            raise CaseError('%s must be a mapping with %s' % (name, ', '.join(f.name for f in fields)))
        return _check_fields(name + '.', fields, value)
    return checker


class Field:
    """One piece of content of a case: its name, check, whether the guide requires it, its label in the text."""

    def __init__(self, name, check=check_text, required=True, label=None):
        self.name = name
        self.check = check
        self.required = required
        self.label = label or name.replace('_', ' ').capitalize()


def _check_fields(prefix, fields, values):
    known = dict((f.name, f) for f in fields)
    unknown = sorted(k for k in values if k not in known)
    secret = [k for k in unknown if _SECRET_KEY.search(k)]
    if secret:
        raise CaseError('%s%s looks like a secret: secrets are never written into a case; give them in the '
                        "module's no_log options (smtp_password, ldap_bind_password)" % (prefix, secret[0]))
    if unknown:
        raise CaseError('unknown %s %s: the known ones are %s' % (
            'entry' if len(unknown) == 1 else 'entries', ', '.join(prefix + k for k in unknown),
            ', '.join(prefix + f.name for f in fields)))
    result = {}
    missing = []
    for field in fields:
        value = values.get(field.name)
        if value is None or value == '' or value == []:
            if field.required:
                missing.append(prefix + field.name)
            continue
        result[field.name] = field.check(prefix + field.name, value)
    if missing:
        raise CaseError('missing %s' % ', '.join(missing))
    return result


def secret_values(value, under_secret_key=False):
    """The values ``value`` (the details) holds under keys that look like secrets, at any depth. Such a key is
    refused, but what it holds is a secret all the same: the module never shows it."""
    if isinstance(value, dict):
        return [found for key, item in value.items()
                for found in secret_values(item, under_secret_key or bool(_SECRET_KEY.search(str(key))))]
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in secret_values(item, under_secret_key)]
    return [value] if under_secret_key and value not in (None, '') and not isinstance(value, bool) else []


CONTACT = record(Field('name'), Field('email', check_email), Field('phone', required=False))


class Request:
    """What the module was asked: the kind's details plus the case-wide settings."""

    def __init__(self, kind, details=None, instance=None, environments=None, production=None, severity=None,
                 title=None, contact=None, secrets=None, attachments=None, secret_channel=None):
        self.kind = kind
        self.details = details or {}
        self.instance = instance
        self.environments = list(environments or [])
        self.production = production
        self.severity = severity
        self.title = title
        self.contact = contact
        self.secrets = secrets or {}
        # extra files: [{'name', 'sha256', 'size'}]; the kind's own file fields come from attachment_meta
        self.attachments = attachments or []
        self.secret_channel = secret_channel or 'a secure channel agreed with the IBM SRE team on this case'


class CaseKind:
    """Base of every kind of request. Subclasses declare their content; see the module docstring."""

    name = None
    title = None
    summary = None
    fields = ()
    attachment_fields = ()  # field names holding a local file path to attach
    secrets = ()  # (secret option name, label) the request needs, never rendered
    default_severity = DEFAULT_SEVERITY
    allows_severity_1 = False

    def validate(self, request, values):
        """Rules across fields; raise CaseError. ``values`` are the checked details."""

    def intro(self, request, values):
        return self.summary

    def notes(self, request, values):
        return []

    def case_title(self, values):
        """The case title when the request gives none."""
        return self.title

    def check_attachment(self, field, data, name):
        """Check the bytes of the file field ``field`` (the caller reads the file; ``name``: its name in the
        package); raise CaseError. Most kinds attach files as they are."""

    def lines(self, request, values):
        """(label, value) pairs in the order of the support guide."""
        result = []
        for field in self.fields:
            if field.name in values and field.name not in self.attachment_fields:
                result.append((field.label, values[field.name]))
        return result


KINDS = {}


def register(kind):
    """Make a CaseKind instance available under its name (the extension point)."""
    if not kind.name or not kind.title:
        raise ValueError('a case kind needs a name and a title')
    KINDS[kind.name] = kind
    return kind


def kind_for(name):
    try:
        return KINDS[name]
    except KeyError:
        raise CaseError("unknown kind '%s': use one of %s" % (name, ', '.join(sorted(KINDS))))


# ---- the kinds of the support guide -------------------------------------------------------------------------

class SmtpRelay(CaseKind):
    """[doc] "MAS SMTP Configuration": domain authentication for the provided SMTP relay."""

    name = 'smtp_relay'
    title = SMTP_TITLE
    fields = (
        Field('domains', list_of(check_domain), label='Domains'),
        Field('dns_contact', CONTACT, label='DNS contact (can add DNS records for the domains)'),
        Field('sendgrid_dkim_exists', check_bool, required=False, label='SendGrid DKIM records already in this DNS'),
    )

    def intro(self, request, values):
        return ('Please initiate domain authentication for %s. These domains align with the email addresses used in '
                'Manage. Please send the DKIM / domain authentication records to the DNS contact below, who has '
                'access to add DNS records for these domains.' % ', '.join(values['domains']))

    def notes(self, request, values):
        notes = ['Once the DNS contact has added the records, the IBM SRE team validates them; then Manage can send '
                 'email as addresses of these domains.',
                 'This applies to the provided SMTP relay only; for your own SMTP server use kind smtp_custom.']
        if values.get('sendgrid_dkim_exists'):
            notes.insert(0, 'SendGrid DKIM records already exist in this DNS: please generate a unique DKIM selector.')
        return notes


class SmtpCustom(CaseKind):
    """[doc] "Customer Managed SMTP Configuration"."""

    name = 'smtp_custom'
    title = SMTP_TITLE
    fields = (
        Field('host', check_host, label='SMTP hostname'),
        Field('port', check_port, label='SMTP port'),
        Field('user', label='SMTP user'),
        Field('ssl', check_bool, required=False, label='SMTP over SSL'),
        Field('certificate', check_path, required=False, label='SMTP SSL certificate'),
        Field('sender', check_email, label='Sender address (MAS sends from / as)'),
    )
    attachment_fields = ('certificate',)
    secrets = (('smtp_password', 'SMTP password'),)

    def validate(self, request, values):
        if values['port'] == 465 and values.get('ssl') is False:
            raise CaseError('port 465 is SMTP over SSL: leave ssl unset or true')
        if values['port'] == 465:
            values['ssl'] = True
        if values.get('ssl') and 'certificate' not in values:
            raise CaseError('SMTP over SSL (port 465) needs the SMTP SSL certificate: give certificate (a PEM file '
                            'to attach)')

    def intro(self, request, values):
        return 'Please configure our MAS-Dedicated environment to use the following SMTP server.'

    def notes(self, request, values):
        return ['Once the case is received, IBM generates and sends 3 DNS records to add to your DNS server to '
                'complete the outbound email configuration.']


class LdapSync(CaseKind):
    """[doc] "LDAP user registry synchronization"."""

    name = 'ldap_sync'
    title = 'LDAP user registry synchronization'
    fields = (
        Field('url', label='URL'),
        Field('bind_dn', check_dn, label='Bind DN'),
        Field('base_dn', check_dn, label='Base DN'),
        Field('user_id_map', label='User ID map'),
        Field('user', record(Field('base_dn', check_dn, label='User base DN'),
                             Field('id_map', label='User ID map'),
                             Field('filter', label='User filter')), label='User synchronization'),
        Field('group', record(Field('base_dn', check_dn, label='Group base DN'),
                              Field('filter', label='Group filter'),
                              Field('id_map', label='Group ID map'),
                              Field('member_id_map', label='Group member ID map')), label='Group synchronization'),
        Field('schedule', label='Synchronization schedule'),
        Field('identity_provider', label='Identity provider'),
        Field('default_permissions', list_of(check_text), label='Default permissions'),
        Field('ca_certificate', check_path, required=False, label='LDAP server CA certificate'),
        Field('vpn_case', required=False, label='Site-to-site VPN case'),
    )
    attachment_fields = ('ca_certificate',)
    secrets = (('ldap_bind_password', 'Bind password'),)

    def validate(self, request, values):
        match = _LDAPS.match(values['url'])
        if not match:
            if values['url'].lower().startswith('ldap://'):
                raise CaseError("url '%s' is plain ldap://: LDAP synchronization needs ldaps://hostname:port"
                                % values['url'])
            raise CaseError("url '%s' must have the form ldaps://hostname:port" % values['url'])
        check_host('url host', match.group('host'))
        check_port('url port', match.group('port'))

    def intro(self, request, values):
        return ('Please set up LDAP user registry synchronization between our LDAP server and the Maximo '
                'Application Suite user registry with the following configuration parameters.')

    def lines(self, request, values):
        result = [('URL', values['url']), ('Bind DN', values['bind_dn']), ('Base DN', values['base_dn']),
                  ('User ID map', values['user_id_map'])]
        user, group = values['user'], values['group']
        result += [('User base DN', user['base_dn']), ('User ID map (synchronization)', user['id_map']),
                   ('User filter', user['filter'])]
        result += [('Group base DN', group['base_dn']), ('Group filter', group['filter']),
                   ('Group ID map', group['id_map']), ('Group member ID map', group['member_id_map'])]
        result += [('Synchronization schedule', values['schedule']), ('Identity provider', values['identity_provider']),
                   ('Default permissions', values['default_permissions'])]
        if values.get('vpn_case'):
            result.append(('Site-to-site VPN case', values['vpn_case']))
        return result

    def notes(self, request, values):
        if values.get('vpn_case'):
            return ['The connection to the LDAP server uses the site-to-site VPN of case %s.' % values['vpn_case']]
        return ['Typically a site-to-site VPN is required to connect the MAS-Dedicated environment to the LDAP '
                'server (kind vpn); give vpn_case once it exists.']


class SamlSso(CaseKind):
    """[doc] "SAML SSO Configuration": the User Identifier (Name ID) format is the one required content."""

    name = 'saml_sso'
    title = 'SAML SSO configuration'
    fields = (
        Field('name_id_format', label='User Identifier (Name ID) format'),
        Field('custom_name_id_format', required=False, label='Custom Name ID format'),
        Field('idp_metadata', check_path, required=False, label='Identity provider metadata'),
    )
    attachment_fields = ('idp_metadata',)

    def validate(self, request, values):
        given = values['name_id_format'].strip()
        key = name_id_format_key(given)
        if key is None:
            raise CaseError("name_id_format '%s' is not one of the support guide's formats: %s (or their URNs, in the "
                            "SAML 1.1 or 2.0 spelling)" % (values['name_id_format'], ', '.join(NAME_ID_FORMATS)))
        values['name_id_format'] = key
        if key == 'customize':
            if not values.get('custom_name_id_format'):
                raise CaseError('name_id_format customize needs custom_name_id_format (the format to use)')
        elif values.get('custom_name_id_format'):
            raise CaseError('custom_name_id_format is only for name_id_format customize')
        # The URN the case carries: the guide's spelling, which is what the SRE team's list offers.
        values['name_id_format_urn'] = NAME_ID_FORMATS[key] or values['custom_name_id_format']
        if given.startswith('urn:') and given != values['name_id_format_urn']:
            values['name_id_format_given'] = given

    def intro(self, request, values):
        return ('Please create the SAML Service Provider metadata for our MAS-Dedicated environment so that we can '
                'configure SAML single sign-on.')

    def lines(self, request, values):
        key = values['name_id_format']
        urn = values.get('name_id_format_urn') or NAME_ID_FORMATS[key] or values['custom_name_id_format']
        result = [('User Identifier (Name ID) format', '%s: %s' % (key, urn))]
        if values.get('name_id_format_given'):
            result.append(("Our identity provider's metadata names it", values['name_id_format_given']))
        return result

    def notes(self, request, values):
        notes = ['The MAS SRE team first creates the SAML Service Provider Information metadata file and shares it on '
                 'this case.']
        if values.get('name_id_format_given'):
            notes.append('The support guide spells this format %s; our identity provider names the same format %s '
                         '(SAML 1.1 and 2.0 spell some formats differently). This case asks for the format by the '
                         "guide's name and spelling." % (values['name_id_format_urn'], values['name_id_format_given']))
        return notes


class Vpn(CaseKind):
    """[doc] "Site-to-Site IPsec VPN"."""

    name = 'vpn'
    title = 'Site-to-site IPsec VPN'
    fields = (
        Field('peers', list_of(record(Field('name', required=False), Field('address', check_ip, label='Public IP'),
                                      Field('device', required=False))), label='Customer VPN peers'),
        Field('customer_subnets', list_of(check_cidr), label='Customer subnets'),
        Field('mas_subnets', list_of(check_cidr), required=False, label='MAS subnets requested'),
        Field('direction', one_of('mas_to_customer', 'customer_to_mas', 'both'), label='Traffic direction'),
        Field('traffic', list_of(record(Field('protocol', one_of('tcp', 'udp', 'icmp', 'any')),
                                        Field('ports', required=False), Field('purpose'))),
              required=False, label='Traffic'),
        Field('network_contact', CONTACT, label='Network contact (network SME)'),
        Field('needed_by', required=False, label='Needed by'),
    )

    def validate(self, request, values):
        if not request.environments:
            raise CaseError('a vpn request names the environments it covers (environments: [dev, test, prod]); one '
                            'case covers all of them')
        addresses = [p['address'] for p in values['peers']]
        if len(set(addresses)) != len(addresses):
            raise CaseError('peers lists the same address twice')

    def intro(self, request, values):
        return ('Please set up a site-to-site IPsec VPN between the MAS-Dedicated environments %s and our site. This '
                'one case covers all of these environments.' % ', '.join(request.environments))

    def lines(self, request, values):
        result = [('Environments covered', request.environments)]
        peers = []
        for peer in values['peers']:
            name = ' (%s)' % peer['name'] if peer.get('name') else ''
            device = ', %s' % peer['device'] if peer.get('device') else ''
            peers.append('%s%s%s' % (peer['address'], name, device))
        result.append(('Customer VPN peers', peers))
        result.append(('Customer subnets', values['customer_subnets']))
        if values.get('mas_subnets'):
            result.append(('MAS subnets requested', values['mas_subnets']))
        result.append(('Traffic direction', {'mas_to_customer': 'MAS to customer', 'customer_to_mas': 'customer to MAS',
                                             'both': 'both directions'}[values['direction']]))
        if values.get('traffic'):
            result.append(('Traffic', ['%s%s: %s' % (t['protocol'], ' %s' % t['ports'] if t.get('ports') else '',
                                                     t['purpose']) for t in values['traffic']]))
        result.append(('Network contact (network SME)', values['network_contact']))
        if values.get('needed_by'):
            result.append(('Needed by', values['needed_by']))
        return result

    def notes(self, request, values):
        return ['A VPN takes 2-4 weeks to design, set up, test and validate; plan integrations that depend on it '
                'accordingly.',
                'IBM and the customer\'s network SMEs agree on the VPN settings and shared parameters, the source and '
                'destination IPs and the type and direction of traffic; routing, NAT and firewall rules are set up on '
                'both sides.',
                'MAS on AWS does not support NAT on the MAS side of a site-to-site VPN.',
                'A VPN may not be needed: integrations over HTTPS or rclone (COS) run without one.']


class DbAccess(CaseKind):
    """[doc] "Database Support and Access" and its rules table.

    Database accounts are requested in the Self Service Portal's Access Management Tool; a case is for when that
    job failed (the guide: SSP requests raised as cases are rejected) and may ask the DB2 version for the ODBC driver.
    """

    name = 'db_access'
    title = 'Database access'
    fields = (
        Field('access', one_of('read', 'write'), label='Access'),
        Field('users', list_of(check_text), label='Database users'),
        Field('reason', label='Business reason'),
        Field('ssp_job', record(Field('id', label='Job'), Field('error', label='Error'),
                                Field('date', required=False, label='Date')), label='Failed SSP Access Management job'),
        Field('replica', check_bool, required=False, label='Target is the ordered read replica'),
        Field('replica_host', check_host, required=False, label='Replica host'),
        Field('connection', one_of('jdbc', 'odbc'), required=False, label='Connection (SSL only)'),
        Field('ask_db2_version', check_bool, required=False, label='DB2 version requested'),
    )

    def validate(self, request, values):
        if len(request.environments) != 1:
            raise CaseError('a db_access request is for exactly one environment (environments: [NAME])')
        production = request.production is not False
        operation = 'db_write' if values['access'] == 'write' else 'db_read'
        outcome = policy.verdict(operation, production)
        rule = policy.rule_for(operation)
        where = 'production' if production else 'non-production'
        if outcome == policy.REFUSED:
            raise CaseError('%s is not allowed in %s: %s. Use %s instead.' % (rule.label, where, rule.reason,
                                                                              rule.instead))
        if outcome == policy.REPLICA_ONLY and not (values.get('replica') or values.get('replica_host')):
            raise CaseError('%s: %s. Order a data replica first, then set replica: true (or replica_host) for the '
                            'read-only user on the replica' % (rule.label, rule.reason))

    def intro(self, request, values):
        target = 'the read replica of ' if values.get('replica') or values.get('replica_host') else ''
        return ('Our Self Service Portal Access Management job for %s database access to %s%s failed; please grant '
                'the access below.' % (values['access'], target, request.environments[0]))

    def lines(self, request, values):
        result = super(DbAccess, self).lines(request, values)
        return [(label, value) for label, value in result if label != 'DB2 version requested'] + (
            [('Question', 'Which DB2 version does this database run? (to install the matching ODBC/CLI driver)')]
            if values.get('ask_db2_version') else [])

    def notes(self, request, values):
        notes = ['Connections use SSL only (JDBC or ODBC); IBM does not troubleshoot client tools.',
                 'Remove the access in the SSP as soon as it is no longer needed (the client\'s responsibility).']
        if request.production is not False:
            notes.insert(0, 'Production data is read from the near-real-time read replica with a read-only user; '
                            'direct access to the production database is not allowed.')
        if values['access'] == 'write':
            notes.append('With write access, data issues are not troubleshot by SRE: the database can only be restored '
                         'to its last backup.')
        return notes


class SqlScript(CaseKind):
    """[doc] "Running SQL Scripts in Production": the five parts, tested on non-production, production only.

    The caller reads the script and hands its bytes to ``check_attachment``, which checks the statements with
    ``sql_script_request.check_script``; ``mas.dedicated.sql_script_request`` builds the fuller package with a test run.
    """

    name = 'sql_script'
    title = 'SQL script to run in production'
    fields = (
        Field('script', check_path, label='SQL script'),
        Field('description', label='Description of the script'),
        Field('business_justification', label='Business justification'),
        Field('technical_justification', label='Technical justification (why the Maximo front end cannot do it)'),
        Field('offline_backup', check_bool, label='Full offline backup requested before the run'),
        Field('tested_environment', label='Tested on (non-production environment)'),
        Field('tested_date', lambda name, value: check_text(name, str(value)), label='Tested on (date)'),
    )
    attachment_fields = ('script',)

    def check_attachment(self, field, data, name):
        """The script's statements, checked as ``mas.dedicated.sql_script_request`` checks them."""
        if field != 'script':
            return
        try:
            sql_script_request.check_script(data.decode('utf-8'), name)
        except UnicodeDecodeError:
            raise CaseError('%s is not UTF-8 text' % name)
        except sql_script_request.RequestError as exc:
            raise CaseError(str(exc))

    def validate(self, request, values):
        production = request.production is not False
        rule = policy.rule_for('sql_script_request')
        if policy.verdict('sql_script_request', production) == policy.REFUSED:
            raise CaseError('%s is not allowed in non-production: %s. Use %s instead.'
                            % (rule.label, rule.reason, rule.instead))
        if values['offline_backup'] is not True:
            raise CaseError('offline_backup must be true: IBM requires the request for a full offline backup')
        if not re.match(r'^\d{4}-\d{2}-\d{2}$', values['tested_date']):
            raise CaseError("tested_date '%s' is not a date (YYYY-MM-DD)" % values['tested_date'])
        if values['tested_environment'] in request.environments:
            raise CaseError("tested_environment '%s' is one of the environments the script is for: test it on a "
                            "non-production environment" % values['tested_environment'])

    def intro(self, request, values):
        return ('Please run the attached SQL script in %s. It was tested on %s on %s.'
                % (', '.join(request.environments) or 'production', values['tested_environment'], values['tested_date']))

    def notes(self, request, values):
        return ['IBM SRE needs 3 business days of lead time to schedule the run.',
                'IBM SRE does not run SQL scripts in non-production environments.',
                'DBC scripts, triggers, procedures, explain plans and schema changes are not accepted.']


class Incident(CaseKind):
    """A problem report; the only kind where severity 1 (production outage) is allowed."""

    name = 'incident'
    title = 'Incident'
    default_severity = None  # must be chosen
    allows_severity_1 = True
    fields = (
        Field('summary', label='Summary'),
        Field('description', label='Description'),
        Field('business_impact', label='Business impact'),
        Field('service_down', check_bool, required=False, label='Service down'),
        Field('started', required=False, label='Started'),
        Field('steps_taken', required=False, label='Steps taken'),
        Field('related_case', required=False, label='Related case'),
    )

    def validate(self, request, values):
        if request.severity == 1:
            if request.production is not True:
                raise CaseError('severity 1 is for production environments only: set production: true if the '
                                'environment is production, else use severity 2')
            if not values.get('service_down'):
                raise CaseError('severity 1 means critical business impact / service down: set service_down: true '
                                'for a production outage, else use severity 2 (severely restricted) or 3')
            if values.get('related_case'):
                raise CaseError('an existing Sev1 (related_case %s) is continued on that case: do not log a new '
                                'severity 1 case' % values['related_case'])

    def case_title(self, values):
        return values['summary'][:120]

    def intro(self, request, values):
        if request.severity == 1:
            return ('Production outage: %s. This is a production system issue with critical business impact.'
                    % values['summary'])
        return values['summary']


for _kind in (SmtpRelay(), SmtpCustom(), LdapSync(), SamlSso(), Vpn(), DbAccess(), SqlScript(), Incident()):
    register(_kind)


# ---- building and rendering ----------------------------------------------------------------------------------

class Case:
    """A validated case: what the package holds, ready to render."""

    def __init__(self, kind, request, values):
        self.kind = kind
        self.request = request
        self.values = values
        self.severity = request.severity
        self.title = request.title or kind.case_title(values)

    def attachment_sources(self):
        """{field name: local path} of the kind's own file fields."""
        return dict((name, self.values[name]) for name in self.kind.attachment_fields if name in self.values)


def build(request):
    """Check ``request`` against the support guide and return a Case, or raise CaseError."""
    kind = kind_for(request.kind)
    if not isinstance(request.details, dict):
        raise CaseError('details must be a mapping')
    values = _check_fields('', kind.fields, request.details)
    severity = request.severity if request.severity is not None else kind.default_severity
    if severity is None:
        raise CaseError('severity is required for kind %s (1-4; 1 only for a production outage)' % kind.name)
    try:
        severity = int(severity)
    except (TypeError, ValueError):
        raise CaseError('severity must be 1, 2, 3 or 4, not %r' % (severity,))
    if severity not in SEVERITIES:
        raise CaseError('severity must be 1, 2, 3 or 4, not %r' % (severity,))
    if severity == 1 and not kind.allows_severity_1:
        raise CaseError('severity 1 is only for production outages (critical business impact / service down): a '
                        '%s request is at most severity 2; report an outage with kind incident' % kind.name)
    request.severity = severity
    for option, label in kind.secrets:
        if not request.secrets.get(option):
            raise CaseError('%s is required for kind %s (the %s; it is never written into the case)'
                            % (option, kind.name, label))
    if request.contact is not None:
        request.contact = CONTACT('contact', request.contact)
    for index, name in enumerate(request.environments):
        check_text('environments[%d]' % index, name)
    kind.validate(request, values)
    return Case(kind, request, values)


def _format_value(value):
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if isinstance(value, dict):
        if set(value) >= {'name', 'email'}:
            return '%s <%s>%s' % (value['name'], value['email'], ', %s' % value['phone'] if value.get('phone') else '')
        return ', '.join('%s: %s' % (k, _format_value(v)) for k, v in value.items())
    return str(value)


def _md_escape(text):
    return str(text).replace('|', '\\|').replace('\n', ' ')


def _severity_text(severity):
    description, objective, coverage = SEVERITIES[severity]
    return '%d - %s (response time objective %s, %s)' % (severity, description, objective, coverage)


def attachment_names(case):
    """{field: file name in the package} for the kind's file fields; names must not collide."""
    names = {}
    for field, path in sorted(case.attachment_sources().items()):
        names[field] = re.split(r'[\\/]', path)[-1]
    return names


def _all_attachments(case, attachment_meta):
    """The attachment list: [{'name', 'sha256', 'size', 'field'}], sorted by name, unique names."""
    result = []
    for field, meta in sorted(attachment_meta.items()):
        result.append(dict(meta, field=field))
    for meta in case.request.attachments:
        result.append(dict(meta, field=None))
    seen = set()
    for item in result:
        if item['name'] in seen:
            raise CaseError("two attachments are named '%s': rename one" % item['name'])
        seen.add(item['name'])
    return sorted(result, key=lambda item: item['name'])


def document(case, attachment_meta=None):
    """The JSON form of the case (a dict); ``attachment_meta`` maps file fields to {'name', 'sha256', 'size'}."""
    kind, request = case.kind, case.request
    attachments = _all_attachments(case, attachment_meta or {})
    fields = dict(case.values)
    for field, meta in (attachment_meta or {}).items():
        fields[field] = 'attachments/%s' % meta['name']
    doc = {
        'format': FORMAT_VERSION,
        'kind': kind.name,
        'title': case.title,
        'severity': case.severity,
        'severity_description': SEVERITIES[case.severity][0],
        'instance': request.instance,
        'environments': request.environments,
        'production': request.production,
        'contact': request.contact,
        'request': kind.intro(request, case.values),
        'fields': fields,
        'secrets': dict((option, 'provided separately through %s' % request.secret_channel)
                        for option, dummy in kind.secrets),
        'attachments': attachments,
        'notes': [SSP_NOTE] + kind.notes(request, case.values),
        'off_shift': None,
    }
    if case.severity == 1:
        doc['off_shift'] = {'window': OFF_SHIFT_WINDOW, 'steps': list(OFF_SHIFT_STEPS), 'warning': OFF_SHIFT_WARNING}
    return doc


def render_markdown(doc):
    """The case text (Markdown) from the JSON form, so both always say the same."""
    kind = kind_for(doc['kind'])
    out = ['# %s' % doc['title'], '']
    out += ['| | |', '| --- | --- |']
    out.append('| Kind | %s |' % doc['kind'])
    out.append('| Severity | %s |' % _md_escape(_severity_text(doc['severity'])))
    if doc['instance']:
        out.append('| Instance | %s |' % _md_escape(doc['instance']))
    if doc['environments']:
        label = {True: 'production', False: 'non-production', None: None}[doc['production']]
        if label and len(doc['environments']) > 1:
            label = 'includes production' if doc['production'] else 'all non-production'
        out.append('| Environments | %s%s |' % (_md_escape(', '.join(doc['environments'])),
                                                ' (%s)' % label if label else ''))
    if doc['contact']:
        out.append('| Contact | %s |' % _md_escape(_format_value(doc['contact'])))
    out += ['', '## Request', '', doc['request'], '']
    request = Request(doc['kind'], environments=doc['environments'], production=doc['production'],
                      severity=doc['severity'])
    lines = kind.lines(request, doc['fields'])
    if lines:
        out += ['## Details', '']
        for label, value in lines:
            if isinstance(value, list):
                out.append('- **%s:**' % label)
                out += ['  - %s' % _format_value(item) for item in value]
            else:
                out.append('- **%s:** %s' % (label, _format_value(value)))
        for option, label in kind.secrets:
            out.append('- **%s:** not included in this case; %s' % (label, doc['secrets'][option]))
        out.append('')
    if doc['attachments']:
        out += ['## Attachments', '', '| file | SHA-256 | bytes |', '| --- | --- | --- |']
        out += ['| %s | `%s` | %d |' % (_md_escape(a['name']), a['sha256'], a['size']) for a in doc['attachments']]
        out.append('')
    if doc['off_shift']:
        out += ['## Off-shift weekend/holiday support (severity 1)', '',
                'For support %s, a severity 1 case needs both steps:' % doc['off_shift']['window'], '']
        out += ['%d. %s' % (index + 1, step) for index, step in enumerate(doc['off_shift']['steps'])]
        out += ['', '**%s**' % doc['off_shift']['warning'], '']
    out += ['## Notes from the support guide', '']
    out += ['- %s' % note for note in doc['notes']]
    return '\n'.join(out) + '\n'


def render_json(doc):
    """Stable JSON text (sorted keys), so an unchanged request gives byte-identical files."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + '\n'


def render_checksums(doc):
    """``sha256sum -c`` input for the attachments (paths relative to the package directory)."""
    return ''.join('%s  attachments/%s\n' % (a['sha256'], a['name']) for a in doc['attachments'])
