# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: list options that let one task do what a loop of tasks would (one module run, one file write).

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


def items_over_top_level(params, list_option, names):
    """The items of the list option ``list_option``, each completed by the top-level options ``names`` it leaves
    out (None); without items, the top-level options as the only item. Lets one task do what a loop would."""
    top = dict((name, params.get(name)) for name in names)
    if not params.get(list_option):
        return [top]
    return [dict(top, **dict((key, value) for key, value in item.items() if value is not None))
            for item in params[list_option]]
