r"""
The results store of a study: one SQLite file, one row per finished case

A sweep with ``--store FILE`` records each case as it finishes, in its own
transaction: an interruption at any moment loses at most the cases still
running and never corrupts the file (SQLite's journal). A case is keyed by its
line and its seed; rerunning the same sweep skips the cases already stored.
Two sweeps may write the same store at once: the key is the table's primary
key, so a case stored twice is one row (the second write replaces the first
only with ``rerun``).

The file is recognized by a ``meta`` table naming its format; a file that is
not SQLite, or an SQLite file of something else, is refused with one line and
left untouched.

EXAMPLES::

    sage: import os, tempfile
    sage: from sage_conslaws.studies.store import ResultsStore
    sage: path = os.path.join(tempfile.mkdtemp(), "results.sqlite")
    sage: store = ResultsStore(path)
    sage: store.record("linear 1,2,1", 0, "proven", {"laws": 3, "parameters": 4}, 0.01)
    True
    sage: store.record("linear 1,2,1", 0, "proven", {"laws": 3, "parameters": 4}, 0.01)
    False
    sage: store.done_keys() == {("linear 1,2,1", 0)}
    True
    sage: [(row["line"], row["status"], row["result"]["laws"]) for row in store.rows()]
    [('linear 1,2,1', 'proven', 3)]
"""
import json
import os
import socket
import sqlite3
import time

#: The format written in the ``meta`` table of every store.
STORE_FORMAT = "sage-conslaws results 1"

