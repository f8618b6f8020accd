# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One thousand files of 16 KiB in ten directories under the given path."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import sys

for n in range(1000):
    directory = os.path.join(sys.argv[1], 'd%02d' % (n % 10))
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, 'f%04d.bin' % n), 'wb') as out:
        out.write(os.urandom(16384))
