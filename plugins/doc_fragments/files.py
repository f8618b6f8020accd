# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):
    """The file options of modules whose own O(mode) means something else (cos_object, integrity_checker): the
    permissions of O(dest) are O(dest_mode); otherwise as ansible.builtin.files."""

    DOCUMENTATION = r'''
options:
  dest_mode:
    description:
      - The permissions of O(dest), as for the O(ansible.builtin.file#module:mode) option of M(ansible.builtin.file)
        (an octal string such as V('0640') or a symbolic mode such as V(u=rw,g=r,o=)). Called C(dest_mode) because
        O(mode) is this module's operation.
      - When not set, the file has mode V('0644') after each write, and an unchanged file is left as it is.
    type: raw
  owner:
    description:
      - The user that should own O(dest), as for M(ansible.builtin.file). Needs the privileges to change owners.
    type: str
  group:
    description:
      - The group that should own O(dest), as for M(ansible.builtin.file).
    type: str
  unsafe_writes:
    description:
      - As for M(ansible.builtin.copy) - when an atomic move is impossible (some bind-mounted files), write O(dest)
        in place instead. Default off (E(ANSIBLE_UNSAFE_WRITES)).
    type: bool
    default: false
notes:
  - O(dest) is moved into place with Ansible's atomic move (a temporary file in its directory, renamed over it),
    which keeps an existing file's SELinux context or gives a new file the default one. Missing parent directories
    of O(dest) are created.
'''
