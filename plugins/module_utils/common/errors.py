# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: the two roots of every failure the collection knows, so one place (the module runner) reports them.

- ``RefusedError``: refused before sending. Bad input, an access rule, a value that cannot go into a config file.
  Nothing was sent and nothing was written. It is a ``ValueError`` too, so pure code can be used without the runner.
- ``ServiceError``: the service said no, or did not answer in time (a MAS route, COS, DB2, IBM Cloud).

Every error text is already redacted and says what to do. ``result()`` holds the extra keys of the failed result.
A module raises one of the two with keyword arguments for the keys its failed result carries (never secrets; the
runner redacts them anyway): ``raise RefusedError('a group is listed twice: x', refused=True)``.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class MasError(Exception):
    """The common root; raise one of the two below."""

    def __init__(self, *args, **keys):
        super(MasError, self).__init__(*args)
        # Named apart from the subclasses' own attributes (StatementError has ``details``).
        self.result_keys = keys

    def message(self):
        return str(self)

    def result(self):
        """Extra keys for the failed task's result (never secrets): those given when raised."""
        return dict(getattr(self, 'result_keys', None) or {})


class RefusedError(MasError, ValueError):
    """Refused before sending anything: the input, an access rule or a local value is wrong."""


class ServiceError(MasError):
    """A call to a MAS service, COS, DB2 or IBM Cloud failed."""

    def to_dict(self):
        """What failed (call, status, code ...) for the result's ``error`` key; empty when unknown."""
        return {}

    def result(self):
        found = {'error': self.to_dict()} if self.to_dict() else {}
        found.update(super(ServiceError, self).result())
        return found
