# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: the two roots of every failure the collection knows, so one place (the module runner) reports them.

- ``RefusedError``: refused before sending. Bad input, an access rule, a value that cannot go into a config file.
  Nothing was sent and nothing was written. It is a ``ValueError`` too, so pure code can be used without the runner.
- ``ServiceError``: the service said no, or did not answer in time (a MAS route, COS, DB2, IBM Cloud).

Every error text is already redacted and says what to do. ``result()`` holds the extra keys of the failed result.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class MasError(Exception):
    """The common root; raise one of the two below."""

    def message(self):
        return str(self)

    def result(self):
        """Extra keys for the failed task's result (never secrets)."""
        return {}


class RefusedError(MasError, ValueError):
    """Refused before sending anything: the input, an access rule or a local value is wrong."""


class ServiceError(MasError):
    """A call to a MAS service, COS, DB2 or IBM Cloud failed."""

    def to_dict(self):
        return {}

    def result(self):
        return {'error': self.to_dict()}
