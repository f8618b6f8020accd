# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared input checks of options.py: ranges (and that the docs state them), URLs, header values, names, paths."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import os
import re

import pytest
import yaml

from ansible_collections.mas.dedicated.plugins.module_utils.common import options
from ansible_collections.mas.dedicated.plugins.module_utils.users.user_limits import group_violations, id_problem, user_violations

PLUGINS = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', 'plugins')


@pytest.mark.parametrize('name', sorted(options.RANGES))
def test_each_range_takes_its_ends_and_refuses_beyond(name):
    low, high = options.RANGES[name]
    assert options.number_problem(name, low) is None
    assert options.number_problem(name, high) is None
    for bad in (low - 1, high + 1, high * 10 ** 6, float('nan'), float('inf'), -float('inf')):
        problem = options.number_problem(name, bad)
        assert problem and name in problem and str(high) in problem


def test_the_numbers_the_issue_reported_are_refused():
    for name, value in (('page_size', -1), ('page_size', 0), ('concurrency', 10 ** 9), ('timeout', 0),
                        ('timeout', -1), ('timeout', 1e300), ('poll_interval', -1), ('purge_days', 10 ** 12),
                        ('port', -1), ('port', 70000), ('retries', -1), ('retry_max_wait', -1)):
        assert options.number_problem(name, value), (name, value)


def _documented_options(text):
    """{option name: [description lines]} of one DOCUMENTATION block, sub-options included."""
    found = {}

    def walk(opts):
        for name, spec in (opts or {}).items():
            description = spec.get('description')
            found.setdefault(name, []).append(description if isinstance(description, list) else [description])
            walk(spec.get('suboptions'))
    walk((yaml.safe_load(text) or {}).get('options'))
    return found


def _docs():
    for path in sorted(glob.glob(os.path.join(PLUGINS, 'modules', '*.py')) +
                       glob.glob(os.path.join(PLUGINS, 'doc_fragments', '*.py'))):
        if os.path.exists(os.path.join(PLUGINS, 'action', os.path.basename(path))):
            continue  # the documentation of an action plugin, which checks its own ranges (job_progress)
        with open(path) as handle:
            source = handle.read()
        for block in re.findall(r"(?:DOCUMENTATION|    [A-Z_]+) = r'''(.*?)'''", source, re.S):
            yield os.path.basename(path), _documented_options(block)


def test_every_ranged_option_documents_its_range():
    seen = set()
    for filename, documented in _docs():
        for name, descriptions in documented.items():
            if name not in options.RANGES:
                continue
            low, high = options.RANGES[name]
            wanted = 'From {:,} to {:,};'.format(low, high) if isinstance(low, int) else \
                'From %s to {:,};'.format(high) % low
            for lines in descriptions:
                assert any(wanted in str(line) for line in lines), '%s: %s does not say %r' % (filename, name, wanted)
            seen.add(name)
    assert seen == set(options.RANGES)


@pytest.mark.parametrize('value', ['file:///etc/passwd', 'ftp://host/x', 'javascript:alert(1)', 'gopher://h:70/x',
                                   'http://', 'https:///path', 'http://host name/', 'http://a\nb', 'example.com'])
def test_urls_other_than_http_with_a_host_are_refused(value):
    assert options.url_problem('manage_url', value)


@pytest.mark.parametrize('value', ['https://acme.example/maximo', 'http://127.0.0.1:8080', 'HTTPS://Host/x?y=1'])
def test_http_urls_are_taken(value):
    assert options.url_problem('manage_url', value) is None


def test_an_rclone_endpoint_may_be_a_bare_host_but_never_another_scheme():
    assert options.url_problem('endpoint', 's3.us.cloud-object-storage.appdomain.cloud', bare_host=True) is None
    assert options.url_problem('endpoint', 's3.example:8443', bare_host=True) is None
    assert options.url_problem('endpoint', 'file:///tmp/x', bare_host=True)
    assert options.url_problem('endpoint', 'javascript:alert(1)', bare_host=True)


def test_keys_that_cannot_be_a_header_are_refused_without_showing_them():
    for value in (u'cl\u00e9-\u2713', 'abc\r\nX-Injected: 1', 'a b', 'tab\t'):
        problem = options.header_problem('api_key', value)
        assert problem and 'api_key' in problem and value not in problem
    assert options.header_problem('api_key', 'Abc-123_xyz/+=') is None


@pytest.mark.parametrize('value', ['../../x', 'a/b', 'UPPER', 'ab', 'a' * 64, '-abc', 'abc-', u'b\u00fccket', ''])
def test_bucket_names_follow_the_naming_rule(value):
    assert options.bucket_problem('bucket', value)


def test_segments_and_labels():
    assert options.segment_problem('object_structure', 'MXAPICRONTASKDEF') is None
    for value in ('../../x', 'a/b', '', '..', 'x' * 101, u'n\u00e4me'):
        assert options.segment_problem('object_structure', value)
    assert options.label_problem('instance', 'acme-1') is None
    assert options.label_problem('instance', '../../x')


def test_paths_of_the_wrong_kind(tmp_path):
    a_file = tmp_path / 'afile'
    a_file.write_text('x')
    a_dir = tmp_path / 'adir'
    a_dir.mkdir()
    assert 'is a directory' in options.path_problem('path', str(a_dir), 'file')
    assert 'is not a directory' in options.path_problem('path', str(a_file / 'x'), 'file')
    assert 'is not a directory' in options.path_problem('local_path', str(a_file), 'directory')
    assert 'does not exist' in options.path_problem('src', str(tmp_path / 'missing'), 'input')
    assert options.path_problem('path', str(tmp_path / 'new' / 'deeper' / 'rclone.conf'), 'file') is None
    assert options.path_problem('src', str(a_file), 'input') is None
    assert 'does not exist' in options.path_problem('output', str(tmp_path / 'missing' / 'rows.csv'), 'file-in-dir')
    assert options.path_problem('output', str(tmp_path / 'rows.csv'), 'file-in-dir') is None


def test_input_problems_walks_sub_options_and_reports_all_at_once():
    spec = dict(port=dict(type='int'), where=dict(type='str'),
                test_database=dict(type='dict', options=dict(port=dict(type='int'), password=dict(type='str'))),
                data_sources=dict(type='list', elements='dict', options=dict(port=dict(type='int'))),
                users=dict(type='list', elements='str'))
    params = dict(port=0, where='a\x00b', test_database=dict(port=70000, password=None),
                  data_sources=[dict(port=1), dict(port=-1)], users=['jdoe', '../../x'])
    problems = options.input_problems(spec, params, raw={'where': 'a\x00b'})
    text = '; '.join(problems)
    assert len(problems) == 5
    for part in ('port must be', 'where contains a NUL', 'test_database.port', 'data_sources[1].port', 'users[1]'):
        assert part in text
    # AnsibleModule turns a list given for a str option into its text: the raw arguments show what was given.
    converted = dict(params, where="['a', 'b']")
    assert 'where must be a string, not a list' in options.input_problems(spec, converted, raw={'where': ['a', 'b']})


def test_user_and_group_ids_that_would_change_a_url_path_are_violations():
    assert id_problem('jane.doe@example.com') is None
    for value in ('../../x', 'a/b', '..', 'a\\b', 'a\x00b'):
        assert id_problem(value)
    assert [v['field'] for v in user_violations({'username': '../../x'})] == ['username']
    assert [v['field'] for v in group_violations({'id': '../X', 'members': ['ok', 'a/b']})] == ['id', 'members[1]']
