# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rclone_remote with a list of remotes: one read and one write of the file, the same sections as one by one."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils import files
from ansible_collections.mas.dedicated.plugins.modules import rclone_remote

HAND_MADE = '# mine\n[personal]\ntype = local\n'


def remote(name, **extra):
    item = dict(name=name, bucket=name + '-bucket', access_key_id='AK' + name, secret_access_key='SECRET-' + name)
    item.update(extra)
    return item


def count_writes(monkeypatch):
    writes = []
    real = files.atomic_write

    def counting(path, chunks, **kwargs):
        writes.append(path)
        return real(path, chunks, **kwargs)
    monkeypatch.setattr(rclone_remote, 'atomic_write', counting)
    return writes


def test_list_equals_one_by_one_and_writes_once(run_module, tmp_path, monkeypatch):
    listed, single = tmp_path / 'listed.conf', tmp_path / 'single.conf'
    listed.write_text(HAND_MADE)
    single.write_text(HAND_MADE)
    items = [remote('dev-custfile'), remote('dev-logs', region='eu-de'), remote('test-custfile', acl='public-read')]
    for item in items:
        args = dict(dict(path=str(single), region='us-east'), **item)
        assert not run_module(rclone_remote, args).failed
    writes = count_writes(monkeypatch)
    outcome = run_module(rclone_remote, dict(path=str(listed), region='us-east', remotes=items))
    assert not outcome.failed and outcome.result['changed']
    assert writes == [str(listed)]
    assert listed.read_text() == single.read_text()
    assert listed.read_text().startswith(HAND_MADE)
    assert [r['name'] for r in outcome.result['remotes']] == ['dev-custfile', 'dev-logs', 'test-custfile']
    assert outcome.result['remotes'][1]['remote']['endpoint'] == 's3.eu-de.cloud-object-storage.appdomain.cloud'
    assert 'SECRET-' not in repr(outcome.result)

    again = run_module(rclone_remote, dict(path=str(listed), region='us-east', remotes=items))
    assert not again.result['changed'] and len(writes) == 1
    assert [r['changed'] for r in again.result['remotes']] == [False, False, False]


def test_list_change_and_removal_in_one_pass_with_diff(run_module, tmp_path):
    conf = tmp_path / 'rclone.conf'
    items = [remote('a'), remote('b')]
    run_module(rclone_remote, dict(path=str(conf), region='us-east', remotes=items))
    outcome = run_module(rclone_remote, dict(path=str(conf), region='us-east', _ansible_diff=True, remotes=[
        remote('a', region='eu-gb'), remote('b', state='absent'), remote('c')]))
    assert [r['changed'] for r in outcome.result['remotes']] == [True, True, True]
    text = conf.read_text()
    assert '[b]' not in text and '[c]' in text and 's3.eu-gb.' in text
    diff = outcome.result['diff']
    assert '[b]' in diff['before'] and '[b]' not in diff['after'] and 'SECRET-' not in repr(diff)


def test_bad_item_fails_before_writing(run_module, tmp_path):
    conf = tmp_path / 'rclone.conf'
    conf.write_text(HAND_MADE)
    outcome = run_module(rclone_remote, dict(path=str(conf), region='us-east', remotes=[
        remote('ok'), remote('bad:name', bucket='bad-name-bucket'), dict(name='nokeys'), remote('ok')]))
    assert outcome.failed
    assert "name 'bad:name' is not a valid" in outcome.result['msg']
    assert 'remote nokeys: state=present needs access_key_id, secret_access_key' in outcome.result['msg']
    assert 'remote ok is listed more than once' in outcome.result['msg']
    assert conf.read_text() == HAND_MADE


def test_name_and_remotes_are_exclusive(run_module, tmp_path):
    outcome = run_module(rclone_remote, dict(path=str(tmp_path / 'x'), name='a', remotes=[remote('b')]))
    assert outcome.failed and 'mutually exclusive' in outcome.result['msg']
