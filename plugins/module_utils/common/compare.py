# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: whether what a service holds already has what is wanted (the no-write test of every plan).

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


def contains(wanted, held):
    """Whether ``held`` already has everything in ``wanted`` (dicts: the wanted keys; lists: same length, in order)."""
    if isinstance(wanted, dict):
        return isinstance(held, dict) and all(contains(value, held.get(key)) for key, value in wanted.items())
    if isinstance(wanted, list):
        return (isinstance(held, list) and len(wanted) == len(held)
                and all(contains(w, h) for w, h in zip(wanted, held)))
    return wanted == held
