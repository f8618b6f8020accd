# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: IBM COS endpoints, content fingerprints that match S3 ETags, purge periods, and the sync plan.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import fnmatch
import hashlib
from datetime import datetime, timedelta, timezone

MIB = 1024 * 1024
# 8 MiB parts x 10 threads (boto3's own defaults) keep a transfer's buffers near 80 MiB.
DEFAULT_PART_SIZE = 8 * MIB
# S3 allows at most 10,000 parts; larger files get larger parts.
MAX_PARTS = 10000
# The support guide: custfile objects are purged after 15 days, Logs objects after 30 [doc]. Expiry rules run
# once a day, so an object can live up to a day longer [doc].
PURGE_DAYS = {'custfile': 15, 'logs': 30}
ENDPOINT_HOSTS = {
    'public': 's3.%s.cloud-object-storage.appdomain.cloud',
    'direct': 's3.direct.%s.cloud-object-storage.appdomain.cloud',
    'private': 's3.private.%s.cloud-object-storage.appdomain.cloud',
}


def endpoint_url(region, endpoint_type='public'):
    """The COS endpoint of a region (us-east, eu-de ...) for the public, direct or private network."""
    if not region:
        raise ValueError("give 'region' (for example us-east, from the Welcome Letter) or 'endpoint_url'")
    return 'https://' + ENDPOINT_HOSTS[endpoint_type] % region


def s3_etag(chunks, part_size=DEFAULT_PART_SIZE):
    """The ETag S3 gives an object uploaded from ``chunks`` with this part size (multipart above one part).

    Comparing it with the listing's ETag tells whether content differs without a request per object.
    """
    part_md5s = []
    current = hashlib.md5()
    filled = 0
    whole = hashlib.md5()
    for chunk in chunks:
        view = memoryview(chunk)
        while len(view):
            take = min(len(view), part_size - filled)
            current.update(view[:take])
            whole.update(view[:take])
            filled += take
            view = view[take:]
            if filled == part_size:
                part_md5s.append(current.digest())
                current = hashlib.md5()
                filled = 0
    if filled or not part_md5s:
        part_md5s.append(current.digest())
    if len(part_md5s) == 1:
        return whole.hexdigest(), whole.hexdigest()
    return '%s-%d' % (hashlib.md5(b''.join(part_md5s)).hexdigest(), len(part_md5s)), whole.hexdigest()


