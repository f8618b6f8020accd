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


def repeated(identities):
    """The indexes of the items whose identity an earlier item already has (in order; each repeat once)."""
    return [index for index, identity in enumerate(identities) if identity in identities[:index]]


class ListOption:
    """The options of one item, given once at the top level or as a list of items.

    A module describes one item (a remote, a data source, a record) by a dict of options. This gives it the
    top-level form of those options (one item, with defaults) and the list form (``remotes``, ``data_sources``,
    ``objects``: the same options without defaults, an item's left-out option taken from the top level), the items
    as dicts, and the result in the form that was asked for.

    ``options``: {name: spec} of one item, without defaults. ``defaults``: {name: value} of the top-level form.
    ``top_level``: {name: spec keys} replacing parts of a top-level option (a shared option's default and
    environment variable fallback, as ``production`` takes ENVIRONMENT_SPEC's). ``required``: the options every
    item of the list must give (its identity: ``name``, ``dsn``, ``object_structure`` and ``key``). ``item``:
    {name: spec} replacing an option's spec in the list form only (automation_script's nested lists, whose
    sub-options only the top-level form documents and the module checks itself).
    """

    def __init__(self, name, options, defaults=None, top_level=None, required=(), item=None):
        self.name = name
        self.options = options
        self.defaults = defaults or {}
        self.top_level = top_level or {}
        self.required = tuple(required)
        self.item = item or {}

    def argument_spec(self):
        """The top-level options and the list option, for the module's argument spec."""
        spec = {}
        for option, option_spec in self.options.items():
            spec[option] = dict(option_spec)
            if option in self.defaults:
                spec[option]['default'] = self.defaults[option]
            spec[option].update(self.top_level.get(option) or {})
        item = {}
        for option, option_spec in self.options.items():
            item[option] = dict(self.item.get(option, option_spec))
            if option in self.required:
                item[option]['required'] = True
        spec[self.name] = dict(type='list', elements='dict', options=item)
        return spec

    def given(self, params):
        """Whether the task gave the list form."""
        return bool(params.get(self.name))

    def items(self, params):
        """Every item as a dict of all the options (see items_over_top_level)."""
        return items_over_top_level(params, self.name, self.options)

    def output(self, params, output, results, identity=()):
        """``output`` completed by the per-item ``results``: the list under the list option's name, or, for the
        top-level form, the one result's keys but ``changed`` and the ``identity`` keys."""
        if self.given(params):
            output[self.name] = results
        else:
            output.update((key, value) for key, value in results[0].items()
                          if key != 'changed' and key not in identity)
        return output