#: The statuses of a stored case.
STATUSES = ("proven", "probabilistic", "not verified", "refused", "failed", "timed out")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
    line TEXT NOT NULL,
    seed INTEGER NOT NULL,
    status TEXT NOT NULL,
    result TEXT NOT NULL,
    seconds REAL NOT NULL,
    version TEXT NOT NULL,
    host TEXT NOT NULL,
    finished REAL NOT NULL,
    PRIMARY KEY (line, seed)
);
"""


def _uri(path, mode):
    # an SQLite URI for path: its characters (#, ?, %) escaped
    from pathlib import Path
    return f"{Path(path).resolve().as_uri()}?mode={mode}"


def _plain(value):
    # numbers of Sage (or numpy) in a result, as JSON numbers; anything else as its text
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


class ResultsStore:
    r"""
    A results store at ``path``: created if absent, checked if present.

    INPUT:

    - ``path`` -- the file
    - ``read_only`` -- (default: ``False``) open an existing store without writing to it

    EXAMPLES::

        sage: import os, tempfile
        sage: from sage_conslaws.studies.store import ResultsStore
        sage: path = os.path.join(tempfile.mkdtemp(), "r#1.sqlite")
        sage: ResultsStore(path).rows(), ResultsStore(path, read_only=True).rows()
        ([], [])
        sage: ResultsStore("/nonexistent/d/r.sqlite")
        Traceback (most recent call last):
        ...
        ValueError: cannot open the results store /nonexistent/d/r.sqlite: unable to open database file

    TESTS::

        sage: bad = os.path.join(tempfile.mkdtemp(), "notes.txt")
        sage: _ = open(bad, "w").write("my notes")
        sage: ResultsStore(bad)
        Traceback (most recent call last):
        ...
        ValueError: .../notes.txt is not a results store of sage-conslaws (not an SQLite file); it was left untouched
        sage: open(bad).read()
        'my notes'
    """

    def __init__(self, path, read_only=False):
        self._path = os.fspath(path)
        if os.path.exists(self._path):
            self._check_existing()
        elif read_only:
            raise ValueError(f"no results store at {self._path}")
        try:
            if read_only:
                self._connection = sqlite3.connect(_uri(self._path, "ro"), uri=True, timeout=60)
                return
            self._connection = sqlite3.connect(self._path, timeout=60, isolation_level=None)
            with self._transaction():
                # statement by statement: executescript would commit outside the transaction
                for statement in _SCHEMA.strip().split(";"):
                    if statement.strip():
                        self._connection.execute(statement)
                self._connection.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)",
                                         (STORE_FORMAT,))
        except sqlite3.Error as error:
            raise ValueError(f"cannot open the results store {self._path}: {error}") from None

    def _check_existing(self):
        # read-only: a foreign file must stay exactly as it was
        refusal = f"{self._path} is not a results store of sage-conslaws"
        try:
            with open(self._path, "rb") as f:
                header = f.read(16)
        except OSError as error:
            raise ValueError(f"cannot read {self._path}: {error.strerror}") from None
        if not header:
            return  # an empty file: a new store
        if header != b"SQLite format 3\x00":
            raise ValueError(f"{refusal} (not an SQLite file); it was left untouched")
        try:
            connection = sqlite3.connect(_uri(self._path, "ro"), uri=True)
            try:
                row = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            finally:
                connection.close()
        except sqlite3.DatabaseError:
            row = None
        if row is None or row[0] != STORE_FORMAT:
            raise ValueError(f"{refusal} (an SQLite file without its format '{STORE_FORMAT}'); "
                             "it was left untouched")

    def _transaction(self):
        connection = self._connection

        class Transaction:
            def __enter__(self):
                connection.execute("BEGIN IMMEDIATE")

            def __exit__(self, kind, value, traceback):
                connection.execute("COMMIT" if kind is None else "ROLLBACK")
        return Transaction()

    def path(self):
        r"""
        Return the path of the store.

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite")).path().endswith("r.sqlite")
            True
        """
        return self._path

    def record(self, line, seed, status, result, seconds, rerun=False):
        r"""
        Store the case ``line`` (run with ``seed``) in one transaction; return whether a row was written.

        INPUT:

        - ``line`` -- the case, as written in the sweep file
        - ``seed`` -- the seed it ran with
        - ``status`` -- one of :data:`STATUSES`
        - ``result`` -- a dictionary of plain values (the JSON fields of the result)
        - ``seconds`` -- the time it took
        - ``rerun`` -- (default: ``False``) replace a row already stored

        An existing row is kept unless ``rerun``: two sweeps that finish the
        same case store it once.

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: S = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
            sage: S.record("relu 2,2,1", 0, "timed out", {}, 5.0), S.record("relu 2,2,1", 0, "proven", {"laws": 2}, 1.0, rerun=True)
            (True, True)
            sage: [row["status"] for row in S.rows()]
            ['proven']
            sage: S.record("relu 2,2,1", 0, "lost", {}, 1.0)
            Traceback (most recent call last):
            ...
            ValueError: unknown status 'lost'; known: proven, probabilistic, not verified, refused, failed, timed out
        """
        from sage_conslaws import __version__
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; known: {', '.join(STATUSES)}")
        verb = "INSERT OR REPLACE" if rerun else "INSERT OR IGNORE"
        try:
            with self._transaction():
                cursor = self._connection.execute(
                    f"{verb} INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (line, int(seed), status, json.dumps(result, default=_plain), float(seconds),
                     __version__, socket.gethostname(), time.time()))
        except sqlite3.Error as error:
            raise ValueError(f"cannot write to the results store {self._path}: {error}") from None
        return cursor.rowcount > 0

    def done_keys(self):
        r"""
        Return the set of ``(line, seed)`` of the cases stored.

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite")).done_keys()
            set()
        """
        return set(self._connection.execute("SELECT line, seed FROM cases").fetchall())

    def rows(self):
        r"""
        Return the stored cases, in the order they finished, as dictionaries (``result`` decoded).

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: S = ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite"))
            sage: _ = S.record("nmf 2,2,2", 3, "proven", {"laws": 2}, 0.5)
            sage: row = S.rows()[0]; row["seed"], row["seconds"], sorted(row)
            (3, 0.5, ['finished', 'host', 'line', 'result', 'seconds', 'seed', 'status', 'version'])
        """
        names = ("line", "seed", "status", "result", "seconds", "version", "host", "finished")
        rows = self._connection.execute(
            f"SELECT {', '.join(names)} FROM cases ORDER BY finished").fetchall()
        return [dict(zip(names, row[:3] + (json.loads(row[3]),) + row[4:])) for row in rows]

    def close(self):
        r"""
        Close the connection (every row is already committed).

        EXAMPLES::

            sage: import os, tempfile
            sage: from sage_conslaws.studies.store import ResultsStore
            sage: ResultsStore(os.path.join(tempfile.mkdtemp(), "r.sqlite")).close()
        """
        self._connection.close()

    def __repr__(self):
        count = self._connection.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        return f"results store {self._path} ({count} cases)"
