# -*- coding: utf-8 -*-
# Copyright: mas.dedicated contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running classified statements and exporting result sets on any DB-API 2.0 connection.

Nothing here knows the driver: ``db2.connect`` gives an ibm_db_dbi connection in production use, the unit
tests give sqlite3. Parameters use the ``qmark`` style (``?``) of both. Exports stream with ``fetchmany`` into
a file written atomically (``files.atomic_write``), so memory stays bounded by one batch whatever the row count.

Internal to mas.dedicated.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import base64
import csv
import datetime
import decimal
import hashlib
import io
import json
import os

from ansible_collections.mas.dedicated.plugins.module_utils.common.errors import ServiceError
from ansible_collections.mas.dedicated.plugins.module_utils.common.files import atomic_write, sha256_file

FORMATS = ('csv', 'jsonl')
DEFAULT_FETCH_SIZE = 5000
_BINARY = (bytes, bytearray, memoryview)


class StatementError(ServiceError):
    """A statement failed; everything the run did was rolled back."""

    def __init__(self, message, line=None, details=None):
        super(StatementError, self).__init__(message)
        self.line = line
        self.details = details or {}

    def to_dict(self):
        result = dict(self.details)
        result['line'] = self.line
        return result


def json_value(value):
    """A JSON-safe form of a DB value: decimals and binary as strings, dates in ISO 8601."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, _BINARY):
        return base64.b64encode(bytes(value)).decode('ascii')
    return str(value)


def _csv_value(value):
    if isinstance(value, _BINARY):
        return bytes(value).hex()
    return value


class _BinaryColumns:
    """Which columns hold binary values: decided from the first non-NULL value each column shows.

    DB2 columns are typed, so a column whose first value is text or a number never holds bytes; only the
    columns still unseen (NULL so far) and the binary ones are looked at in later batches.
    """

    def __init__(self, width):
        self.unknown = set(range(width))
        self.binary = []

    def update(self, rows):
        if self.unknown:
            for index in sorted(self.unknown):
                for row in rows:
                    value = row[index]
                    if value is not None:
                        self.unknown.discard(index)
                        if isinstance(value, _BINARY):
                            self.binary.append(index)
                        break
        return self.binary


def _columns(cursor):
    return [column[0] for column in cursor.description]


def csv_chunks(cursor, fetch_size=DEFAULT_FETCH_SIZE, counter=None):
    """Encoded CSV (RFC 4180, header row first) of the cursor's remaining rows, one chunk per fetchmany batch."""
    columns = _columns(cursor)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    binary = _BinaryColumns(len(columns))
    while True:
        rows = cursor.fetchmany(fetch_size)
        if not rows:
            break
        converted = binary.update(rows)
        if converted:
            fixed = []
            for row in rows:
                row = list(row)
                for index in converted:
                    row[index] = _csv_value(row[index])
                fixed.append(row)
            rows = fixed
        writer.writerows(rows)
        if counter is not None:
            counter[0] += len(rows)
        yield buffer.getvalue().encode('utf-8')
        buffer.seek(0)
        buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail.encode('utf-8')


def jsonl_chunks(cursor, fetch_size=DEFAULT_FETCH_SIZE, counter=None):
    """Encoded JSON Lines (one object per row, keys are the column names), one chunk per fetchmany batch."""
    columns = _columns(cursor)
    encoder = json.JSONEncoder(ensure_ascii=False, default=json_value, separators=(',', ':'))
    while True:
        rows = cursor.fetchmany(fetch_size)
        if not rows:
            break
        lines = [encoder.encode(dict(zip(columns, row))) for row in rows]
        lines.append('')
        if counter is not None:
            counter[0] += len(rows)
        yield '\n'.join(lines).encode('utf-8')


def export(cursor, dest, fmt='csv', fetch_size=DEFAULT_FETCH_SIZE, write=True, mode=0o644, module=None):
    """Stream the cursor's result set to ``dest``. With write=False only predict whether dest would change.

    Returns {'path', 'format', 'rows', 'bytes', 'sha256', 'changed'}.
    """
    if fmt not in FORMATS:
        raise ValueError("output_format must be one of %s" % ', '.join(FORMATS))
    if cursor.description is None:
        raise StatementError('the statement to export returned no result set')
    counter = [0]
    chunks = (csv_chunks if fmt == 'csv' else jsonl_chunks)(cursor, fetch_size, counter)
    dest = os.path.abspath(os.path.expanduser(dest))
    if write:
        changed, checksum, size = atomic_write(dest, chunks, mode=mode, module=module)
    else:
        digest = hashlib.sha256()
        size = 0
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
        checksum = digest.hexdigest()
        changed = sha256_file(dest) != checksum
    return {'path': dest, 'format': fmt, 'rows': counter[0], 'bytes': size, 'sha256': checksum, 'changed': changed}


