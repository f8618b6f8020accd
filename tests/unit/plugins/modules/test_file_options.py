# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files the modules write take mode/owner/group and reach their place through AnsibleModule.atomic_move."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import grp
import os
import pwd

from ansible.module_utils import basic

from ansible_collections.mas.dedicated.plugins.modules import db2_client_config, rclone_remote

CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'


def spy_moves(monkeypatch):
    moves = []
    real = basic.AnsibleModule.atomic_move

    def spy(self, src, dest, *args, **kwargs):
        moves.append(dest)
        return real(self, src, dest, *args, **kwargs)
    monkeypatch.setattr(basic.AnsibleModule, 'atomic_move', spy)
    return moves


def remote_args(path, **extra):
    args = dict(path=str(path), name='dev-custfile', bucket='acme-dev-custfile', region='us-east',
                access_key_id='AKID', secret_access_key='SECRET-VALUE')
    args.update(extra)
    return args


def mode_of(path):
    return os.stat(str(path)).st_mode & 0o777


def test_rclone_config_is_0600_by_default_and_moved_by_atomic_move(run_module, tmp_path, monkeypatch):
    moves = spy_moves(monkeypatch)
    path = tmp_path / 'new' / 'rclone.conf'
    outcome = run_module(rclone_remote, remote_args(path))
    assert not outcome.failed and outcome.result['changed']
    assert moves == [str(path)] and mode_of(path) == 0o600
    assert os.listdir(str(path.parent)) == ['rclone.conf']


def test_rclone_config_takes_mode_owner_group_idempotently(run_module, tmp_path, monkeypatch):
    path = tmp_path / 'rclone.conf'
    me, my_group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    first = run_module(rclone_remote, remote_args(path, mode='0640', owner=me, group=my_group))
    assert not first.failed and first.result['changed'] and mode_of(path) == 0o640
    again = run_module(rclone_remote, remote_args(path, mode='0640', owner=me, group=my_group))
    assert not again.failed and not again.result['changed'] and mode_of(path) == 0o640
    # Only the mode differs: that alone is a change, and the content stays as it was.
    text = path.read_text()
    tighter = run_module(rclone_remote, remote_args(path, mode='0600'))
    assert tighter.result['changed'] and mode_of(path) == 0o600 and path.read_text() == text


def test_db2_client_config_files_take_mode(run_module, tmp_path, monkeypatch):
    moves = spy_moves(monkeypatch)
    cert = tmp_path / 'db.arm'
    cert.write_text(CERT)
    cfg, ini = tmp_path / 'cfg' / 'db2dsdriver.cfg', tmp_path / 'odbc.ini'
    args = dict(dsn='ACMEDEV', database='BLUDB', hostname='db.example.com', port=50001, production=False,
                ssl_server_certificate=str(cert), dsdriver_cfg=str(cfg), odbc_ini=str(ini), check_certificate=False,
                mode='0640')
    outcome = run_module(db2_client_config, args)
    assert not outcome.failed and outcome.result['changed'], outcome.result
    assert sorted(moves) == sorted([str(cfg), str(ini)])
    assert mode_of(cfg) == 0o640 and mode_of(ini) == 0o640
    assert not run_module(db2_client_config, args).result['changed']
