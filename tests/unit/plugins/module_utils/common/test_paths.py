# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Remote names become local paths only inside their directory."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common.paths import (
    UnsafeNameError, check_all, contained_path, relative_parts, shown)


@pytest.mark.parametrize('name', ['a.txt', 'dir/sub/file.zip', 'with space/é.txt', '...', '..a/b..', 'a\\..\\b',
                                  'x' * 255, '-leading-dash', '#hash'])
def test_plain_names_are_accepted(name):
    assert '/'.join(relative_parts(name)) == name


@pytest.mark.parametrize('name, reason', [
    ('', 'empty'),
    ('../x', "'..' path segment"),
    ('a/../../x', "'..' path segment"),
    ('a/..', "'..' path segment"),
    ('..', "'..' path segment"),
    ('./a', "'.' path segment"),
    ('a/./b', "'.' path segment"),
    ('/etc/passwd', 'absolute'),
    ('a//b', 'empty path segment'),
    ('a/', 'empty path segment'),
    ('a\x00b', 'NUL byte'),
    ('a\nb', 'control character (\\x0a)'),
    ('a\rb', 'control character (\\x0d)'),
    ('a\x85b', 'control character (\\x85)'),
    ('x' * 256, 'longer than 255 bytes'),
    ('é' * 128, 'longer than 255 bytes'),
])
def test_unsafe_names_are_refused_with_the_name_and_the_reason(name, reason):
    with pytest.raises(UnsafeNameError) as caught:
        relative_parts(name)
    message = str(caught.value)
    assert reason in message
    assert message.startswith("refused object key '%s'" % shown(name))
    assert '\x00' not in message and '\n' not in message


def test_a_huge_name_is_shown_truncated():
    assert len(shown('a' * 1000000)) < 300


def test_contained_path_stays_inside(tmp_path):
    root = str(tmp_path / 'root')
    assert contained_path(root, 'a/b.txt') == os.path.join(root, 'a', 'b.txt')
    assert contained_path(root + '/', 'b.txt') == os.path.join(root, 'b.txt')


def test_a_symbolic_link_out_of_the_directory_is_refused(tmp_path):
    root, outside = tmp_path / 'root', tmp_path / 'outside'
    root.mkdir()
    outside.mkdir()
    (root / 'link').symlink_to(outside)
    (root / 'inner').mkdir()
    (root / 'inside-link').symlink_to(root / 'inner')
    with pytest.raises(UnsafeNameError) as caught:
        contained_path(str(root), 'link/evil.sh')
    assert 'symbolic link' in str(caught.value) and str(outside) in str(caught.value)
    with pytest.raises(UnsafeNameError):
        contained_path(str(root), 'link/deeper/evil.sh')
    # A link that stays inside is fine, and so is a last segment that is a link (the rename replaces the link).
    assert contained_path(str(root), 'inside-link/ok.txt') == str(root / 'inside-link' / 'ok.txt')
    (root / 'last').symlink_to(outside / 'target')
    assert contained_path(str(root), 'last') == str(root / 'last')


def test_the_root_itself_may_be_a_link(tmp_path):
    real = tmp_path / 'real'
    real.mkdir()
    (tmp_path / 'alias').symlink_to(real)
    assert contained_path(str(tmp_path / 'alias'), 'a/b') == str(tmp_path / 'alias' / 'a' / 'b')


def test_a_directory_in_the_way_is_refused(tmp_path):
    (tmp_path / 'taken').mkdir()
    with pytest.raises(UnsafeNameError) as caught:
        contained_path(str(tmp_path), 'taken')
    assert 'directory is in the way' in str(caught.value)


def test_check_all_refuses_collisions(tmp_path):
    root = str(tmp_path)
    assert sorted(check_all(root, ['a/b', 'a/c', 'd'])) == ['a/b', 'a/c', 'd']
    with pytest.raises(UnsafeNameError) as caught:
        check_all(root, ['a', 'a/b'])
    assert "refused object key 'a'" in str(caught.value) and "'a/b' needs it to be a directory" in str(caught.value)
    with pytest.raises(UnsafeNameError) as caught:
        check_all(root, ['x/y/z', 'x'], what='log bundle name')
    assert str(caught.value).startswith("refused log bundle name 'x'")
    with pytest.raises(UnsafeNameError) as caught:
        check_all(root, ['same', 'same'])
    assert 'same file' in str(caught.value)


def test_check_all_checks_every_name_before_returning(tmp_path):
    # The bad name is last: nothing may have been created for the good ones (check_all writes nothing).
    with pytest.raises(UnsafeNameError):
        check_all(str(tmp_path / 'new'), ['good/one', 'good/two', '../escape'])
    assert not (tmp_path / 'new').exists()


def test_check_all_at_the_file_system_root():
    assert check_all('/', ['tmp/x']) == {'tmp/x': '/tmp/x'}
