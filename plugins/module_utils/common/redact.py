# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: remove secrets from any text or structure before it can reach output, logs or errors.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

MASK = '********'
# Header and field names whose values are secrets wherever they appear.
SECRET_NAMES = ('apikey', 'api_key', 'x-access-token', 'authorization', 'password', 'secret_access_key',
                'token', 'maxauth', 'pwd')
# A run of asterisks is no value: Markdown's bold ("**SMTP password:** not included") or a mask already.
_NAMED = re.compile(
    r'(?i)(["\']?(?:%s)["\']?\s*[:=]\s*["\']?(?:(?:basic|bearer|token)\s+)?)(?!\*+(?:[\s"\'&,;}]|$))([^"\'\s&,;}]+)'
    % '|'.join(re.escape(n) for n in SECRET_NAMES))


def redact_text(text, secrets=()):
    """Mask every known secret value and every ``name=value`` / ``"name": "value"`` pair with a secret name."""
    if text is None:
        return None
    text = str(text)
    # Longest first, so a secret that contains another is masked whole.
    for secret in sorted((s for s in secrets if s and len(str(s)) >= 4), key=lambda s: -len(str(s))):
        text = text.replace(str(secret), MASK)
    return _NAMED.sub(lambda m: m.group(1) + MASK, text)


def redact(value, secrets=()):
    """Redact recursively inside dicts, lists and strings; values under secret-named keys are masked."""
    if isinstance(value, dict):
        return dict((k, MASK if str(k).lower() in SECRET_NAMES and v not in (None, '') else redact(v, secrets))
                    for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [redact(v, secrets) for v in value]
    if isinstance(value, str):
        return redact_text(value, secrets)
    return value
