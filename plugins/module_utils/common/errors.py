# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: the base of every service error, so one place turns them into a clear fail_json."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ServiceError(Exception):
    """A call to a MAS service or to COS failed; the text is already redacted and says what to do."""

    def to_dict(self):
        return {}
