# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""COS benchmark: the collection against raw boto3 and rclone, measured in one run on the sandbox's S3.

    make bench                      # or: .venv/bin/python tests/benchmarks/cos_bench.py [--size-mib 1024]

Claims (issue 3), each printed with its measured ratio:
  * cos_object put/get of one large file: throughput >= 0.9x raw boto3 with its best TransferConfig, and >= rclone;
    peak memory of the module process < 150 MiB.
  * cos_sync of 1,000 small files: >= 50x faster than a loop of one-object tasks (the loop is timed on a sample
    and scaled), no slower than `rclone sync`; the no-op re-run makes one listing call per 1,000 objects and no
    per-object request.
Every large-object contender runs as a process of its own: raw boto3 as a minimal script, the module as Ansible runs
it, rclone as a command. Throughput against raw boto3 is the transfer's own rate (both report it: the script times
its transfer call, the module returns transfer_seconds); the whole-process rates, start-up included, are printed
too. rclone cannot be timed apart from its process, so it is compared whole process to whole process. The S3 server is moto (in memory), so
absolute figures say little; the ratios are the point.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
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
MODULES = os.path.join(COLLECTIONS, 'ansible_collections', 'mas', 'dedicated', 'plugins', 'modules')
MIB = 1024 * 1024
RESULTS = []


def claim(name, value, target, better='higher', unit='x'):
    ok = value >= target if better == 'higher' else value <= target
    RESULTS.append(ok)
    relation = '>=' if better == 'higher' else '<='
    print('  %-62s %10.2f%s  target %s %s%s  %s' % (name, value, unit, relation, target, unit, 'PASS' if ok else 'MISS'))


def measured(command, env=None, output=False):
    """Run a command in a child; return (seconds, peak RSS MiB of that child) and, with ``output``, its stdout."""
    wrapper = ('import resource, subprocess, sys, time; start = time.monotonic(); '
               'code = subprocess.call(sys.argv[1:]); took = time.monotonic() - start; '
               'print("%f %d" % (took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(code)')
    text = subprocess.run([sys.executable, '-c', wrapper] + command, env=env, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE).stdout.decode()
    lines = text.strip().splitlines()
    seconds, rss = lines[-1].split()
    if output:
        return float(seconds), int(rss) / 1024.0, '\n'.join(lines[:-1])
    return float(seconds), int(rss) / 1024.0


def run_module(name, args, env):
    handle, path = tempfile.mkstemp(suffix='.json')
    with os.fdopen(handle, 'w') as out:
        json.dump({'ANSIBLE_MODULE_ARGS': args}, out)
    try:
        return measured([sys.executable, os.path.join(MODULES, name + '.py'), path], env, output=True)
    finally:
        os.unlink(path)


def rclone_conf(path, remote, endpoint, bucket_info):
    with open(path, 'a') as out:
        out.write('[%s]\ntype = s3\nprovider = Other\nenv_auth = false\naccess_key_id = %s\nsecret_access_key = %s\n'
                  'endpoint = %s\nacl = private\n\n'
                  % (remote, bucket_info['access_key_id'], bucket_info['secret_access_key'], endpoint))


def requests_log(url, clear=False):
    request = urllib.request.Request(url + '/_sandbox/requests', method='DELETE' if clear else 'GET')
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


# Raw boto3's TransferConfig grid: (part or range MiB, threads). The 256 MiB x 4 entry has the range layout the
# module downloads with (4 ranges of a 1 GiB object), so raw boto3 is also measured at the module's layout.
RAW_GRID = ((8, 10), (16, 16), (64, 10), (64, 4), (256, 4))


RAW_SCRIPT = """
import sys
import time
import boto3
from boto3.s3.transfer import TransferConfig
client = boto3.client('s3', endpoint_url='%(endpoint)s', aws_access_key_id='%(key_id)s',
                      aws_secret_access_key='%(secret)s', region_name='us-east-1')
config = TransferConfig(multipart_threshold=%(part)d, multipart_chunksize=%(part)d, max_concurrency=%(threads)d)
started = time.monotonic()
if sys.argv[1] == 'up':
    client.upload_file(sys.argv[2], '%(bucket)s', sys.argv[3], Config=config)
else:
    client.download_file('%(bucket)s', sys.argv[3], sys.argv[2], Config=config)
print(time.monotonic() - started)
"""


