# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IBM COS stand-in: a real local S3 server (moto) with the buckets of a Welcome Letter, each with its own keys.

moto enforces IAM here, so each bucket's HMAC keys work for that bucket only, and the read-only bucket's keys
can list and download but not upload (AccessDenied), as in MAS Dedicated [doc]. Bucket names and keys are in
the ready file under ``s3`` and in ``GET /_sandbox/state``. Reset empties the buckets; keys stay.

Clients talk to a small proxy in front of moto (``s3.endpoint_url``) that shares the sandbox's request log and
fault table, so S3 calls can be counted and can get 503 SlowDown, latency or cut connections on request
(fault ``path`` is ``/<bucket>/<key>``). ``s3.direct_endpoint_url`` is moto itself, for benchmarks.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import http.client
import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BUCKETS = {
    # kind: (bucket name, read-only)
    'custfile': ('sandbox-custfile', False),
    'logs': ('sandbox-logs', False),
    'readonly': ('sandbox-readonly', True),
}
READ_ACTIONS = ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation']


def _policy(bucket, read_only):
    return json.dumps({'Version': '2012-10-17', 'Statement': [{
        'Effect': 'Allow', 'Action': READ_ACTIONS if read_only else 's3:*',
        'Resource': ['arn:aws:s3:::%s' % bucket, 'arn:aws:s3:::%s/*' % bucket]}]})


def _no_default_checksum():
    """Multipart uploads that name no checksum get none, instead of moto's copy of AWS's default CRC64NVME.

    For a multipart upload whose client named no checksum algorithm (the collection's uploads:
    ``request_checksum_calculation='when_required'``, for COS), moto emulates AWS's default full-object checksum
    inside CompleteMultipartUpload: it copies the whole object once more and runs a CRC over it (CRC32 without
    awscrt), about 3 s per 512 MiB on this machine, while an upload that names CRC32 (boto3's default) only gets
    its parts' CRCs combined. That cost belongs to the stand-in, not to the client, and skewed the benchmark
    against the collection. Uploads that name an algorithm keep moto's behaviour unchanged.
    """
    from moto.s3 import models  # pylint: disable=import-outside-toplevel
    base = getattr(models, 'MultipartChecksumBuilder', None)  # moto releases without it add no default checksum
    if base is None or getattr(base, 'sandbox_patched', False):
        return

    class ChecksumsAsNamed(base):
        sandbox_patched = True

        def __init__(self, checksum_algorithm, checksum_type):
            super(ChecksumsAsNamed, self).__init__(checksum_algorithm, checksum_type)
            self.named = bool(checksum_algorithm or checksum_type)

        def addPart(self, part):  # pylint: disable=invalid-name
            if self.named:
                super(ChecksumsAsNamed, self).addPart(part)
            else:
                self.part_count += 1

        def build(self):
            return super(ChecksumsAsNamed, self).build() if self.named else None

    models.MultipartChecksumBuilder = ChecksumsAsNamed


