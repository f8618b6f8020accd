# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""write_package: a directory of files written atomically, each only when it changes; sha256_bytes."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import hashlib
import os
import pathlib
import stat

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common import files
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import sha256_bytes, write_package

PACKAGE = {'case.md': b'# case\n', 'attachments/ca.pem': b'PEM', 'SHA256SUMS': b'sums\n'}


def tree(path):
    return dict((os.path.relpath(str(found), path), found.read_bytes()) for found in pathlib.Path(path).rglob('*')
                if found.is_file())


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_check_mode_predicts_and_writes_nothing(tmp_path):
    dest = tmp_path / 'pkg'
    assert write_package(str(dest), PACKAGE, check_mode=True) == dict((name, True) for name in PACKAGE)
    assert not dest.exists()


def test_writes_every_file_with_its_modes_then_only_what_changed(tmp_path):
    dest = tmp_path / 'pkg'
    assert write_package(str(dest), PACKAGE, mode=0o640, dir_mode=0o750) == dict((name, True) for name in PACKAGE)
    assert tree(str(dest)) == PACKAGE
    assert mode(str(dest)) == 0o750 and mode(str(dest / 'attachments')) == 0o750
    assert mode(str(dest / 'case.md')) == 0o640 and mode(str(dest / 'attachments' / 'ca.pem')) == 0o640
    before = os.stat(str(dest / 'case.md')).st_mtime_ns
    changed = dict(PACKAGE, **{'case.md': b'# case, again\n'})
    assert write_package(str(dest), changed, check_mode=True) == {'case.md': True, 'attachments/ca.pem': False,
                                                                  'SHA256SUMS': False}
    assert write_package(str(dest), changed) == {'case.md': True, 'attachments/ca.pem': False, 'SHA256SUMS': False}
    assert tree(str(dest)) == changed and os.stat(str(dest / 'case.md')).st_mtime_ns >= before
    assert write_package(str(dest), changed) == dict((name, False) for name in PACKAGE)


def test_a_failed_write_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    dest = tmp_path / 'pkg'
    write_package(str(dest), PACKAGE)

    def broken(temp, path, file_mode, module=None):
        raise OSError('disk full')
    monkeypatch.setattr(files, 'move_into_place', broken)
    with pytest.raises(OSError):
        write_package(str(dest), dict(PACKAGE, **{'SHA256SUMS': b'other\n'}))
    assert tree(str(dest)) == PACKAGE


def test_sha256_bytes():
    assert sha256_bytes(b'abc') == hashlib.sha256(b'abc').hexdigest()
