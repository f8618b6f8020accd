# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Following a log that is only ever read whole: what is new in each read (pure).

The logging service's ``wsmethod:streamLog`` answers with log text [client: maximo-api-client 0.8.4
``LoggingService.streamLogsFromManage``, which keeps the last N lines of it itself]. Whether each answer is the
whole current log or only its tail is not published, so every read (a *snapshot*) is compared with the previous
one: the new lines are those after the longest run of the previous snapshot's last lines that opens the new one.
That covers a log that only grows (the whole previous snapshot opens the new one) and a rolling one whose head is
dropped as it grows (a tail of it does). When nothing of the previous snapshot opens the new one, the log was
rotated or truncated between the reads: the whole new snapshot is new, written after a marker line, and counted
as a gap (lines logged between the two reads and rotated away are lost, and the marker says so).

- The last line of a snapshot that does not end with a newline is still being written: it is held back until a
  later snapshot has it whole, and written as it is at the end of the follow.
- A snapshot that is empty, or holds no whole line, changes nothing: one such answer is not taken for a rotation.
- A snapshot may begin with the end of a cut line (a tail cut by size): a first line that ends a line of the
  previous snapshot, followed by that snapshot's remaining lines, is an overlap too.
- Reads that alternate between the logs of several servers (unknown whether a route can do that) are followed
  each on its own (``LogFollower.MAX_SOURCES``): a gap only when a read continues none of the recent ones.
- Repeated identical lines make the overlap ambiguous; the longest one is taken, so a log that is cut at its head
  *and* repeats itself can have lines taken for ones already written (never written twice).

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

MASK = '********'
MARKER = ('---- mas.dedicated manage_log_level: at %s the log did not continue an earlier read (rotated or truncated, '
          'or served by another server); lines logged in between may be missing; the whole log as read follows ----')


def split_snapshot(text):
    """``(whole lines, partial last line)`` of one read; a line keeps a ``\\r`` before its ``\\n``."""
    lines = (text or '').split('\n')
    partial = lines.pop()
    return lines, partial


def overlap(previous, current):
    """How many lines at the start of ``current`` the reader already has from ``previous``; None: no overlap.

    The longest run of ``previous``'s last lines that opens ``current`` (``len(previous)`` when ``current``
    continues ``previous``); failing that, a first line of ``current`` that is the end of a (cut) line of
    ``previous`` followed by all the lines after it (at least one).
    """
    if not previous:
        return 0
    if not current:
        return None
    first = current[0]
    size = len(previous)
    for start in (i for i, line in enumerate(previous) if line == first):
        length = size - start
        # The last line first: a cheap refusal of most candidates when one line repeats through the log.
        if length <= len(current) and current[length - 1] == previous[-1] and previous[start:] == current[:length]:
            return length
    if first:
        for start in (i for i, line in enumerate(previous[:-1]) if line.endswith(first)):
            length = size - start - 1
            if length + 1 <= len(current) and previous[start + 1:] == current[1:length + 1]:
                return length + 1
    return None


def mask(line, secrets):
    """``line`` with every known secret value (ours: the API key the task sends) masked."""
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=lambda s: -len(s)):
        line = line.replace(secret, MASK)
    return line


class LogFollower:
    """The state of one follow: the recent snapshots (*sources*), each with its held-back partial line, and counts.

    ``feed(text, stamp)`` takes the next read and returns the text to append (``stamp`` names the time in a
    marker line); ``finish()`` returns the held-back partial line of the last read. Nothing of the first read (the
    baseline) is written: the file holds what was logged after it.

    Up to ``MAX_SOURCES`` snapshots that did not continue one another are remembered, and a read continues the one
    it overlaps most (the latest on a tie): should successive reads come from the logs of different Manage pods
    (a route balancing between them; unknown), each log is followed on its own instead of being written again
    whole at every read. A read that continues none is a gap and becomes a new source.
    """

    MAX_SOURCES = 4

    def __init__(self, baseline, secrets=()):
        self.sources = [split_snapshot(baseline)]
        self.secrets = tuple(s for s in secrets if s)
        self.polls = 1
        self.gaps = 0
        self.written_lines = 0
        self.empty_polls = 0

    def _text(self, lines):
        self.written_lines += len(lines)
        return ''.join(mask(line, self.secrets) + '\n' for line in lines)

    def _best(self, lines):
        """(index of the source the read continues, lines it already has); (None, 0) when it continues none."""
        best, known = None, 0
        for index, (previous, dummy) in enumerate(self.sources):
            found = overlap(previous, lines)
            if found is not None and (best is None or found > known):
                best, known = index, found
        return best, known

    def feed(self, text, stamp=''):
        self.polls += 1
        lines, partial = split_snapshot(text)
        if not lines:
            # No whole line: an empty or a just-started log. Taken for a rotation only once a line shows.
            self.empty_polls += 1
            if partial and not self.sources[0][0]:
                self.sources[0] = ([], partial)
            return ''
        index, known = self._best(lines)
        out = ''
        if index is None:
            self.gaps += 1
            out = MARKER % stamp + '\n'
        else:
            del self.sources[index]
        out += self._text(lines[known:])
        self.sources.insert(0, (lines, partial))
        del self.sources[self.MAX_SOURCES:]
        return out

    def finish(self):
        """The last line still being written at the end of the follow, as it is (with a newline)."""
        lines, partial = self.sources[0]
        self.sources[0] = (lines, '')
        return self._text([partial]) if partial else ''

    def counts(self):
        return {'polls': self.polls, 'lines': self.written_lines, 'gaps': self.gaps, 'empty_polls': self.empty_polls}


def follow(read, write, follower, seconds, interval, clock, sleep, stamp):
    """Read every ``interval`` seconds until ``seconds`` have passed (the last read at the end), writing what is
    new; the pure loop: ``read()`` gives the log text, ``write(text)`` appends, ``clock``/``sleep``/``stamp()`` are
    the caller's. Returns the seconds spent."""
    started = clock()
    end = started + seconds
    while True:
        remaining = end - clock()
        if remaining <= 0:
            break
        sleep(min(interval, remaining))
        write(follower.feed(read(), stamp()))
    write(follower.finish())
    return clock() - started