def bench_large(ready, work, size_mib, rounds, env):
    import boto3  # pylint: disable=import-outside-toplevel
    s3 = ready['s3']
    info = s3['buckets']['custfile']
    # Every contender talks to the same endpoint: moto itself, without the sandbox's fault proxy.
    endpoint = s3['direct_endpoint_url']
    source = os.path.join(work, 'large.bin')
    with open(source, 'wb') as out:
        for dummy in range(size_mib):
            out.write(os.urandom(MIB))
    size = size_mib * MIB
    client = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=info['access_key_id'],
                          aws_secret_access_key=info['secret_access_key'], region_name='us-east-1')
    args = dict(bucket=info['bucket'], endpoint_url=endpoint, access_key_id=info['access_key_id'],
                secret_access_key=info['secret_access_key'], overwrite='always')
    conf = os.path.join(work, 'rclone.conf')
    rclone_conf(conf, 'bench', endpoint, info)
    rclone = [shutil.which('rclone'), '--config', conf, 'copyto']
    rclone_env = dict(env, AWS_CA_BUNDLE='')
    peak = [0.0]

    def raw(part_mib, threads):
        # A minimal boto3 script in a fresh process, as a user would run it: like the module and rclone, it pays for
        # starting an interpreter and importing boto3, and the time counted is the whole process.
        script = RAW_SCRIPT % dict(endpoint=endpoint, key_id=info['access_key_id'], secret=info['secret_access_key'],
                                   bucket=info['bucket'], part=part_mib * MIB, threads=threads)

        def up(key):
            seconds, dummy, out = measured([sys.executable, '-c', script, 'up', source, key], env, output=True)
            return seconds, float(out.split()[-1])

        def down(key, dest):
            seconds, dummy, out = measured([sys.executable, '-c', script, 'down', dest, key], env, output=True)
            return seconds, float(out.split()[-1])
        return up, down

    def module_run(module_args):
        seconds, rss, out = run_module('cos_object', module_args, env)
        peak[0] = max(peak[0], rss)
        return seconds, json.loads(out.splitlines()[-1])['transfer_seconds']

    def module_up(key):
        return module_run(dict(args, mode='put', object=key, src=source))

    def module_down(key, dest):
        return module_run(dict(args, mode='get', object=key, dest=dest))

    # rclone's transfer cannot be timed apart from its process; its process is small and starts fast.
    def rclone_up(key):
        start = time.monotonic()
        subprocess.run(rclone + [source, 'bench:%s/%s' % (info['bucket'], key)], check=True, env=rclone_env)
        took = time.monotonic() - start
        return took, took

    def rclone_down(key, dest):
        start = time.monotonic()
        subprocess.run(rclone + ['bench:%s/%s' % (info['bucket'], key), dest], check=True, env=rclone_env)
        took = time.monotonic() - start
        return took, took

    contenders = [('raw boto3 script %3d MiB x %2d threads' % grid, 'raw%d-%d' % grid) + raw(*grid) for grid in RAW_GRID]
    contenders += [('cos_object module', 'module', module_up, module_down),
                   ('rclone copyto', 'rclone', rclone_up, rclone_down)]
    # Per contender, best MiB/s of: [whole process up, whole process down, transfer up, transfer down].
    best = dict((name, [0.0] * 4) for name, dummy, dummy2, dummy3 in contenders)
    print('\n1 large object of %d MiB (direct to the S3 server), %d interleaved rounds, best of each kept' % (size_mib, rounds))
    print('  (whole process / the transfer itself, in MiB/s; rclone is timed whole only)')
    for attempt in range(rounds):
        # Interleaved, and each round starts with another contender, so that no one always runs first or last.
        shift = attempt % len(contenders)
        for name, tag, up, down in contenders[shift:] + contenders[:shift]:
            key = '%s.bin' % tag
            dest = os.path.join(work, '%s.out' % tag)
            up_times = up(key)
            if os.path.exists(dest):  # nobody may skip a download whose copy is current
                os.unlink(dest)
            down_times = down(key, dest)
            if os.path.getsize(dest) != size:
                raise AssertionError('%s downloaded %d bytes, not %d' % (name, os.path.getsize(dest), size))
            os.unlink(dest)
            client.delete_object(Bucket=info['bucket'], Key=key)
            rates = [size / MIB / up_times[0], size / MIB / down_times[0], size / MIB / up_times[1], size / MIB / down_times[1]]
            best[name] = [max(b, r) for b, r in zip(best[name], rates)]
            print('  round %d  %-40s up %6.1f / %6.1f, down %6.1f / %6.1f' % (
                attempt + 1, name, rates[0], rates[2], rates[1], rates[3]))
            sys.stdout.flush()
    print('  best of %d:' % rounds)
    for name, dummy, dummy2, dummy3 in contenders:
        rates = best[name]
        print('    %-40s up %6.1f / %6.1f, down %6.1f / %6.1f' % (name, rates[0], rates[2], rates[1], rates[3]))
    raw_names = [c[0] for c in contenders if c[1].startswith('raw')]
    module = best['cos_object module']
    rclone_best = best['rclone copyto']
    print('  cos_object module peak RSS %.0f MiB' % peak[0])
    # Throughput is the transfer's own rate; the whole-process figures (start-up included) are printed for context.
    claim('cos_object upload throughput / best raw boto3', module[2] / max(best[n][2] for n in raw_names), 0.9)
    claim('cos_object download throughput / best raw boto3', module[3] / max(best[n][3] for n in raw_names), 0.9)
    print('  whole process, start-up included: upload %.2fx, download %.2fx the best raw boto3 script' % (
        module[0] / max(best[n][0] for n in raw_names), module[1] / max(best[n][1] for n in raw_names)))
    claim('cos_object upload / rclone (whole processes)', module[0] / rclone_best[0], 1.0)
    claim('cos_object download / rclone (whole processes)', module[1] / rclone_best[1], 1.0)
    claim('cos_object peak RSS (MiB)', peak[0], 150, better='lower', unit='')


