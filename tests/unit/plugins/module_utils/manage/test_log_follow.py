# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure part of following a log read whole: overlap of two reads, what is appended, the loop."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.manage.log_follow import (
    MASK, LogFollower, follow, overlap, split_snapshot)
from ansible_collections.mas.dedicated.tests.unit.fake_clock import FakeClock


def log(*numbers, **kwargs):
    text = ''.join('line %d\n' % n for n in numbers)
    return text + kwargs.get('partial', '')


def test_a_snapshot_splits_into_whole_lines_and_a_partial_last_one():
    assert split_snapshot('a\nb\n') == (['a', 'b'], '')
    assert split_snapshot('a\nb') == (['a'], 'b')
    assert split_snapshot('') == ([], '')
    assert split_snapshot(None) == ([], '')
    assert split_snapshot('a\r\n\n') == (['a\r', ''], '')


@pytest.mark.parametrize('previous,current,expected', [
    (['a', 'b'], ['a', 'b', 'c'], 2),            # the whole log again, grown
    (['a', 'b', 'c'], ['b', 'c', 'd'], 2),       # a rolling tail: the head dropped
    (['a', 'b', 'c'], ['c', 'd'], 1),
    (['a', 'b'], ['a', 'b'], 2),                  # nothing new
    (['a', 'b', 'c'], ['b', 'c'], 2),             # nothing new, head dropped
    (['a', 'b'], ['x', 'y'], None),               # rotated
    (['a', 'b'], [], None),
    ([], ['x'], 0),
    (['x', 'x'], ['x', 'x', 'x'], 2),             # repeated lines: the longest overlap
    (['long line a', 'b', 'c'], ['line a', 'b', 'c', 'd'], 3),   # a tail cut inside a line
    (['a', 'b', 'c'], ['b'], None),               # the last line is gone: truncated
])
def test_overlap(previous, current, expected):
    assert overlap(previous, current) == expected


def test_a_cut_first_line_must_be_followed_by_the_rest_of_the_previous_read():
    # 'ne' ends 'line', but what follows is not the rest of the previous read: a rotation.
    assert overlap(['line', 'b'], ['ne', 'x']) is None
    # An empty first line ends every line: never taken for a cut one.
    assert overlap(['a', 'b'], ['', 'b', 'c']) is None


def test_only_new_lines_are_appended_once_each():
    follower = LogFollower(log(1, 2, 3))
    assert follower.feed(log(1, 2, 3)) == ''
    assert follower.feed(log(1, 2, 3, 4, 5)) == log(4, 5)
    assert follower.feed(log(3, 4, 5, 6)) == log(6)          # rolled: the head is gone
    assert follower.feed(log(5, 6, 7)) == log(7)
    assert follower.finish() == ''
    assert follower.counts() == {'polls': 5, 'lines': 4, 'gaps': 0, 'empty_polls': 0}


def test_a_rotated_log_is_written_whole_after_a_marker_and_counted_as_a_gap():
    follower = LogFollower(log(1, 2))
    out = follower.feed(log(10, 11), 'T1')
    marker, rest = out.split('\n', 1)
    assert 'at T1' in marker and 'rotated or truncated' in marker and 'may be missing' in marker
    assert rest == log(10, 11)
    assert follower.feed(log(10, 11, 12)) == log(12)
    assert follower.counts()['gaps'] == 1 and follower.counts()['lines'] == 3


def test_an_empty_read_is_not_taken_for_a_rotation():
    follower = LogFollower(log(1, 2))
    assert follower.feed('') == ''
    assert follower.feed(log(1, 2, 3)) == log(3)
    assert follower.counts()['gaps'] == 0 and follower.counts()['empty_polls'] == 1


def test_a_truncated_log_that_starts_again_is_a_gap_once_a_line_shows():
    follower = LogFollower(log(1, 2))
    assert follower.feed('') == ''
    out = follower.feed(log(1))      # the log began again with a line equal to an old one: line 2 is gone
    assert out.split('\n', 1)[1] == log(1)
    assert follower.counts()['gaps'] == 1


