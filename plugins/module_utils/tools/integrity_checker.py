# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: read an integrity checker log and say what it found.

The exact log layout is not published [guess]: lines carry a level word (ERROR, WARNING, REPAIRED)
and/or a Maximo message code ``BMXAAnnnnX`` whose last letter is the severity (E error, W warning,
I information). Both are recognised, so a log in either style is counted.

A run names two files [client: the Tools API's answer ``{"lisfile", "logfile"}``]: the run log and a listing
(``.lis``) that more likely holds the findings; both are read, a line found in both counted once. Whether the
log ends with a summary line is not known either: without one, completion is inferred (tools_api.py).

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

_CODE = re.compile(r'\b(BMXAA\d{4})([EWI])\b')
_LEVEL = re.compile(r'^\s*\[?(ERROR|SEVERE|WARNING|WARN|REPAIRED|FIXED)\]?\b[:\s-]*', re.IGNORECASE)
_TOTALS = re.compile(r'(\d+)\s+(errors?|warnings?|repaired)', re.IGNORECASE)
_LEVELS = {'error': 'error', 'severe': 'error', 'warning': 'warning', 'warn': 'warning',
           'repaired': 'repaired', 'fixed': 'repaired'}


def _total_name(word):
    word = word.lower()
    return 'errors' if word.startswith('error') else 'warnings' if word.startswith('warn') else 'repaired'


def classify(line):
    """'error', 'warning', 'repaired' or None for one log line."""
    level = _LEVEL.match(line)
    if level:
        return _LEVELS[level.group(1).lower()]
    code = _CODE.search(line)
    if code and code.group(2) in 'EW':
        return 'error' if code.group(2) == 'E' else 'warning'
    return None


def summarize(text, max_lines=50):
    """Counts and the lines that matter. ``completed`` tells whether the closing summary line was seen."""
    counts = {'error': 0, 'warning': 0, 'repaired': 0}
    findings = []
    completed = False
    reported = None
    for raw in (text or '').splitlines():
        line = raw.strip()
        if not line:
            continue
        if 'completed' in line.lower() and _TOTALS.search(line):
            completed = True
            reported = dict((_total_name(word), int(number)) for number, word in _TOTALS.findall(line))
            continue
        kind = classify(line)
        if kind:
            counts[kind] += 1
            if len(findings) < max_lines:
                code = _CODE.search(line)
                findings.append({'level': kind, 'code': code.group(0) if code else None, 'text': line})
    return {
        'errors': counts['error'],
        'warnings': counts['warning'],
        'repaired': counts['repaired'],
        'completed': completed,
        'reported_totals': reported,
        'findings': findings,
        'findings_truncated': sum(counts.values()) > len(findings),
    }


def summarize_files(log_text, lis_text=None, max_lines=50):
    """``summarize`` over the run log and the listing file together; a line that is in both counts once."""
    if not lis_text:
        return summarize(log_text, max_lines)
    in_log = set(line.strip() for line in (log_text or '').splitlines())
    extra = [line for line in lis_text.splitlines() if line.strip() not in in_log]
    return summarize('\n'.join([(log_text or '').rstrip('\n')] + extra), max_lines)