def fetch_limited(cursor, max_rows, fetch_size=DEFAULT_FETCH_SIZE):
    """(columns, rows as JSON-safe dicts, truncated): at most max_rows rows are kept; one more is read to know."""
    columns = _columns(cursor)
    rows = []
    truncated = False
    while True:
        want = min(fetch_size, max_rows + 1 - len(rows))
        batch = cursor.fetchmany(want) if want > 0 else []
        if not batch:
            break
        rows.extend(batch)
        if len(rows) > max_rows:
            truncated = True
            rows = rows[:max_rows]
            break
    return columns, [dict(zip(columns, (json_value(v) for v in row))) for row in rows], truncated


def run(connection, statements, max_rows=1000, fetch_size=DEFAULT_FETCH_SIZE, export_to=None, finish='commit',
        error_mapper=None, skip=None):
    """Run ``statements`` (a list of (Statement, parameters or None)) in one transaction on ``connection``.

    The result set of the statement at index ``export_to['index']`` is streamed to ``export_to['path']``
    (format ``export_to['format']``, ``export_to['write']`` false predicts only); other result sets return at most
    ``max_rows`` rows. ``finish`` is 'commit' or 'rollback'. Statements for which ``skip(statement)`` is true are
    reported but not run. On any error everything is rolled back and StatementError (or what ``error_mapper``
    makes of the driver exception) is raised.

    Returns {'statements': [...], 'export': {...} or None, 'rows_affected': total}.
    """
    results = []
    exported = None
    affected = 0
    cursor = connection.cursor()
    try:
        for index, (statement, parameters) in enumerate(statements):
            entry = {'index': index, 'line': statement.line, 'kind': statement.kind, 'verb': statement.verb}
            if skip is not None and skip(statement):
                entry['skipped'] = True
                results.append(entry)
                continue
            try:
                if parameters:
                    cursor.execute(statement.text, tuple(parameters))
                else:
                    cursor.execute(statement.text)
                exporting = bool(export_to) and export_to.get('index') == index
                if exporting and cursor.description is None:
                    raise StatementError('statement %d (line %d) returned no result set to export'
                                         % (index + 1, statement.line), line=statement.line)
                if cursor.description is not None:
                    if exporting:
                        exported = export(cursor, export_to['path'], export_to.get('format', 'csv'), fetch_size,
                                          write=export_to.get('write', True), mode=export_to.get('mode', 0o644),
                                          module=export_to.get('module'))
                        entry['exported_rows'] = exported['rows']
                    else:
                        columns, rows, truncated = fetch_limited(cursor, max_rows, fetch_size)
                        entry.update(columns=columns, rows=rows, row_count=len(rows), truncated=truncated)
                else:
                    count = cursor.rowcount if cursor.rowcount is not None and cursor.rowcount >= 0 else None
                    entry['rows_affected'] = count
                    affected += count or 0
            except (ServiceError, OSError, IOError, ValueError):
                raise
            except Exception as exc:  # pylint: disable=broad-except
                # Driver exceptions have no common base class beyond the DB-API module's own Error.
                if error_mapper is not None:
                    mapped = error_mapper(exc)
                    mapped.args = ('statement %d (line %d): %s' % (index + 1, statement.line, mapped),)
                    raise mapped
                raise StatementError('statement %d (line %d) failed: %s' % (index + 1, statement.line, exc),
                                     line=statement.line)
            results.append(entry)
        if finish == 'commit':
            connection.commit()
        else:
            connection.rollback()
    except BaseException:
        try:
            connection.rollback()
        except Exception:  # pylint: disable=broad-except
            pass
        raise
    finally:
        try:
            cursor.close()
        except Exception:  # pylint: disable=broad-except
            pass
    return {'statements': results, 'export': exported, 'rows_affected': affected}
