# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rclone_remote with a list of remotes: one read and one write of the file, the same sections as one by one."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import pytest

from ansible_collections.mas.dedicated.plugins.module_utils.common import files
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


# ---- config injection: what rclone itself reads back ------------------------------------------------------------

INJECTED = '\n[injected]\ntype = local\n'


def listremotes(path):
    import shutil
    import subprocess
    binary = shutil.which('rclone')
    if binary is None:
        pytest.skip('rclone is not installed (make setup installs it)')
    out = subprocess.run([binary, 'listremotes', '--config', str(path)], capture_output=True, text=True, check=True)
    return sorted(line.rstrip(':') for line in out.stdout.splitlines())


@pytest.mark.parametrize('option, value', [
    ('endpoint', 's3.us-east.cloud-object-storage.appdomain.cloud' + INJECTED),
    ('secret_access_key', 'SECRET-x' + INJECTED),
    ('access_key_id', 'AK\r\n[injected]\r\ntype = local'),
    ('region', 'us-east' + INJECTED),
    ('location_constraint', 'us-east-standard\x85[injected]'),
    ('acl', 'private\u2028[injected]'),
    ('endpoint', 's3.example.com\x00[injected]'),
    ('secret_access_key', '`unterminated'),
    ('secret_access_key', ' padded '),
])
def test_a_value_that_would_change_the_file_is_refused_and_the_file_is_unchanged(run_module, tmp_path, option, value):
    conf = tmp_path / 'rclone.conf'
    conf.write_text(HAND_MADE)
    args = dict(remote('dev-custfile'), path=str(conf), region='us-east')
    args[option] = value
    outcome = run_module(rclone_remote, args)
    assert outcome.failed
    # Refused by the rclone config rules, or earlier by the generic checks (NUL, header-safe keys, URL form).
    message = outcome.result['msg']
    assert option in message and ('cannot be written to the rclone config' in message or 'nothing was done' in message)
    assert value.strip() not in message
    assert conf.read_text() == HAND_MADE
    assert listremotes(conf) == ['personal']


@pytest.mark.parametrize('name', ['a]' + INJECTED + '[b', '../x', 'x/y', 'a:b', 'a\x00b', '-lead', 'trail ', ' lead',
                                  'x' * 1000000, '', 'a=b', '[a]'])
def test_a_remote_name_rclone_would_not_accept_is_refused(run_module, tmp_path, name):
    conf = tmp_path / 'rclone.conf'
    conf.write_text(HAND_MADE)
    outcome = run_module(rclone_remote, dict(remote('x'), name=name, path=str(conf), region='us-east'))
    assert outcome.failed and ('remote name' in outcome.result['msg'] or 'name contains a NUL byte' in outcome.result['msg'])
    assert len(outcome.result['msg']) < 400
    assert conf.read_text() == HAND_MADE
    assert listremotes(conf) == ['personal']


@pytest.mark.parametrize('name', ['acme-dev-custfile', 'user@example.com', 'a+b', 'with space', '.', 'é_ü', 'r-emote-'])
def test_names_rclone_accepts_are_written_and_listed(run_module, tmp_path, name):
    conf = tmp_path / 'rclone.conf'
    outcome = run_module(rclone_remote, dict(remote('x'), name=name, path=str(conf), region='us-east'))
    assert not outcome.failed, outcome.result['msg']
    assert listremotes(conf) == [name]


def test_values_with_equals_colons_and_brackets_stay_one_value(run_module, tmp_path):
    # Harmless to both readers: only the first '=' or ':' of a line splits it, and the key comes first.
    conf = tmp_path / 'rclone.conf'
    outcome = run_module(rclone_remote, dict(remote('x'), name='x', path=str(conf), region='us-east',
                                             secret_access_key='a=b:c[d]#e;f'))
    assert not outcome.failed
    assert rclone_remote.read_section(conf.read_text(), 'x')[4] == ('secret_access_key', 'a=b:c[d]#e;f')
    assert listremotes(conf) == ['x']


def _rclone_stub(tmp_path, rc):
    """An rclone stand-in that saves the config it was given and exits with ``rc`` (the real one runs in the
    rclone_remote integration target)."""
    seen = tmp_path / 'seen.conf'
    stub = tmp_path / 'rclone'
    stub.write_text('#!/bin/sh\ncp "$2" %s\necho "Failed to lsf: AccessDenied" >&2\nexit %d\n' % (seen, rc))
    stub.chmod(0o755)
    return str(stub), seen


def test_failed_verification_leaves_the_file_as_it_was(run_module, tmp_path):
    conf = tmp_path / 'rclone.conf'
    conf.write_text(HAND_MADE)
    binary, seen = _rclone_stub(tmp_path, 1)
    outcome = run_module(rclone_remote, dict(remote('dev-custfile'), path=str(conf), region='us-east', verify=True,
                                             rclone_binary=binary))
    assert outcome.failed and outcome.result['changed'] is False and outcome.result['verified'] is False
    assert 'rclone could not list dev-custfile:dev-custfile-bucket' in outcome.result['msg']
    assert 'SECRET-' not in repr(outcome.result)
    assert conf.read_text() == HAND_MADE
    assert '[dev-custfile]' in seen.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ['rclone', 'rclone.conf', 'seen.conf']


def test_successful_verification_then_writes(run_module, tmp_path):
    conf = tmp_path / 'rclone.conf'
    binary, seen = _rclone_stub(tmp_path, 0)
    outcome = run_module(rclone_remote, dict(path=str(conf), region='us-east', verify=True, rclone_binary=binary,
                                             remotes=[remote('a'), remote('b')]))
    assert not outcome.failed and outcome.result['changed']
    assert [r['verified'] for r in outcome.result['remotes']] == [True, True]
    assert conf.read_text() == seen.read_text() and '[b]' in conf.read_text()
    assert oct(conf.stat().st_mode & 0o777) == '0o600'


def test_verify_without_rclone_fails_before_writing(run_module, tmp_path):
    conf = tmp_path / 'rclone.conf'
    conf.write_text(HAND_MADE)
    missing = str(tmp_path / 'no' / 'rclone')
    outcome = run_module(rclone_remote, dict(remote('dev-custfile'), path=str(conf), region='us-east', verify=True,
                                             rclone_binary=missing))
    assert outcome.failed and outcome.result['msg'].startswith("verify=true needs rclone: '%s' was not found" % missing)
    assert conf.read_text() == HAND_MADE and sorted(p.name for p in tmp_path.iterdir()) == ['rclone.conf']
