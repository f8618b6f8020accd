# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):

    # The certificate options (validate_certs, ca_path) are in mas.dedicated.tls.
    DOCUMENTATION = r'''
options:
  region:
    description:
      - The COS region of the Welcome Letter's public endpoint, for example V(us-east) for
        C(s3.us-east.cloud-object-storage.appdomain.cloud).
      - If not set, the environment variable E(MAS_COS_REGION) is used.
    type: str
  endpoint_type:
    description:
      - Which COS network to use when the endpoint is derived from O(region).
    type: str
    choices: [public, direct, private]
    default: public
  endpoint_url:
    description:
      - The full endpoint URL, overriding the one derived from O(region) and O(endpoint_type).
      - If not set, the environment variable E(MAS_COS_ENDPOINT_URL) is used.
    type: str
  access_key_id:
    description:
      - The bucket's HMAC access key id. Each bucket has its own keys.
      - If not set, the environment variable E(MAS_COS_ACCESS_KEY_ID) is used.
    type: str
  secret_access_key:
    description:
      - The bucket's HMAC secret access key. Never shown in output, diffs or errors.
      - If not set, the environment variable E(MAS_COS_SECRET_ACCESS_KEY) is used.
    type: str
notes:
  - For C(module_defaults) of C(group/mas.dedicated.cos), set these connection options only; the transfer options
    C(part_size_mb) and C(concurrency) are taken only by the modules that transfer (M(mas.dedicated.cos_object),
    M(mas.dedicated.cos_sync)), so set them on those tasks.
requirements:
  - boto3 >= 1.28.0
'''

    # Transfer options (cos_object, cos_sync): part sizes of uploads, parallel parts, ranges and files.
    TRANSFER = r'''
options:
  part_size_mb:
    description:
      - Multipart part size in MiB; files larger than one part are uploaded in parts of this size, in parallel
        (larger parts when a file would need more than S3's 10,000 parts).
      - A failed or throttled part is retried on its own; a transfer is never restarted from the beginning.
      - 16 MiB parts with 16 at once uploaded fastest in the collection's benchmark; the module's memory stays far
        below 150 MiB because parts are read from the file as they are sent.
      - From 5 to 5,120; a value outside is refused before anything is sent.
    type: int
    default: 16
  concurrency:
    description:
      - Parts (or, for M(mas.dedicated.cos_sync), files) transferred at once.
      - A download fetches up to 4 byte ranges of an object at once (fewer when O(concurrency) is lower); a range
        whose connection is cut is asked again from where it stopped.
      - From 1 to 64; a value outside is refused before anything is sent.
    type: int
    default: 16
'''

    # Downloads only (manage_logs): how many byte ranges of one object at once.
    DOWNLOAD = r'''
options:
  concurrency:
    description:
      - Byte ranges of one bundle fetched at once (at most 4); a range whose connection is cut is asked again from
        where it stopped.
      - From 1 to 64; a value outside is refused before anything is sent.
    type: int
    default: 16
'''
