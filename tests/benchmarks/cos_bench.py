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
The large-object part runs on two S3 servers: moto (the sandbox's, in memory, which reads the whole object for every
ranged GET, so it punishes the parallel ranges that real COS rewards) and s3rver (from the npm registry, file-backed,
which reads only the requested range, as COS does). The claims are printed for both; the download layout the module
uses is chosen from s3rver's figures (a sweep of the module's stream counts), the server that behaves like COS.
Every large-object contender runs as a process of its own: raw boto3 as a minimal script, the module as Ansible runs
it, rclone as a command. A selection round over raw boto3's TransferConfig grid picks its best layout; then the
module, raw boto3 at that layout and rclone run the same number of interleaved rounds and are compared by their
medians. Throughput against raw boto3 is the transfer's own rate (both report it: the script times its transfer call,
the module returns transfer_seconds); the whole-process rates, start-up included, are printed too. rclone cannot be
timed apart from its process, so it is compared whole process to whole process. Both servers are local, so absolute
figures say little; the ratios are the point.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import BIN, COLLECTIONS, TOP, Claims, control, sandbox

MODULES = os.path.join(COLLECTIONS, 'ansible_collections', 'mas', 'dedicated', 'plugins', 'modules')
MIB = 1024 * 1024
CLAIMS = Claims()
claim = CLAIMS.claim


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


S3RVER_VERSION = '3.7.1'
S3RVER_DIR = os.path.join(TOP, 'build', 's3rver')


