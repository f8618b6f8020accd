# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-task cost of a Tools API module against ansible.builtin.ping, measured in one run on the sandbox.

    make bench-overhead             # or: .venv/bin/python tests/benchmarks/task_overhead_bench.py [--pairs 7]

Claim (issue 13): one mas.dedicated.tools_log_info task (a real GET of the Tools API log listing from the
sandbox) costs at most 1.15x an ansible.builtin.ping task, in wall time and in CPU time.

A task's cost is what it adds to a play: (a play of N such tasks) - (the same play with no task), so the start-up
of ansible-playbook, common to both, is not counted. Plays run in interleaved pairs (ping first, then the module,
then the other way round) and the medians of the pairs are compared. CPU time is that of ansible-playbook and
every process it starts (module processes included), from getrusage(RUSAGE_CHILDREN).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from benchlib import BIN, COLLECTIONS, Claims, sandbox

CLAIMS = Claims()

PLAY = """- hosts: localhost
  gather_facts: false
  tasks:
%s
"""
PING = """    - ansible.builtin.ping:
"""
TOOLS = """    - mas.dedicated.tools_log_info:
        tools_url: "%(url)s/toolsapi"
        api_key: "%(key)s"
        production: false
"""

MEASURE = ('import resource, subprocess, sys, time; start = time.monotonic(); '
           'subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); took = time.monotonic() - start; '
           'usage = resource.getrusage(resource.RUSAGE_CHILDREN); print("%f %f" % (took, usage.ru_utime + usage.ru_stime))')


def play_seconds(playbook, env):
    """(wall, cpu) seconds of one ansible-playbook run, measured in a child so the CPU is that run's alone."""
    command = [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
               '-e', 'ansible_python_interpreter=%s' % sys.executable, playbook]
    out = subprocess.run([sys.executable, '-c', MEASURE] + command, env=env, check=True,
                         stdout=subprocess.PIPE).stdout.decode().split()
    return float(out[0]), float(out[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--pairs', type=int, default=7)
    parser.add_argument('--tasks', type=int, default=20, help='tasks per play')
    args = parser.parse_args()
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR='1')
    work = tempfile.mkdtemp(prefix='overhead-bench-')
    with sandbox('overhead') as ready:
        plays = {}
        for name, task in (('empty', ''), ('ping', PING), ('tools_log_info', TOOLS % dict(url=ready['url'], key=ready['api_key']))):
            plays[name] = os.path.join(work, name + '.yml')
            with open(plays[name], 'w') as out:
                out.write(PLAY % (task * args.tasks if task else '    - ansible.builtin.meta: noop\n'))
        play_seconds(plays['ping'], env)  # warm the caches once, uncounted
        costs = {'ping': [], 'tools_log_info': []}
        print('%d pairs of plays of %d tasks; per-task cost = (play - empty play) / %d' % (args.pairs, args.tasks, args.tasks))
        for attempt in range(args.pairs):
            order = ['ping', 'tools_log_info'] if attempt % 2 == 0 else ['tools_log_info', 'ping']
            empty = play_seconds(plays['empty'], env)
            for name in order:
                wall, cpu = play_seconds(plays[name], env)
                costs[name].append(((wall - empty[0]) / args.tasks, (cpu - empty[1]) / args.tasks))
            print('  pair %d: ping %.0f ms wall / %.0f ms cpu, tools_log_info %.0f ms wall / %.0f ms cpu per task' % (
                attempt + 1, costs['ping'][-1][0] * 1000, costs['ping'][-1][1] * 1000,
                costs['tools_log_info'][-1][0] * 1000, costs['tools_log_info'][-1][1] * 1000))
            sys.stdout.flush()
    median = dict((name, [statistics.median(c[k] for c in runs) for k in (0, 1)]) for name, runs in costs.items())
    print('  median per task: ping %.0f ms wall / %.0f ms cpu; tools_log_info %.0f ms wall / %.0f ms cpu' % (
        median['ping'][0] * 1000, median['ping'][1] * 1000, median['tools_log_info'][0] * 1000,
        median['tools_log_info'][1] * 1000))
    CLAIMS.claim('tools_log_info task / ping task (wall)', median['tools_log_info'][0] / median['ping'][0], 1.15, better='lower')
    CLAIMS.claim('tools_log_info task / ping task (CPU)', median['tools_log_info'][1] / median['ping'][1], 1.15, better='lower')
    return CLAIMS.summary()


if __name__ == '__main__':
    sys.exit(main())
