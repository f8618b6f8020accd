# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Automation scripts benchmark: 200 scripts in one automation_script task against a loop of single-script tasks.

    make bench-scripts              # or: .venv/bin/python tests/benchmarks/scripts_bench.py [--scripts 200]

Claims (issue 15), each printed with its measured figure:
  * applying 200 scripts (each with a launch point) in one task is at least 30x faster than a loop of one-script
    tasks (the loop is timed on a sample and scaled);
  * the no-op re-run reads in pages (one GET per page of the object structure) and writes nothing.
Everything goes through ansible-playbook and the sandbox's Manage REST (mxapiautoscript).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
import os
import sys

from benchlib import COLLECTIONS, Claims, batch_playbook, bench_run, control, timed_play

# The Manage client's page size (module_utils/manage/manage_api.py DEFAULT_PAGE_SIZE): the listing is read in these.
PAGE_SIZE = 200


def write_scripts(work, names):
    directory = os.path.join(work, 'scripts')
    os.makedirs(directory, exist_ok=True)
    for name in names:
        with open(os.path.join(directory, name.lower() + '.py'), 'w') as out:
            out.write('# %s\nif mbo.getString("DESCRIPTION"):\n    mbo.setValue("DESCRIPTION", '
                      'mbo.getString("DESCRIPTION").upper())\n' % name)
    return directory


def item(directory, name):
    return {'name': name, 'source_file': os.path.join(directory, name.lower() + '.py'), 'language': 'jython',
            'description': 'Benchmark script %s' % name,
            'launch_points': [{'name': name, 'type': 'OBJECT', 'object': 'ASSET', 'active': True}]}


def playbook(work, name, items, ready, loop=False):
    return batch_playbook(work, name, 'mas.dedicated.automation_script', 'scripts', items,
                          {'manage_url': ready['url'], 'api_key': ready['api_key'], 'production': False}, loop)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scripts', type=int, default=200)
    parser.add_argument('--loop-sample', type=int, default=20)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=COLLECTIONS, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS)
    claims = Claims()
    with bench_run('scripts') as (ready, work):
        url = ready['url']
        names = ['BENCH%04d' % n for n in range(args.scripts)]
        sample_names = ['BENCHLOOP%03d' % n for n in range(min(args.loop_sample, args.scripts))]
        directory = write_scripts(work, names + sample_names)
        scale = args.scripts / float(len(sample_names))
        print('%d automation scripts through ansible-playbook against the sandbox Manage' % args.scripts)
        bulk = playbook(work, 'bulk', [item(directory, n) for n in names], ready)
        control(url, '/_sandbox/requests', 'DELETE')
        first = timed_play(bulk, env)
        first_calls = control(url, '/_sandbox/requests')
        first_writes = [c for c in first_calls if c['method'] != 'GET']
        print('  first apply, one task: %.2fs, %d write calls' % (first, len(first_writes)))
        control(url, '/_sandbox/requests', 'DELETE')
        noop = timed_play(bulk, env)
        calls = control(url, '/_sandbox/requests')
        writes = [c for c in calls if c['method'] != 'GET']
        reads = [c for c in calls if c['method'] == 'GET']
        print('  no-op re-run, one task: %.2fs, %d GET (pages), %d writes' % (noop, len(reads), len(writes)))
        loop = timed_play(playbook(work, 'loop', [item(directory, n) for n in sample_names], ready, loop=True),
                          env) * scale
        print('  loop of one-script tasks: %.1fs for %d scripts (timed on %d, scaled x%.0f)'
              % (loop, args.scripts, len(sample_names), scale))
        claims.claim('first apply: speed-up over a loop of one-script tasks', loop / first, 30)
        claims.claim('no-op re-run: write calls', len(writes), 0, better='lower', unit='')
        claims.claim('no-op re-run: reads (pages of the object structure)', len(reads),
                     max(1, -(-args.scripts // PAGE_SIZE)), better='lower', unit='')
    return claims.summary()


if __name__ == '__main__':
    sys.exit(main())
