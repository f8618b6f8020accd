# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Destinations checked before any work: why a file or a directory of files cannot be written there."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.files import dir_dest_problem, file_dest_problem


def test_a_file_dest(tmp_path):
    (tmp_path / 'a-file').write_text('x')
    assert file_dest_problem(str(tmp_path / 'report.log')) is None
    assert file_dest_problem(str(tmp_path / 'a-file')) is None  # replaced atomically
    assert 'is a directory' in file_dest_problem(str(tmp_path))
    assert "'%s' is a file, not a directory" % (tmp_path / 'a-file') in file_dest_problem(str(tmp_path / 'a-file' / 'x' / 'r.log'))
    assert file_dest_problem(str(tmp_path / 'missing' / 'r.log')) is None  # its directories are created
    assert 'NUL' in file_dest_problem('r\0.log')


def test_a_directory_dest(tmp_path):
    (tmp_path / 'a-file').write_text('x')
    assert dir_dest_problem(str(tmp_path)) is None
    assert dir_dest_problem(str(tmp_path / 'new' / 'deeper')) is None  # created when missing
    assert 'is a file, not a directory' in dir_dest_problem(str(tmp_path / 'a-file'))
    assert "'%s' is a file" % (tmp_path / 'a-file') in dir_dest_problem(str(tmp_path / 'a-file' / 'logs'))
