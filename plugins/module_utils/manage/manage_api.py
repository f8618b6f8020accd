# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manage REST object structures (``/maximo/api/os/<name>``) in their lean JSON form [doc].

Find with ``oslc.where`` and ``oslc.select`` in pages (``oslc.pageSize``, following ``responseInfo.nextPage``),
create with ``POST`` (``properties`` header to get the record back), update with ``POST <href>`` and
``x-method-override: PATCH`` (``patchtype: MERGE`` merges child arrays; without it the given child arrays
replace the held ones).

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from urllib.parse import urlsplit

DEFAULT_PAGE_SIZE = 200


def quote_value(value):
    """A value as an oslc.where string literal."""
    return '"%s"' % str(value).replace('\\', '\\\\').replace('"', '\\"')


def where_equals(attribute, value):
    return '%s=%s' % (attribute, quote_value(value))


def where_in(attribute, values):
    return '%s in [%s]' % (attribute, ','.join(quote_value(v) for v in values))


class ManageObjects:
    """Object-structure calls through one MasHttpClient bound to the Manage URL."""

    def __init__(self, client):
        self.client = client

    def _local(self, href):
        # Follow links only on our own host: the API key must never travel to a host the link names.
        parts = urlsplit(href)
        return parts.path + ('?' + parts.query if parts.query else '')

    def query(self, object_structure, where=None, select=None, page_size=DEFAULT_PAGE_SIZE):
        """Every matching record once, reading one page per call.

        Paging ends when there is no next page, and also when a next page brings no record not seen yet (by
        ``href``) or names a page already read: a server that repeats a page must not make the loop endless.
        """
        params = {'lean': 1, 'oslc.pageSize': page_size}
        if where:
            params['oslc.where'] = where
        if select:
            params['oslc.select'] = select
        path = '/maximo/api/os/%s' % object_structure
        seen, visited = set(), set()
        while path:
            body = self.client.get_json(path, params=params)
            members = body.get('member') or []
            fresh = [m for m in members if not (isinstance(m, dict) and m.get('href') in seen)]
            seen.update(m['href'] for m in fresh if isinstance(m, dict) and m.get('href'))
            yield from fresh
            next_page = (body.get('responseInfo') or {}).get('nextPage') or {}
            next_path = self._local(next_page['href']) if next_page.get('href') else None
            if members and not fresh or next_path in visited:
                return
            visited.add(next_path)
            path, params = next_path, None

    def create(self, object_structure, record, properties='*'):
        headers = {'properties': properties} if properties else {}
        response = self.client.request('POST', '/maximo/api/os/%s' % object_structure, params={'lean': 1},
                                       json_body=record, headers=headers, expect=(200, 201), idempotent=False)
        return response.json() if response.content else {'href': response.headers.get('Location')}

    def patch(self, href, changes, merge=False):
        headers = {'x-method-override': 'PATCH'}
        if merge:
            headers['patchtype'] = 'MERGE'
        self.client.request('POST', self._local(href), params={'lean': 1}, json_body=changes, headers=headers,
                            expect=(200, 204), idempotent=True)

    def delete(self, href):
        self.client.request('DELETE', self._local(href), params={'lean': 1}, expect=(200, 204), idempotent=True)

    def service(self, service, method, body):
        """``POST /maximo/api/service/<service>?action=wsmethod:<method>`` with a JSON body: a method of a Manage
        service (``system``: ``liveRefreshProperty``; ``logging``: ``getLogLevel``, ``setLogLevel``), sent as the
        public client @maximomize/maximo-api-client sends it (with ``x-method-override: PATCH``); its answer, or {}."""
        path = '/maximo/api/service/%s' % service
        response = self.client.request('POST', path, params={'action': 'wsmethod:' + method}, json_body=body,
                                       headers={'x-method-override': 'PATCH'}, expect=(200, 204), idempotent=True)
        return self.client.decode_json(response, 'POST', path) if response.content else {}

    def action(self, href, name, body=None):
        """``POST <href>?action=NAME`` (for example ``wsmethod:...``): a record's action; its answer, or {}."""
        response = self.client.request('POST', self._local(href), params={'lean': 1, 'action': name},
                                       json_body=body if body is not None else {}, expect=(200, 204),
                                       idempotent=True)
        return response.json() if response.content else {}
