# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Put or delete objects with boto3 directly (keys no module would write): s3_objects.py put|delete KEYS_JSON.

The endpoint, bucket and HMAC keys come from the environment (S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID,
S3_SECRET_ACCESS_KEY); KEYS_JSON is a JSON list of keys, so that any character can be given.
"""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import sys

import boto3


def main():
    action, keys = sys.argv[1], json.loads(sys.argv[2])
    if os.environ['S3_ENDPOINT'].startswith('http://'):
        # A CA bundle is of no use for plain http, and botocore refuses an empty one.
        os.environ.pop('AWS_CA_BUNDLE', None)
    client = boto3.client('s3', endpoint_url=os.environ['S3_ENDPOINT'], region_name='us-east-1',
                          aws_access_key_id=os.environ['S3_ACCESS_KEY_ID'],
                          aws_secret_access_key=os.environ['S3_SECRET_ACCESS_KEY'])
    bucket = os.environ['S3_BUCKET']
    for key in keys:
        if action == 'put':
            client.put_object(Bucket=bucket, Key=key, Body=b'written by a stranger\n')
        else:
            client.delete_object(Bucket=bucket, Key=key)
    listed = client.list_objects_v2(Bucket=bucket, Prefix=os.environ.get('S3_PREFIX', ''))
    print(json.dumps(sorted(item['Key'] for item in listed.get('Contents', []))))


if __name__ == '__main__':
    main()
