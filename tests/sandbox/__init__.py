# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local stand-in for MAS Dedicated: run ``python -m sandbox`` from the tests/ directory."""
