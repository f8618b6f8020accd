# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.mas.dedicated.plugins.module_utils.common.redact import MASK, redact, redact_text

KEY = 'k3y-Abcdef0123456789'


def test_known_secret_is_masked_everywhere():
    assert redact_text('sent %s twice: %s' % (KEY, KEY), [KEY]) == 'sent %s twice: %s' % (MASK, MASK)


def test_named_pairs_are_masked_even_when_the_value_is_unknown():
    text = 'GET /x?apikey=abc123&lean=1 headers {"apikey": "zzz999", "Authorization": "Basic dXNlcjpwdw=="}'
    out = redact_text(text)
    assert 'abc123' not in out and 'zzz999' not in out and 'dXNlcjpwdw' not in out
    assert 'lean=1' in out


def test_short_or_empty_secrets_do_not_mask_everything():
    assert redact_text('a b c', ['', None, 'a']) == 'a b c'


def test_structures_are_redacted_recursively():
    value = {'api_key': KEY, 'nested': [{'msg': 'key was %s' % KEY}], 'password': '', 'count': 3}
    out = redact(value, [KEY])
    assert out['api_key'] == MASK
    assert out['nested'][0]['msg'] == 'key was %s' % MASK
    assert out['password'] == '' and out['count'] == 3


def test_longer_secret_masked_whole_before_its_prefix():
    assert redact_text('abcdef', ['abcd', 'abcdef']) == MASK


def test_markdown_bold_after_a_secret_name_is_no_value():
    # support_case's case.md says '- **SMTP password:** not included in this case'; the result shows it as it is.
    text = '- **SMTP password:** not included in this case; **Bind password:**'
    assert redact_text(text) == text
    assert redact_text('password: ********') == 'password: ********'
    assert redact_text('password: **real') == 'password: ' + MASK
    assert redact_text('password:***x') == 'password:' + MASK
