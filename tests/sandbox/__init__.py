# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local stand-in for MAS Dedicated (see README.md): ``cd tests && python -m sandbox --port 0``.

``create_app()`` builds the application with every API module; ``core.make_server`` or
``core.serve_in_thread`` serves it. A new API module adds its ``register(app)`` to ``API_MODULES``.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from . import (case_management, logging_service, manage, manage_people, manage_rest, mas_users, migration_manager, s3,
               tools_api)
from .core import App

# One line per API module, in routing order.
API_MODULES = (
    manage,
    tools_api,
    s3,
    logging_service,
    mas_users,
    manage_people,
    manage_rest,
    migration_manager,
    case_management,
)

# A test-only key, not a secret: the sandbox never runs anywhere but on a developer's or CI machine.
DEFAULT_API_KEY = 'sbx-apikey-0123456789abcdef'
DEFAULT_CONFIG = {'report_delay': 1.0, 'stop_delay': 2.0, 'start_delay': 3.0}


def create_app(api_key=DEFAULT_API_KEY, config=None):
    """An App with every API module registered; ``config`` overrides DEFAULT_CONFIG (seconds)."""
    settings = dict(DEFAULT_CONFIG)
    settings.update(config or {})
    app = App(api_key, settings)
    for module in API_MODULES:
        module.register(app)
    return app


def create_environment_app(api_key, config=None):
    """Another Manage environment (migration_manager's ``POST /_sandbox/environments``): every API module but the
    buckets and IBM Cloud's case management, which stay those of the first environment."""
    settings = dict(DEFAULT_CONFIG)
    settings.update(config or {})
    app = App(api_key, settings)
    for module in API_MODULES:
        if module not in (s3, case_management):
            module.register(app)
    return app