def bench_sync(ready, work, files, sample, env):
    s3 = ready['s3']
    info = s3['buckets']['custfile']
    tree = os.path.join(work, 'tree')
    for n in range(files):
        directory = os.path.join(tree, 'd%02d' % (n % 20))
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, 'f%04d.txt' % n), 'wb') as out:
            out.write(os.urandom(4096))
    args = dict(bucket=info['bucket'], endpoint_url=s3['endpoint_url'], access_key_id=info['access_key_id'],
                secret_access_key=info['secret_access_key'], direction='upload', local_path=tree)
    print('\n%d small files (4 KiB) through the sandbox S3 proxy' % files)
    sync_seconds, dummy, dummy2 = run_module('cos_sync', dict(args, prefix='sync/'), env)
    requests_log(ready['url'], clear=True)
    noop_seconds, dummy, dummy2 = run_module('cos_sync', dict(args, prefix='sync/'), env)
    calls = requests_log(ready['url'])
    listing_calls = [c for c in calls if c['method'] == 'GET' and 'list-type=2' in c['query']]
    per_object = [c for c in calls if c not in listing_calls]
    print('  cos_sync first run %.2fs; no-op re-run %.2fs with %d listing call(s) and %d other request(s)'
          % (sync_seconds, noop_seconds, len(listing_calls), len(per_object)))
    conf = os.path.join(work, 'rclone.conf')
    rclone_conf(conf, 'sync', s3['endpoint_url'], info)
    start = time.monotonic()
    subprocess.run([shutil.which('rclone'), '--config', conf, 'sync', tree, 'sync:%s/rclone-sync' % info['bucket']],
                   check=True, env=dict(env, AWS_CA_BUNDLE=''))
    rclone_seconds = time.monotonic() - start
    print('  rclone sync %.2fs' % rclone_seconds)
    playbook = os.path.join(work, 'loop.yml')
    names = sorted(os.path.relpath(os.path.join(d, f), tree) for d, dummy, fs in os.walk(tree) for f in fs)[:sample]
    with open(playbook, 'w') as out:
        out.write('- hosts: localhost\n  gather_facts: false\n  tasks:\n    - mas.dedicated.cos_object:\n'
                  '        mode: put\n        bucket: %s\n        endpoint_url: %s\n        access_key_id: %s\n'
                  '        secret_access_key: "%s"\n        object: loop/{{ item }}\n        src: %s/{{ item }}\n'
                  '      loop: %s\n'
                  % (info['bucket'], s3['endpoint_url'], info['access_key_id'], info['secret_access_key'], tree,
                     json.dumps(names)))
    start = time.monotonic()
    subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', '-e',
                    'ansible_python_interpreter=%s' % sys.executable, playbook], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    loop_seconds = (time.monotonic() - start) * files / float(sample)
    print('  loop of one-object tasks: %.2fs for %d files, scaled to %.1fs for %d' % (
        loop_seconds * sample / files, sample, loop_seconds, files))
    claim('cos_sync speed-up over a loop of one-object tasks', loop_seconds / sync_seconds, 50)
    claim('cos_sync time / rclone sync time', sync_seconds / rclone_seconds, 1.0, better='lower')
    claim('no-op re-run: listing calls (one per 1,000 objects)', len(listing_calls), -(-files // 1000), better='lower', unit='')
    claim('no-op re-run: per-object requests', len(per_object), 0, better='lower', unit='')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size-mib', type=int, default=1024)
    parser.add_argument('--files', type=int, default=1000)
    parser.add_argument('--loop-sample', type=int, default=100)
    parser.add_argument('--rounds', type=int, default=3, help='interleaved rounds of the large-object contenders')
    args = parser.parse_args()
    ctl = os.path.join(TOP, 'tests', 'sandbox', 'ctl.sh')
    state = os.path.join(TOP, 'build', 'bench-sandbox')
    env = dict(os.environ, PYTHONPATH=COLLECTIONS, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS)
    env.pop('AWS_CA_BUNDLE', None)
    subprocess.run([ctl, 'start', sys.executable, state], check=True)
    work = tempfile.mkdtemp(prefix='cos-bench-')
    try:
        with open(os.path.join(state, 'ready.json')) as handle:
            ready = json.load(handle)
        bench_large(ready, work, args.size_mib, args.rounds, env)
        bench_sync(ready, work, args.files, args.loop_sample, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run([ctl, 'stop', sys.executable, state], check=False)
    print('\n%d of %d claims hold' % (sum(RESULTS), len(RESULTS)))
    return 0 if all(RESULTS) else 1


if __name__ == '__main__':
    sys.exit(main())