class ObjectStore:
    """The moto server, an admin client for the sandbox itself, and one key pair per bucket."""

    def __init__(self):
        # Read by moto when it is imported: every request must be signed by a known IAM key from the start.
        os.environ['INITIAL_NO_AUTH_ACTION_COUNT'] = '0'
        _no_default_checksum()
        import boto3  # pylint: disable=import-outside-toplevel
        from moto.core import DEFAULT_ACCOUNT_ID  # pylint: disable=import-outside-toplevel
        from moto.iam.models import iam_backends  # pylint: disable=import-outside-toplevel
        from moto.server import ThreadedMotoServer  # pylint: disable=import-outside-toplevel
        self.server = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.upstream = (host, port)
        self.url = 'http://%s:%d' % (host, port)
        self.proxy_url = self.url
        # moto's backends are per process: a later sandbox in the same process (in-process tests, one after the
        # other) starts from no users and new keys instead of failing on the users of the one before.
        iam_backends[DEFAULT_ACCOUNT_ID]['global'].reset()
        iam = iam_backends[DEFAULT_ACCOUNT_ID]['global']
        self.keys = {}
        admin_policy = json.dumps({'Version': '2012-10-17',
                                   'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]})
        for user, policy in [('sandbox-admin', admin_policy)] + [
                (name, _policy(name, read_only)) for name, read_only in BUCKETS.values()]:
            iam.create_user(region_name='us-east-1', user_name=user)
            iam.put_user_policy(user, 'bucket-access', policy)
            key = iam.create_access_key(user)
            self.keys[user] = (key.access_key_id, key.secret_access_key)
        admin_key = self.keys.pop('sandbox-admin')
        self.admin = boto3.client('s3', endpoint_url=self.url, aws_access_key_id=admin_key[0],
                                  aws_secret_access_key=admin_key[1], region_name='us-east-1')

    def info(self):
        buckets = {}
        for kind, (name, read_only) in BUCKETS.items():
            key = self.keys[name]
            buckets[kind] = {'bucket': name, 'read_only': read_only, 'access_key_id': key[0], 'secret_access_key': key[1]}
        return {'endpoint_url': self.proxy_url, 'direct_endpoint_url': self.url, 'region': 'us-east', 'buckets': buckets}

    def empty(self):
        """Every bucket empty (created when missing); the read-only one holds a welcome file."""
        for name, dummy in BUCKETS.values():
            try:
                self.admin.create_bucket(Bucket=name)
            except self.admin.exceptions.BucketAlreadyOwnedByYou:
                pass
            paginator = self.admin.get_paginator('list_objects_v2')
            for page in paginator.paginate(Bucket=name):
                keys = [{'Key': item['Key']} for item in page.get('Contents', [])]
                # A key no XML body can carry (a NUL, put there by a hostile-key test) is deleted on its own.
                plain = [k for k in keys if '\x00' not in k['Key']]
                if plain:
                    self.admin.delete_objects(Bucket=name, Delete={'Objects': plain, 'Quiet': True})
                for k in keys:
                    if '\x00' in k['Key']:
                        self.admin.delete_object(Bucket=name, Key=k['Key'])
        self.admin.put_object(Bucket=BUCKETS['readonly'][0], Key='welcome/README.txt',
                              Body=b'Files IBM SRE shares with you. This bucket is read-only.\n')

    def put(self, kind, key, body):
        self.admin.put_object(Bucket=BUCKETS[kind][0], Key=key, Body=body)

    def close(self):
        self.server.stop()


S3_ERRORS = {500: 'InternalError', 503: 'SlowDown', 429: 'SlowDown', 403: 'AccessDenied', 404: 'NoSuchKey'}
HOP_HEADERS = ('connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade')


def s3_error(status):
    code = S3_ERRORS.get(status, 'InternalError')
    return ('<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>Injected sandbox fault</Message>'
            '</Error>' % code).encode('utf-8')


class ProxyHandler(BaseHTTPRequestHandler):
    """Forwards one S3 request to moto unchanged (the Host header too, so signatures hold), unless a fault answers."""

    protocol_version = 'HTTP/1.1'
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    app = None
    upstream = None

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def _forward(self):
        app = self.app
        path, dummy, query = self.path.partition('?')
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        with app.lock:
            # The log of this request's time: a request still sleeping in a latency fault when the sandbox is reset
            # must not show up in the next test's log.
            log = app.requests
            entry = log.start(self.command, path, query, self.headers.keys())
            fault = app.faults.take(self.command, path)
        if fault is not None:
            entry['fault'] = fault.kind
            if fault.latency:
                threading.Event().wait(fault.latency)
            if fault.drop:
                with app.lock:
                    log.record(entry)
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.status is not None:
                entry['status'] = fault.status
                with app.lock:
                    log.record(entry)
                payload = fault.body.encode('utf-8') if fault.body else s3_error(fault.status)
                headers = {'Content-Type': 'application/xml'}
                if fault.retry_after is not None:
                    headers['Retry-After'] = fault.retry_after
                self._reply(fault.status, headers.items(), payload)
                return
        connection = http.client.HTTPConnection(*self.upstream, timeout=120)
        try:
            headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in HOP_HEADERS)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                payload = answer.read()
            except Exception:  # pylint: disable=broad-except
                # What could not be forwarded (a header moto's client refuses ...) was still sent by the client.
                entry['status'] = 502
                with app.lock:
                    app.requests.record(entry)
                self._reply(502, [('Content-Type', 'application/xml')], s3_error(502))
                return
            entry['status'] = answer.status
            with app.lock:
                log.record(entry)
            # moto names the version 'null' on objects of buckets that never had versioning, and then refuses a HEAD
            # of ?versionId=null (rclone's check after an upload, which fails and is retried); COS, like AWS, sends
            # no version id for such buckets.
            headers = [(k, v) for k, v in answer.getheaders()
                       if k.lower() not in HOP_HEADERS and not (k.lower() == 'x-amz-version-id' and v == 'null')]
            self._reply(answer.status, headers, payload)
        finally:
            connection.close()

    def _reply(self, status, headers, payload):
        self.send_response(status)
        length = str(len(payload))
        for name, value in headers:
            if name.lower() == 'content-length':
                # A HEAD answer has no body but announces the object's length.
                length = value if self.command == 'HEAD' else length
            else:
                self.send_header(name, value)
        self.send_header('Content-Length', length)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(payload)

    do_GET = _forward
    do_PUT = _forward
    do_POST = _forward
    do_DELETE = _forward
    do_HEAD = _forward


def start_proxy(app, upstream):
    handler = type('S3Proxy', (ProxyHandler,), {'app': app, 'upstream': upstream})
    server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True)
    thread.start()
    return server


class Buckets:
    """The component: empties the buckets on every reset and shows them in /_sandbox/state."""

    def __init__(self, store):
        self.store = store
        store.empty()

    def view(self):
        return {'s3': self.store.info()}


def register(app):
    store = ObjectStore()
    proxy = start_proxy(app, store.upstream)
    store.proxy_url = 'http://127.0.0.1:%d' % proxy.server_address[1]
    app.info['s3'] = store.info()
    app.add_closer(proxy.shutdown)
    app.add_closer(store.close)
    app.add_component('buckets', lambda app_: Buckets(store))
    app.store = store
