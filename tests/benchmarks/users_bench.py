# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""User benchmark: one mas_user task for 5,000 users against a loop of one-user tasks, measured in one run.

    make bench-users                # or: .venv/bin/python tests/benchmarks/users_bench.py [--users 5000]

Claims (issue 5), each printed with its measured ratio:
  * first apply of 5,000 users and the no-op re-run: wall time >= 30x better than looping a one-user task over the
    same list (the loop is timed on a sample and scaled: its cost per item is constant);
  * the no-op re-run makes no write call and reads MAS in pages (one call per page_size users), not per user.
Everything runs through ansible-playbook against the sandbox's MAS user API (a separate process).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import argparse
import os
import sys

from benchlib import COLLECTIONS, Claims, batch_playbook, bench_run, control, timed_play


def user(n):
    return {'username': 'user%05d' % n, 'givenName': 'Given%d' % n, 'familyName': 'Family%d' % n,
            'displayName': 'Given%d Family%d' % (n, n), 'title': 'Technician',
            'emails': [{'value': 'user%05d@example.com' % n, 'type': 'WORK', 'primary': True}]}


def playbook(work, name, users, ready, loop=False):
    """A playbook with one mas_user task: over the whole list, or looped one user at a time."""
    return batch_playbook(work, name, 'mas.dedicated.mas_user', 'users', users, {
        'entitlement': 'PREMIUM', 'manage_role': 'MANAGEUSER', 'mas_api_url': ready['url'],
        'mas_api_key_id': ready['mas']['api_key_id'], 'mas_api_key': ready['mas']['api_key'], 'production': False}, loop)


def run(args, ready, env, work, claims):
    """The measurements and their claims, against a fresh sandbox."""
    url = ready['url']
    control(url, '/_sandbox/config', 'POST', {'sync_delay': 0.5})
    users = [user(n) for n in range(args.users)]
    sample = min(args.loop_sample, args.users)
    scale = args.users / float(sample)
    print('%d users through ansible-playbook against the sandbox MAS user API' % args.users)

    bulk = playbook(work, 'bulk', users, ready)
    first = timed_play(bulk, env)
    writes_first = control(url, '/_sandbox/state')['mas_user_writes']
    print('  first apply, one task: %.2fs, %d write calls (a create, a membership and a role per user)'
          % (first, writes_first))

    # The no-op re-run makes two reads per user and the pages: the request log must keep them all to count them.
    log_size = 4 * args.users + 1000
    control(url, '/_sandbox/config', 'POST', {'request_log_size': log_size})
    noop = timed_play(bulk, env)
    calls = control(url, '/_sandbox/requests')
    if len(calls) >= log_size:
        raise SystemExit('the sandbox request log is full (%d calls): the counts below would be short' % len(calls))
    writes = [c for c in calls if c['method'] in ('POST', 'PUT', 'PATCH', 'DELETE')]
    pages = [c for c in calls if c['method'] == 'GET' and c['path'] == '/v3/users']
    per_user = [c for c in calls if c['method'] == 'GET' and c['path'].startswith('/v3/users/')
                and not c['path'].endswith('/workspaces')]
    # IBM's client reads each user's membership and role on their own (MASUserUtils.get_user_workspaces,
    # get_user_application_permissions): two reads per held user, the price of a real re-run writing nothing.
    access = [c for c in calls if c['method'] == 'GET' and (c['path'].endswith('/workspaces')
                                                            or c['path'].startswith('/workspaces/'))]
    print('  no-op re-run, one task: %.2fs, %d page reads, %d per-user reads, %d membership/role reads, %d writes'
          % (noop, len(pages), len(per_user), len(access), len(writes)))

    fresh = [user(n) for n in range(args.users, args.users + sample)]
    loop_first = timed_play(playbook(work, 'loop-first', fresh, ready, loop=True), env) * scale
    loop_noop = timed_play(playbook(work, 'loop-noop', users[:sample], ready, loop=True), env) * scale
    print('  loop of one-user tasks: first apply %.1fs, no-op %.1fs (each timed on %d users, scaled x%.0f)'
          % (loop_first, loop_noop, sample, scale))

    claims.claim('first apply: speed-up over a loop of one-user tasks', loop_first / first, 30)
    claims.claim('no-op re-run: speed-up over a loop of one-user tasks', loop_noop / noop, 30)
    claims.claim('no-op re-run: write calls', len(writes), 0, better='lower', unit='')
    claims.claim('no-op re-run: per-user reads', len(per_user), 0, better='lower', unit='')
    claims.claim('no-op re-run: membership and role reads (two per user)', len(access), 2 * args.users,
                 better='lower', unit='')
    claims.claim('no-op re-run: page reads (one per %d users)' % args.page_size, len(pages),
                 args.users // args.page_size + 1, better='lower', unit='')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--users', type=int, default=5000)
    parser.add_argument('--loop-sample', type=int, default=100)
    parser.add_argument('--page-size', type=int, default=500, help="the module's default page size")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=COLLECTIONS, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS)
    claims = Claims()
    with bench_run('users') as (ready, work):
        run(args, ready, env, work, claims)
    return claims.summary()


if __name__ == '__main__':
    sys.exit(main())