def test_a_partial_last_line_is_held_back_until_it_is_whole():
    follower = LogFollower(log(1, partial='li'))
    assert follower.feed(log(1, partial='line 2 hal')) == ''
    assert follower.feed(log(1, 2, partial='li')) == log(2)
    assert follower.feed(log(1, 2, 3)) == log(3)
    assert follower.counts()['lines'] == 2


def test_the_partial_line_of_the_last_read_is_written_at_the_end():
    follower = LogFollower(log(1))
    assert follower.feed(log(1, 2, partial='still writing')) == log(2)
    assert follower.finish() == 'still writing\n'
    assert follower.finish() == ''
    assert follower.counts()['lines'] == 2


def test_a_log_that_never_ends_with_a_newline_loses_no_line():
    # A server that strips the last newline: every read's last line looks partial.
    follower = LogFollower('a\nb')
    assert follower.feed('a\nb\nc') == 'b\n'
    assert follower.feed('a\nb\nc\nd') == 'c\n'
    assert follower.finish() == 'd\n'


def test_our_secrets_are_masked_in_what_is_written():
    follower = LogFollower(log(1), secrets=('sekrit-api-key-123', '', None))
    out = follower.feed(log(1) + 'apikey header was sekrit-api-key-123\n')
    assert out == 'apikey header was %s\n' % MASK


def test_reads_that_alternate_between_two_servers_logs_are_each_followed():
    pod_a = ['a%d' % n for n in range(5)]
    pod_b = ['b%d' % n for n in range(5)]

    def snap(lines):
        return ''.join(line + '\n' for line in lines)
    follower = LogFollower(snap(pod_a[:2]))
    assert follower.feed(snap(pod_b[:2]), 'T').endswith(snap(pod_b[:2]))    # a new source: one gap
    assert follower.feed(snap(pod_a[:3])) == snap(pod_a[2:3])
    assert follower.feed(snap(pod_b[:3])) == snap(pod_b[2:3])
    assert follower.feed(snap(pod_a[1:5])) == snap(pod_a[3:5])               # pod a's log rolled meanwhile
    assert follower.feed(snap(pod_b[:5])) == snap(pod_b[3:5])
    assert follower.counts()['gaps'] == 1 and follower.counts()['lines'] == 8


def test_at_most_four_sources_are_remembered():
    follower = LogFollower('s0\n')
    for number in range(1, 6):
        follower.feed('s%d\n' % number, 'T')
    assert follower.counts()['gaps'] == 5
    assert follower.feed('s5\nnew\n') == 'new\n'      # the latest source
    assert follower.feed('s2\nmore\n') == 'more\n'    # still remembered
    out = follower.feed('s0\nagain\n', 'T')             # forgotten: a gap
    assert out.endswith('s0\nagain\n') and follower.counts()['gaps'] == 6


def test_the_loop_reads_every_interval_and_once_more_at_the_end():
    clock = FakeClock(100.0)
    reads = iter([log(1, 2), log(1, 2, 3), log(1, 2, 3, partial='x'), log(2, 3, 4)])
    written = []
    seconds = follow(lambda: next(reads), written.append, LogFollower(log(1)), 10, 3, clock, clock.sleep, lambda: 'T')
    assert clock.sleeps == [3, 3, 3, 1]
    assert ''.join(written) == log(2, 3, 4)
    assert seconds == 10


def test_a_follow_of_zero_seconds_reads_nothing():
    clock = FakeClock(100.0)
    written = []

    def read():
        raise AssertionError('read')
    follow(read, written.append, LogFollower(log(1, partial='p')), 0, 3, clock, clock.sleep, lambda: 'T')
    assert clock.sleeps == [] and written == ['p\n']


def test_a_failed_read_ends_the_loop_with_the_error():
    clock = FakeClock(100.0)

    def read():
        raise RuntimeError('down')
    with pytest.raises(RuntimeError):
        follow(read, lambda text: None, LogFollower(''), 5, 1, clock, clock.sleep, lambda: 'T')
