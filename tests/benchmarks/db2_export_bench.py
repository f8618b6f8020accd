# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DB2 export benchmark: the collection's streaming CSV export against a bare fetchmany loop, in one run.

    make bench                      # or: .venv/bin/python tests/benchmarks/db2_export_bench.py [--rows 1000000]

Claims (DB2 issue), each printed with its measured ratio:
  * exporting 1,000,000 rows to CSV peaks under 100 MiB above the interpreter's baseline (RSS after imports and
    connecting, before the query), and
  * runs at >= 0.8x the throughput of a bare `fetchmany` + `csv.writer.writerows` loop writing the same file.
No DB2 server can run here, so both read from the same sqlite3 database through the DB-API; each run is a fresh
child process (clean peak memory), runs alternate, and the best of each is compared. The two files must be
byte-identical.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
COLLECTIONS = os.path.join(TOP, 'build', 'collections')
QUERY = 'SELECT wonum, siteid, status, description, estlabcost, reportdate, parent FROM workorder ORDER BY rowid'
FETCH = 5000

CHILD = r'''
import csv, json, os, sqlite3, sys, time
sys.path.insert(0, sys.argv[4])


def rss(field):
    with open('/proc/self/status') as handle:
        for line in handle:
            if line.startswith(field + ':'):
                return int(line.split()[1]) / 1024.0


mode, db, dest = sys.argv[1:4]
from ansible_collections.mas.dedicated.plugins.module_utils.db2 import dbapi
conn = sqlite3.connect(db)
baseline = rss('VmRSS')
start = time.perf_counter()
cursor = conn.execute(sys.argv[5])
if mode == 'collection':
    rows = dbapi.export(cursor, dest, 'csv', fetch_size=int(sys.argv[6]))['rows']
else:
    rows = 0
    with open(dest, 'w', newline='', encoding='utf-8') as handle:
        writer = csv.writer(handle)
        writer.writerow([c[0] for c in cursor.description])
        while True:
            batch = cursor.fetchmany(int(sys.argv[6]))
            if not batch:
                break
            writer.writerows(batch)
            rows += len(batch)
took = time.perf_counter() - start
print(json.dumps({'seconds': took, 'rows': rows, 'peak_above_baseline_mib': rss('VmHWM') - baseline,
                  'baseline_mib': baseline}))
'''


def make_db(path, rows):
    conn = sqlite3.connect(path)
    conn.execute('CREATE TABLE workorder (wonum TEXT, siteid TEXT, status TEXT, description TEXT, estlabcost REAL, '
                 'reportdate TEXT, parent TEXT)')
    batch = []
    for i in range(rows):
        batch.append(('WO%08d' % i, 'BEDFORD' if i % 3 else 'NASHUA', ('WAPPR', 'APPR', 'CLOSE')[i % 3],
                      'Inspect pump %d, "north" bay, check seals' % (i % 977), round(i * 0.37, 2),
                      '2024-%02d-%02d 08:30:00' % (i % 12 + 1, i % 28 + 1), None if i % 4 else 'WO%08d' % (i // 2)))
        if len(batch) == 50000:
            conn.executemany('INSERT INTO workorder VALUES (?, ?, ?, ?, ?, ?, ?)', batch)
            batch = []
    if batch:
        conn.executemany('INSERT INTO workorder VALUES (?, ?, ?, ?, ?, ?, ?)', batch)
    conn.commit()
    conn.close()


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def run(mode, db, dest):
    out = subprocess.run([sys.executable, '-c', CHILD, mode, db, dest, COLLECTIONS, QUERY, str(FETCH)], check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--rows', type=int, default=1000000)
    parser.add_argument('--rounds', type=int, default=2)
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(COLLECTIONS, 'ansible_collections', 'mas', 'dedicated')):
        sys.exit('run `make collection` first (make bench does)')
    work = tempfile.mkdtemp(prefix='db2-bench-')
    db = os.path.join(work, 'maximo.db')
    print('== DB2 export benchmark: %d rows, fetchmany(%d), sqlite3 through the DB-API' % (args.rows, FETCH))
    make_db(db, args.rows)
    best = {}
    files = {}
    for dummy in range(args.rounds):
        for mode in ('bare', 'collection'):
            dest = os.path.join(work, mode + '.csv')
            if os.path.exists(dest):
                os.unlink(dest)
            result = run(mode, db, dest)
            assert result['rows'] == args.rows or mode == 'bare', result
            files[mode] = dest
            if mode not in best or result['seconds'] < best[mode]['seconds']:
                best[mode] = result
            print('  %-10s %7.2fs  %9.0f rows/s  peak +%.1f MiB over %.1f MiB baseline' % (
                mode, result['seconds'], args.rows / result['seconds'], result['peak_above_baseline_mib'],
                result['baseline_mib']))
    same = sha256(files['bare']) == sha256(files['collection'])
    size = os.path.getsize(files['collection']) / (1024.0 * 1024.0)
    ratio = best['bare']['seconds'] / best['collection']['seconds']
    peak = max(best['collection']['peak_above_baseline_mib'], 0.0)
    print('  file: %.1f MiB, identical to the bare loop\'s: %s' % (size, same))
    results = []
    for name, value, target, ok in (
            ('throughput vs bare fetchmany loop (best of %d each)' % args.rounds, ratio, '>= 0.80x', ratio >= 0.8),
            ('peak memory above baseline (MiB)', peak, '< 100', peak < 100),
            ('same file as the bare loop', 1.0 if same else 0.0, '= 1', same)):
        results.append(ok)
        print('  %-52s %8.2f  target %-9s %s' % (name, value, target, 'PASS' if ok else 'MISS'))
    for path in (db, files['bare'], files['collection']):
        os.unlink(path)
    os.rmdir(work)
    sys.exit(0 if all(results) else 1)


if __name__ == '__main__':
    main()
