# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  database:
    description:
      - The DB2 database name, for example V(BLUDB).
      - If not set, the environment variable E(MAS_DB2_DATABASE) is used.
    type: str
  hostname:
    description:
      - The DB2 host. For production this is the host of the ordered read replica.
      - If not set, the environment variable E(MAS_DB2_HOSTNAME) is used.
    type: str
  port:
    description:
      - The DB2 SSL port.
      - If not set, the environment variable E(MAS_DB2_PORT) is used.
      - From 1 to 65,535; a value outside is refused before anything is sent.
    type: int
  username:
    description:
      - The database user (in production, the read-only user of the replica).
      - If not set, the environment variable E(MAS_DB2_USERNAME) is used.
    type: str
  password:
    description:
      - The database user's password. Never shown in output, diffs or error messages.
      - Database passwords expire (90 days for people, 365 days for service accounts); an expired password is
        reported as such.
      - If not set, the environment variable E(MAS_DB2_PASSWORD) is used.
    type: str
  ssl_server_certificate:
    description:
      - The database's SSL certificate that IBM provided, as a PEM/ARM file (C(.arm), C(.pem), C(.crt)).
      - Checked before connecting; C(.jks) and other key stores are refused.
      - MAS Dedicated accepts SSL connections only, so every connection uses C(SECURITY=SSL) with this certificate,
        and the server's host name is checked against it.
      - If not set, the environment variable E(MAS_DB2_SSL_SERVER_CERTIFICATE) is used.
    type: path
  connect_timeout:
    description:
      - Seconds the driver waits for one connection attempt (the CLI keyword C(ConnectTimeout)). The driver may try
        a few times, so a dead host fails within a small multiple of this.
      - If not set, the environment variable E(MAS_DB2_CONNECT_TIMEOUT) is used.
      - From 1 to 3,600; a value outside is refused before anything is sent.
    type: int
    default: 30
  connection_options:
    description:
      - "Further DB2 CLI keywords for the connection string, for example C({CurrentSchema: MAXIMO})."
      - Keywords the module sets itself, and any that would turn SSL, certificate or host name checking off
        (C(SSLClientHostnameValidation) other than C(BASIC), C(sslConnection), C(SecurityTransportMode),
        client key stores, C(Authentication)), are refused before connecting.
    type: dict
    default: {}
  replica:
    description:
      - Declares that O(hostname) is the ordered read replica of production. Production data may only be read
        from the replica, so reading in a production environment is refused unless this is V(true).
      - If not set, the environment variable E(MAS_DB2_REPLICA) is used; only V(true), V(yes), V(on), V(1), V(y) or
        V(t) (any case) there declare the replica; an empty or any other value does not.
    type: bool
    default: false
requirements:
  - ibm_db >= 3.2.0 (its PyPI wheel bundles the DB2 CLI driver)
'''