def part_size_for_upload(size, part_size=DEFAULT_PART_SIZE):
    """The part size to upload ``size`` bytes with: ``part_size``, or the smallest whole MiB within S3's part limit."""
    needed = -(-size // MAX_PARTS)
    return max(part_size, -(-needed // MIB) * MIB)


# A download is cut into at most this many ranges, one GET each, fetched in parallel: few large GETs cost the
# least per byte, and a range cut midway is resumed from where it stopped, so a large range is cheap to retry.
DOWNLOAD_STREAMS = 4
# No range is smaller than this (smaller objects take fewer streams), nor larger than the maximum (larger objects
# get more ranges than streams, taken in turn).
DOWNLOAD_MIN_RANGE = 16 * MIB
DOWNLOAD_MAX_RANGE = 512 * MIB


def download_ranges(size, streams=DOWNLOAD_STREAMS, part_size=None, min_range=DOWNLOAD_MIN_RANGE,
                    max_range=DOWNLOAD_MAX_RANGE):
    """The byte ranges ``[(start, end), ...]`` (end exclusive) to GET an object of ``size`` bytes in parallel.

    As many ranges as ``streams`` when each is at least ``min_range`` and at most ``max_range`` bytes. With a
    ``part_size`` (the object's multipart part size) every range starts on a part boundary, so that each part's
    MD5, hence the multipart ETag, can be computed as the bytes arrive.
    """
    if size <= 0:
        return []
    unit = part_size or MIB
    units = -(-size // unit)
    count = max(1, min(streams, size // max(min_range, 1)))
    count = max(count, -(-size // max_range))
    per_range = -(-units // count)
    ranges = []
    for first in range(0, units, per_range):
        ranges.append((first * unit, min(size, (first + per_range) * unit)))
    return ranges


def file_chunks(path, size=MIB):
    with open(path, 'rb') as handle:
        yield from iter(lambda: handle.read(size), b'')


def file_etag(path, part_size=None):
    """The S3 ETag of a local file as stored with ``part_size`` (None: one part, the plain MD5)."""
    return s3_etag(file_chunks(path), part_size or (1 << 62))[0]


def purge_days(bucket_kind=None, purge_period=None):
    if purge_period is not None:
        return int(purge_period)
    return PURGE_DAYS.get(bucket_kind) if bucket_kind else None


def days_until_purge(last_modified, days, now=None):
    """Whole days left before the daily expiry rule may remove the object (0 = may go at any time)."""
    if days is None or last_modified is None:
        return None
    now = now or datetime.now(timezone.utc)
    left = last_modified + timedelta(days=days) - now
    return max(0, left.days)


def selected(name, include=None, exclude=None):
    """Whether a relative path passes the include (any) and exclude (none) shell patterns."""
    if include and not any(fnmatch.fnmatch(name, p) for p in include):
        return False
    return not (exclude and any(fnmatch.fnmatch(name, p) for p in exclude))


# Part sizes of the usual uploaders: this collection, boto3, rclone, the aws CLI and IBM's tools.
COMMON_PART_SIZES = (DEFAULT_PART_SIZE, 5 * MIB, 16 * MIB, 64 * MIB, 15 * MIB, 100 * MIB, 128 * MIB)


def part_sizes_for(size, etag):
    """The part sizes an object of ``size`` bytes with this ETag may have been uploaded with, likeliest first.

    A multipart ETag ends in ``-N``: the common part sizes giving N parts come first, then the smallest
    whole-MiB size that does. ``[None]`` for a single-part object (its ETag is the plain MD5).
    """
    etag = (etag or '').strip('"')
    if '-' not in etag:
        return [None]
    parts = int(etag.rsplit('-', 1)[1])

    def count(part):
        return -(-size // part)
    sizes = [p for p in COMMON_PART_SIZES if count(p) == parts]
    mib = max(1, -(-size // (parts * MIB)))
    if count(mib * MIB) == parts and mib * MIB not in sizes:
        sizes.append(mib * MIB)
    return sizes


def same_content(local, remote):
    """Whether a local entry and a remote one hold the same bytes (size, then ETag).

    A local entry's ``etag`` may be a callable taking a part size (None: single part); it is called only
    when the sizes agree, for the part sizes the remote ETag allows, so most files are read once at most.
    """
    if local['size'] != remote['size']:
        return False
    remote_etag = (remote['etag'] or '').strip('"')
    local_etag = local['etag']
    if not callable(local_etag):
        return (local_etag or '').strip('"') == remote_etag
    return any(local_etag(part) == remote_etag for part in part_sizes_for(remote['size'], remote_etag))


def plan_sync(local, remote, direction, delete=False):
    """The actions that make the destination match the source.

    ``local`` and ``remote`` map a relative path to ``{'size': int, 'etag': ...}`` (see same_content).
    Returns ``{'upload'|'download': [...], 'delete': [...], 'skip': [...]}`` of relative paths, sorted.
    """
    verb = 'upload' if direction == 'upload' else 'download'
    source, target = (local, remote) if verb == 'upload' else (remote, local)
    plan = {verb: [], 'delete': [], 'skip': []}
    for name in sorted(source):
        there = target.get(name)
        pair = (source[name], there) if verb == 'upload' else (there, source[name])
        if there is not None and same_content(*pair):
            plan['skip'].append(name)
        else:
            plan[verb].append(name)
    if delete:
        plan['delete'] = sorted(name for name in target if name not in source)
    return plan


def read_only_refusal(bucket, action):
    """The message refusing ``action`` (an upload, a delete ...) on a bucket declared read-only, before any request."""
    return ("Refused before sending anything: bucket '%s' is declared read-only (read_only: true; the inventory's "
            "mas_<bucket role>_bucket_read_only), so %s is not possible: only downloads are. Write to a writable bucket "
            "(the custfile bucket) instead." % (bucket, action))