@contextlib.contextmanager
def s3rver(work):
    """A file-backed S3 server from the npm registry (installed under build/ on first use), with bucket 'bench'."""
    command = os.path.join(S3RVER_DIR, 'node_modules', '.bin', 's3rver')
    if not os.path.exists(command):
        subprocess.run(['npm', 'install', '--silent', '--no-audit', '--no-fund', '--prefix', S3RVER_DIR,
                        's3rver@%s' % S3RVER_VERSION], check=True)
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    data = os.path.join(work, 's3rver-data')
    os.makedirs(data)
    server = subprocess.Popen([command, '-d', data, '-a', '127.0.0.1', '-p', str(port), '--silent',
                               '--configure-bucket', 'bench'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for dummy in range(100):
            try:
                socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # s3rver's fixed test credentials (not a secret).
        yield {'name': 's3rver', 'endpoint': 'http://127.0.0.1:%d' % port, 'bucket': 'bench',
               'access_key_id': 'S3RVER', 'secret_access_key': 'S3RVER'}
    finally:
        server.terminate()
        server.wait()


def moto_target(ready):
    info = ready['s3']['buckets']['custfile']
    # Every contender talks to the same endpoint: moto itself, without the sandbox's fault proxy.
    return {'name': 'moto', 'endpoint': ready['s3']['direct_endpoint_url'], 'bucket': info['bucket'],
            'access_key_id': info['access_key_id'], 'secret_access_key': info['secret_access_key']}


def rclone_conf(path, remote, endpoint, bucket_info):
    with open(path, 'a') as out:
        out.write('[%s]\ntype = s3\nprovider = Other\nenv_auth = false\naccess_key_id = %s\nsecret_access_key = %s\n'
                  'endpoint = %s\nacl = private\n\n'
                  % (remote, bucket_info['access_key_id'], bucket_info['secret_access_key'], endpoint))


def requests_log(url, clear=False):
    return control(url, '/_sandbox/requests', 'DELETE' if clear else 'GET')


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


def bench_large(info, work, size_mib, rounds, env, sweep=False):
    """The large-object comparison on one S3 server; ``sweep``: also time the module's download stream counts."""
    import boto3  # pylint: disable=import-outside-toplevel
    endpoint = info['endpoint']
    server = info['name']
    source = os.path.join(work, 'large.bin')
    if not os.path.exists(source):
        with open(source, 'wb') as out:
            for dummy in range(size_mib):
                out.write(os.urandom(MIB))
    size = size_mib * MIB
    client = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=info['access_key_id'],
                          aws_secret_access_key=info['secret_access_key'], region_name='us-east-1')
    args = dict(bucket=info['bucket'], endpoint_url=endpoint, access_key_id=info['access_key_id'],
                secret_access_key=info['secret_access_key'], overwrite='always')
    conf = os.path.join(work, 'rclone-%s.conf' % server)
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

    def module_down(key, dest, concurrency=None):
        extra = {'concurrency': concurrency} if concurrency else {}
        return module_run(dict(args, mode='get', object=key, dest=dest, **extra))

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

    def round_of(contenders, label):
        """Each contender uploads then downloads the object once, in the given order.

        MiB/s per contender: [whole process up, whole process down, transfer up, transfer down]."""
        rates = {}
        for name, tag, up, down in contenders:
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
            rates[name] = [size / MIB / t for t in (up_times[0], down_times[0], up_times[1], down_times[1])]
            print('  %-10s %-40s up %6.1f / %6.1f, down %6.1f / %6.1f' % (
                label, name, rates[name][0], rates[name][2], rates[name][1], rates[name][3]))
            sys.stdout.flush()
        return rates

    print('\n1 large object of %d MiB on %s (direct to the S3 server), MiB/s as whole process / the transfer itself '
          '(rclone is timed whole only)' % (size_mib, server))
    # 1. Raw boto3's best TransferConfig for this machine and server: one selection round over the grid.
    grid = [('raw boto3 script %3d MiB x %2d threads' % layout, 'raw%d-%d' % layout) + raw(*layout)
            for layout in RAW_GRID]
    selection = round_of(grid, 'selection')
    best_up = max(grid, key=lambda contender: selection[contender[0]][2])
    best_down = max(grid, key=lambda contender: selection[contender[0]][3])
    print('  raw boto3 at its best: upload %s, download %s'
          % (best_up[0].split('script ')[1], best_down[0].split('script ')[1]))
    # 2. The module against raw boto3 at that best, and rclone: the same number of interleaved rounds each, compared
    # by median (a best-of over more runs for one side than the other would favour that side).
    finalists = [('cos_object module', 'module', module_up, module_down),
                 ('rclone copyto', 'rclone', rclone_up, rclone_down),
                 best_up] + ([best_down] if best_down is not best_up else [])
    samples = dict((contender[0], []) for contender in finalists)
    for attempt in range(rounds):
        # Each round starts with another contender, so that no one always runs first or last.
        shift = attempt % len(finalists)
        for name, rates in round_of(finalists[shift:] + finalists[:shift], 'round %d' % (attempt + 1)).items():
            samples[name].append(rates)
    median = dict((name, [statistics.median(r[k] for r in runs) for k in range(4)]) for name, runs in samples.items())
    print('  median of %d rounds:' % rounds)
    for name in samples:
        rates = median[name]
        print('    %-40s up %6.1f / %6.1f, down %6.1f / %6.1f' % (name, rates[0], rates[2], rates[1], rates[3]))
    module, rclone_rates = median['cos_object module'], median['rclone copyto']
    raw_up, raw_down = median[best_up[0]], median[best_down[0]]
    print('  cos_object module peak RSS %.0f MiB' % peak[0])
    # Throughput is the transfer's own rate; the whole-process figures (start-up included) are printed for context.
    claim('%s: cos_object upload throughput / raw boto3 at its best' % server, module[2] / raw_up[2], 0.9)
    claim('%s: cos_object download throughput / raw boto3 at its best' % server, module[3] / raw_down[3], 0.9)
    print('  whole process, start-up included: upload %.2fx, download %.2fx raw boto3 at its best' % (
        module[0] / raw_up[0], module[1] / raw_down[1]))
    claim('%s: cos_object upload / rclone (whole processes)' % server, module[0] / rclone_rates[0], 1.0)
    claim('%s: cos_object download / rclone (whole processes)' % server, module[1] / rclone_rates[1], 1.0)
    claim('%s: cos_object peak RSS (MiB)' % server, peak[0], 150, better='lower', unit='')
    if sweep:
        sweep_streams(work, size, rounds, module_up, module_down, client, info, server)


def sweep_streams(work, size, rounds, module_up, module_down, client, info, server):
    """The module's download at 1, 2 and 4 streams (its concurrency caps the streams), interleaved; medians."""
    sys.path.insert(0, COLLECTIONS)
    from ansible_collections.mas.dedicated.plugins.module_utils.cos.cos_plan import DOWNLOAD_STREAMS  # pylint: disable=import-outside-toplevel
    module_up('sweep.bin')
    dest = os.path.join(work, 'sweep.out')
    rates = {}
    layouts = sorted(set((1, 2, DOWNLOAD_STREAMS)))
    for attempt in range(rounds):
        for streams in layouts[attempt % len(layouts):] + layouts[:attempt % len(layouts)]:
            if os.path.exists(dest):
                os.unlink(dest)
            dummy, transfer = module_down('sweep.bin', dest, concurrency=streams)
            rates.setdefault(streams, []).append(size / MIB / transfer)
    client.delete_object(Bucket=info['bucket'], Key='sweep.bin')
    median = dict((streams, statistics.median(r)) for streams, r in rates.items())
    print('  module download by streams (median of %d): %s' % (
        rounds, ', '.join('%d: %.0f MiB/s' % (s, median[s]) for s in layouts)))
    best = max(median, key=median.get)
    print('  fastest on %s: %d streams; the module downloads with %d' % (server, best, DOWNLOAD_STREAMS))
    claim('%s: module download at its layout / at the fastest measured' % server,
          median[DOWNLOAD_STREAMS] / median[best], 0.9)


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
    parser.add_argument('--rounds', type=int, default=5, help='interleaved rounds of the large-object finalists')
    parser.add_argument('--servers', default='moto,s3rver', help='S3 servers for the large object: moto, s3rver')
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=COLLECTIONS, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS)
    env.pop('AWS_CA_BUNDLE', None)
    work = tempfile.mkdtemp(prefix='cos-bench-')
    try:
        servers = [name.strip() for name in args.servers.split(',') if name.strip()]
        with sandbox('cos') as ready:
            if 'moto' in servers:
                bench_large(moto_target(ready), work, args.size_mib, args.rounds, env)
            if 's3rver' in servers:
                with s3rver(work) as target:
                    bench_large(target, work, args.size_mib, args.rounds, env, sweep=True)
            bench_sync(ready, work, args.files, args.loop_sample, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return CLAIMS.summary()


if __name__ == '__main__':
    sys.exit(main())
