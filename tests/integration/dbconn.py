"""dbconn: the tests read and change a store the same way on either back end.

connect(target) takes what --db takes: a SQLite path gives a sqlite3 connection; a
postgresql:// URI gives a small connection of the same shape (execute with ? parameters,
fetchone, fetchall, iteration, commit) that runs each statement through psql, so the tests
need no Python driver. Rows are tuples; with dicts=True, mappings by column name (as
sqlite3.Row gives)."""
import json
import sqlite3
import subprocess
import urllib.parse
import os

import glob
import re as _re


def _pg_bin():
    """the installed PostgreSQL's bin folder, the highest version when there are several"""
    dirs = glob.glob("/usr/lib/postgresql/*/bin")
    key = lambda d: [int(x) for x in _re.findall(r"\d+", d)]
    return sorted(dirs, key=key)[-1] if dirs else "/usr/lib/postgresql/15/bin"


PSQL = _pg_bin() + "/psql"


def is_pg(target):
    return target.startswith(("postgresql://", "postgres://"))


def _literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def _bind(sql, params):
    out, k, quote = [], 0, None
    for c in sql:
        if quote:
            out.append(c)
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            out.append(c)
        elif c == "?":
            out.append(_literal(params[k]))
            k += 1
        else:
            out.append(c)
    return "".join(out)


class _Cursor:
    def __init__(self, rows):
        self.rows = rows

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self):
        return list(self.rows)

    def __iter__(self):
        return iter(self.rows)


class _Row(dict):
    """a mapping that also answers r[0], like sqlite3.Row"""

    def __init__(self, pairs):
        super().__init__(pairs)
        self._values = [v for _, v in pairs]

    def __getitem__(self, k):
        return self._values[k] if isinstance(k, int) else super().__getitem__(k)


class PgConn:
    def __init__(self, uri, dicts=False):
        self.uri, self.dicts = uri, dicts
        u = urllib.parse.urlsplit(uri)
        self.env = dict(os.environ, PGPASSWORD=urllib.parse.unquote(u.password or ""))

    def _psql(self, sql):
        r = subprocess.run([PSQL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.uri, "-c", sql],
                           capture_output=True, text=True, env=self.env)
        if r.returncode != 0:
            raise RuntimeError("psql: %s: %s" % (sql[:200], r.stderr.strip()))
        return r.stdout

    def execute(self, sql, params=()):
        sql = _bind(sql, params).strip().rstrip(";")
        if not sql.lower().startswith(("select", "with")):
            self._psql(sql)
            return _Cursor([])
        out = self._psql("SELECT row_to_json(t) FROM (%s) t" % sql)
        rows = []
        for line in out.splitlines():
            pairs = json.loads(line, object_pairs_hook=lambda p: p)
            rows.append(_Row(pairs) if self.dicts else tuple(v for _, v in pairs))
        return _Cursor(rows)

    def executescript(self, sql):
        self._psql(sql)

    def commit(self):
        pass

    def close(self):
        pass


def connect(target, dicts=False):
    if is_pg(target):
        return PgConn(target, dicts)
    db = sqlite3.connect(target)
    if dicts:
        db.row_factory = sqlite3.Row
    return db
