# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.tools.integrity_checker import classify, summarize

REPORT = """BMXAA0354I - Integrity Checker started in REPORT mode at 2026-11-22 13:44:57
Checking database objects ...
ERROR BMXAA0491E - Attribute ASSET.ASSETTAG: length in MAXATTRIBUTE (20) does not match the database column (24).
ERROR BMXAA0492E - Object WOCHANGE is defined in MAXOBJECT but its table is missing.
WARNING BMXAA0495W - Index WORKORDER_NDX9 is defined in MAXSYSINDEXES but not in the database.
BMXAA0356I - Integrity Checker completed: 2 errors, 1 warnings.
"""

REPAIR = """BMXAA0354I - Integrity Checker started in REPAIR mode at 2026-11-22 13:50:00
REPAIRED BMXAA0491E - Attribute ASSET.ASSETTAG: length in MAXATTRIBUTE (20) does not match the database column (24).
WARNING BMXAA0495W - Index WORKORDER_NDX9 is defined in MAXSYSINDEXES but not in the database.
BMXAA0356I - Integrity Checker completed: 0 errors, 1 warnings, 1 repaired.
"""


def test_report_counts_and_findings():
    summary = summarize(REPORT)
    assert (summary['errors'], summary['warnings'], summary['repaired']) == (2, 1, 0)
    assert summary['completed'] is True
    assert summary['reported_totals'] == {'errors': 2, 'warnings': 1}
    assert summary['findings'][0] == {
        'level': 'error', 'code': 'BMXAA0491E',
        'text': 'ERROR BMXAA0491E - Attribute ASSET.ASSETTAG: length in MAXATTRIBUTE (20) does not match the '
                'database column (24).'}
    assert summary['findings_truncated'] is False


def test_repaired_line_is_not_counted_as_an_error():
    summary = summarize(REPAIR)
    assert (summary['errors'], summary['warnings'], summary['repaired']) == (0, 1, 1)
    assert summary['reported_totals'] == {'errors': 0, 'warnings': 1, 'repaired': 1}


def test_unfinished_log_is_not_completed():
    assert summarize(REPORT.splitlines()[0])['completed'] is False
    assert summarize('')['completed'] is False


def test_code_only_lines_are_classified_by_the_code_severity():
    assert classify('BMXAA1234E - boom') == 'error'
    assert classify('  BMXAA1234W something odd') == 'warning'
    assert classify('BMXAA0354I - started') is None
    assert classify('[SEVERE] disk full') == 'error'
    assert classify('Checking ERRORS table') is None


def test_findings_are_bounded():
    text = '\n'.join('ERROR BMXAA0001E - problem %d' % n for n in range(80))
    summary = summarize(text, max_lines=50)
    assert summary['errors'] == 80 and len(summary['findings']) == 50 and summary['findings_truncated']
