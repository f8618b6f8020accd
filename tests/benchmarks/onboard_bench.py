# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Onboarding scale benchmark: 20 sandbox environments in one run with forks, against one environment alone.

    make bench-onboard              # or: .venv/bin/python tests/benchmarks/onboard_bench.py [--environments 20]

Claims (issue 6), each printed with its measured figure:
  * onboarding 20 environments in one run (forks = 20) takes at most 3x the wall time of onboarding one (each a
    first apply from nothing, the median of 3 interleaved runs);
  * the no-op re-run of all 20 reports changed=0 for every host.
Each environment gets two rclone remotes (one shared rclone.conf), a DB2 data source (one shared
db2dsdriver.cfg), a support-case request, a Kafka endpoint and a Kafka cron task, all against the sandbox.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

from benchlib import BIN, COLLECTIONS, Claims, bench_run, control


def write_inventory(path, ready, count, certificate):
    s3 = ready['s3']
    buckets = s3['buckets']
    lines = ['plugin: mas.dedicated.environments', 'instance: bench',
             'cos: {region: %s, endpoint: "%s"}' % (s3['region'], s3['endpoint_url']), 'environments:']
    for n in range(count):
        lines += ['  env%02d:' % n, '    production: %s' % ('true' if n % 4 == 3 else 'false'),
                  '    manage_url: "%s"' % ready['url'],
                  '    cos: {buckets: {custfile: {name: %s}, logs: {name: %s, read_only: true}}}'
                  % (buckets['custfile']['bucket'], buckets['logs']['bucket']),
                  # Production data sources are the read replica (a production primary is refused).
                  '    db: {host: db%02d.bench.example.com, port: 50001, database: BLUDB, certificate: "%s"%s}'
                  % (n, certificate, ', replica: true' if n % 4 == 3 else '')]
    with open(path, 'w') as out:
        out.write('\n'.join(lines) + '\n')


def write_vars(path, ready, work):
    buckets = ready['s3']['buckets']
    data = {
        'ansible_python_interpreter': sys.executable,
        'mas_api_key': ready['api_key'],
        'mas_custfile_access_key_id': buckets['custfile']['access_key_id'],
        'mas_custfile_secret_access_key': buckets['custfile']['secret_access_key'],
        'mas_logs_access_key_id': buckets['logs']['access_key_id'],
        'mas_logs_secret_access_key': buckets['logs']['secret_access_key'],
        'vault_kafka_password': 'bench-kafka-password',
        'onboard_rclone_config': os.path.join(work, 'rclone.conf'),
        'onboard_db2_dsdriver_cfg': os.path.join(work, 'db2dsdriver.cfg'),
        'onboard_case_dir': os.path.join(work, 'cases'),
        'onboard_cases': [{'kind': 'saml_sso', 'details': {'name_id_format': 'email'}}],
        'onboard_kafka_endpoints': [{'name': 'KAFKA_{{ mas_environment | upper }}', 'topic': 'bench-{{ mas_environment }}',
                                     'bootstrap_servers': 'broker-0:9093', 'password_var': 'vault_kafka_password'}],
        # IBM's provisioned Kafka cron task (the role's default): one instance per environment with its parameters.
        'onboard_kafka_cron_instances': [{'instancename': 'bench{{ mas_environment }}cqin', 'active': True,
                                          'topic': 'bench-{{ mas_environment }}', 'direction': 'inbound'}],
    }
    with open(path, 'w') as out:
        json.dump(data, out)


