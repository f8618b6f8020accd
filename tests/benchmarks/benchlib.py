# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every benchmark shares: where things are, the sandbox's lifetime, and claims printed with their figures."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BIN = os.path.dirname(sys.executable)
COLLECTIONS = os.path.join(TOP, 'build', 'collections')
CTL = os.path.join(TOP, 'tests', 'sandbox', 'ctl.sh')


class Claims(object):
    """Each claim is printed as it is checked; ``summary()`` prints the count and gives the exit status."""

    def __init__(self):
        self.results = []

    def claim(self, name, value, target, better='higher', unit='x'):
        ok = value >= target if better == 'higher' else value <= target
        self.results.append(ok)
        relation = '>=' if better == 'higher' else '<='
        print('  %-62s %10.2f%s  target %s %s%s  %s'
              % (name, value, unit, relation, target, unit, 'PASS' if ok else 'MISS'))
        return ok

    def summary(self):
        print('\n%d of %d claims hold' % (sum(self.results), len(self.results)))
        return 0 if all(self.results) else 1


def control(url, path, method='GET', body=None):
    """A call to the sandbox's own control API (``/_sandbox/...``); its JSON answer."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, method=method)
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


@contextlib.contextmanager
def sandbox(name):
    """A fresh sandbox (HTTP services and S3) for one benchmark, stopped afterwards; yields its ready.json."""
    state = os.path.join(TOP, 'build', 'bench-%s-sandbox' % name)
    subprocess.run([CTL, 'start', sys.executable, state], check=True)
    try:
        with open(os.path.join(state, 'ready.json')) as handle:
            ready = json.load(handle)
        control(ready['url'], '/_sandbox/reset', 'POST')
        yield ready
    finally:
        subprocess.run([CTL, 'stop', sys.executable, state], check=False)


@contextlib.contextmanager
def bench_run(name):
    """A fresh sandbox and a scratch folder for one benchmark; yields (ready.json, folder), both gone afterwards."""
    work = tempfile.mkdtemp(prefix='%s-bench-' % name)
    try:
        with sandbox(name) as ready:
            yield ready, work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def batch_playbook(work, name, module, list_option, items, options, loop=False):
    """A playbook of one ``module`` task given ``items`` as its list option: the whole list in one task, or (``loop``)
    a loop of one-item tasks. The items go in a vars file, so the playbook's size does not grow with them."""
    path = os.path.join(work, name + '.yml')
    data = os.path.join(work, name + '.json')
    variable = 'bench_' + list_option
    with open(data, 'w') as out:
        json.dump({variable: items}, out)
    task = {module: dict(options, **{list_option: '{{ [item] }}' if loop else '{{ %s }}' % variable})}
    if loop:
        task['loop'] = '{{ %s }}' % variable
    with open(path, 'w') as out:
        json.dump([{'hosts': 'localhost', 'gather_facts': False, 'vars_files': [data], 'tasks': [task]}], out)
    return path


def timed_play(path, env):
    """Wall seconds of one ansible-playbook run of ``path`` on localhost."""
    start = time.monotonic()
    subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', '-e',
                    'ansible_python_interpreter=%s' % sys.executable, path], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.monotonic() - start