def onboard(inventory, extra, env, forks, limit=None, check=False):
    command = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, 'mas.dedicated.onboard', '-e', '@' + extra,
               '-f', str(forks)]
    if limit:
        command += ['--limit', limit]
    if check:
        command.append('--check')
    start = time.monotonic()
    done = subprocess.run(command, env=env, check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        sys.stdout.write(done.stdout.decode()[-6000:])
        raise SystemExit('the onboarding playbook failed (exit %d)' % done.returncode)
    recap = dict((host, int(changed)) for host, changed in
                 re.findall(r'^(\S+)\s*: ok=\d+\s+changed=(\d+)', done.stdout.decode(), re.M))
    return seconds, recap


def floor(work, env, count):
    """The role's per-host shape with nothing in it, 1 host and ``count`` hosts (context only): a set_fact and one
    module run (ping) per host, as the role has a set_fact and one manage_object per environment."""
    inventory = os.path.join(work, 'floor.ini')
    with open(inventory, 'w') as out:
        lines = ['h%02d ansible_connection=local ansible_python_interpreter=%s' % (n, sys.executable)
                 for n in range(count)]
        out.write('[all]\n' + '\n'.join(lines) + '\n')
    play = os.path.join(work, 'floor.yml')
    with open(play, 'w') as out:
        out.write('- hosts: all\n  gather_facts: false\n  vars: {ansible_pipelining: true}\n  tasks:\n'
                  '    - ansible.builtin.set_fact: {floor: 1}\n    - ansible.builtin.ping:\n')
    timings = []
    env = dict(env, ANSIBLE_INVENTORY_ENABLED='ini')
    for limit in ('h00', 'all'):
        start = time.monotonic()
        subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', inventory, play, '-f', str(count), '--limit', limit],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        timings.append(time.monotonic() - start)
    return timings


def run(args, ready, env, work, claims):
    """The measurements and their claims, against a fresh sandbox."""
    certificate = os.path.join(work, 'db.arm')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout',
                    os.path.join(work, 'db.key'), '-out', certificate, '-subj', '/CN=db.bench.example.com'],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    inventory = os.path.join(work, 'bench.mas.yml')
    extra = os.path.join(work, 'vars.json')
    write_inventory(inventory, ready, args.environments, certificate)
    write_vars(extra, ready, work)
    print('%d environments of one instance onboarded against the sandbox; first applies timed %d times each from '
          'nothing, median kept' % (args.environments, args.repeat))

    def from_nothing():
        # Every first apply starts from the same state: no files written, no Manage records.
        control(ready['url'], '/_sandbox/reset', 'POST')
        for name in ('rclone.conf', 'db2dsdriver.cfg'):
            if os.path.exists(os.path.join(work, name)):
                os.unlink(os.path.join(work, name))
        shutil.rmtree(os.path.join(work, 'cases'), ignore_errors=True)

    # A check-mode pass first warms the caches (bytecode, collection loading) so the single run is not penalised.
    onboard(inventory, extra, env, 1, limit='bench-env00', check=True)
    ones, manys = [], []
    for attempt in range(args.repeat):
        from_nothing()
        seconds, recap_one = onboard(inventory, extra, env, 1, limit='bench-env00')
        ones.append(seconds)
        from_nothing()
        seconds, recap_many = onboard(inventory, extra, env, args.environments)
        manys.append(seconds)
        print('  attempt %d: one environment %.2fs (changed=%s), %d environments with forks=%d %.2fs (%d hosts changed)'
              % (attempt + 1, ones[-1], recap_one.get('bench-env00'), args.environments, args.environments, manys[-1],
                 sum(1 for value in recap_many.values() if value)))
    one, many = statistics.median(ones), statistics.median(manys)
    print('  median: one environment %.2fs, %d environments %.2fs (%.2fs more time for %d more environments)'
          % (one, args.environments, many, many - one, args.environments - 1))
    again, recap_again = onboard(inventory, extra, env, args.environments)
    print('  no-op re-run of all: %.2fs, changed per host: %s' % (again, sorted(set(recap_again.values()))))
    floor_one, floor_many = floor(work, env, args.environments)
    print('  for scale, ansible alone with the same per-host shape (a set_fact and a ping per host): %.2fs for 1 host, '
          '%.2fs for %d (%.2fs more time for %d more hosts)'
          % (floor_one, floor_many, args.environments, floor_many - floor_one, args.environments - 1))
    claims.claim('%d environments / one environment, wall time' % args.environments, many / one, 3.0, better='lower')
    claims.claim('no-op re-run: hosts with changed > 0', sum(1 for v in recap_again.values() if v), 0,
                 better='lower', unit='')
    claims.claim('no-op re-run: hosts in the recap', len(recap_again), args.environments, unit='')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--environments', type=int, default=20)
    parser.add_argument('--repeat', type=int, default=3, help='first applies timed per size, from nothing each time')
    args = parser.parse_args()
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_INVENTORY_ENABLED='mas.dedicated.environments',
               AWS_CA_BUNDLE='')
    claims = Claims()
    with bench_run('onboard') as (ready, work):
        run(args, ready, env, work, claims)
    return claims.summary()


if __name__ == '__main__':
    sys.exit(main())
