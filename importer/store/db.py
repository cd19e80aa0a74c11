"""The database: its URL (parsed once, shown without its password), engines and connections that a signal can
stop (blogimport.interrupts), and what a database error means (another writer in the way, or the database failing).
Its schema is blogimport.store.schema's."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from blogimport import interrupts
from blogimport.errors import DatabaseUnavailable, DriverMissing

if TYPE_CHECKING:
    from sqlalchemy.engine import ExceptionContext

SQLITE_BUSY_SECONDS = 120  # wait for another writer's lock instead of failing at once
SQLITE_LOCK_POLL_MS = 100  # ...in waits this long, a signal seen between them
# PostgreSQL SQLSTATEs and MySQL error numbers that mean "another transaction was in the way": try again.
_CONTENTION_STATES = {"23505", "40001", "40P01", "55P03"}  # unique violation, serialization, deadlock, lock
_CONTENTION_CODES = {1062, 1205, 1213}  # duplicate entry, lock wait timeout, deadlock
# ...and those that mean the database itself failed, whatever was being written: gone (a connection lost or refused,
# the server shutting down), full, read-only, or broken. SQLSTATE classes: connection, insufficient resources (disk
# full), operator intervention (shutdown; not 57014, a cancelled statement), system (I/O); corrupted data; read-only
# transaction. MySQL: disk full, table full, read only (3), shutdown, connection killed (3), cannot connect (2),
# gone away, lost connection, client idle too long.
_FAULT_STATES = ("08", "53", "57P", "58", "XX001", "XX002", "25006")
_FAULT_CODES = {1021, 1114, 1036, 1290, 1792, 1053, 1927, 2002, 2003, 2006, 2013, 2055, 4031}
# SQLite's primary result codes: PERM, NOMEM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB.
_SQLITE_FAULTS = {3, 7, 8, 10, 11, 13, 14, 26}
# The driver each extra installs, for URLs that name none (SQLAlchemy's defaults, MySQLdb and psycopg2 on 2.0, are
# not installed by blogimport); and the extra that brings each engine's driver. Heroku and others write postgres://.
DEFAULT_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}
EXTRAS = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}
BACKEND_ALIASES = {"postgres": "postgresql"}


@dataclass(frozen=True, repr=False)
class DatabaseURL:
    """A database URL, parsed once from what the user gave. It shows itself as given, never with its password
    (str), and blanks the password wherever a driver's message quotes it (describe). `target` is what SQLAlchemy
    connects to: `postgres://` is PostgreSQL, and an engine named without a driver gets the one blogimport's
    extra installs (`mysql://` and `mariadb://` PyMySQL, `postgresql://` psycopg)."""

    given: URL

    @classmethod
    def parse(cls, text: str) -> DatabaseURL:
        """SQLAlchemy's ArgumentError when the text is not a URL. A path alone (`--db blog.db`, `--db ~/b.db`) is
        the SQLite file people mean by it."""
        if text.strip() and "://" not in text and ":" not in text.split("/", 1)[0]:
            return cls(URL.create("sqlite", database=str(Path(text).expanduser())))
        return cls(make_url(text))

    def __str__(self) -> str:
        return self.given.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"DatabaseURL({str(self)!r})"

    @property
    def target(self) -> URL:
        backend, _, driver = self.given.drivername.partition("+")
        backend = BACKEND_ALIASES.get(backend, backend)
        driver = driver or DEFAULT_DRIVERS.get(backend, "")
        return self.given.set(drivername=f"{backend}+{driver}" if driver else backend)

    @property
    def backend(self) -> str:
        return self.target.get_backend_name()

    def describe(self, error: BaseException) -> str:
        """The first line of a database error, with the password blanked should a driver quote it."""
        orig = getattr(error, "orig", None) or error
        message = str(orig).strip()
        line = message.splitlines()[0] if message else type(orig).__name__
        password = self.given.password
        return line.replace(str(password), "***") if password else line


def new_engine(url: DatabaseURL, **options: Any) -> Engine:
    """create_engine() for the URL's target; a driver that is not installed is one line naming the extra that
    installs one, not an ImportError."""
    target = url.target
    try:
        return create_engine(target, **options)
    except ImportError as error:
        backend = target.get_backend_name()
        extra = EXTRAS.get(backend)
        install = f"pip install 'blogimport[{extra}]'" if extra else "install it"
        if extra and target.get_driver_name() != DEFAULT_DRIVERS[backend]:
            install += f" and write {backend}:// (or install {error.name or 'that module'})"
        reason = (str(error).splitlines() or [type(error).__name__])[0]  # psycopg lists what it tried, a line each
        raise DriverMissing(f"no driver for {target.drivername} ({reason}): {install}") from None


def require_existing(url: DatabaseURL) -> None:
    """Refuse a SQLite file that is not there, for the commands that are not to make one (all but `import` and `db
    upgrade`): SQLite would create it, and they would report on an empty database or fail on it. In-memory and
    URI-style SQLite databases are left to SQLite."""
    target = url.target
    path = target.database
    if url.backend != "sqlite" or not path or path == ":memory:" or "uri" in target.query:
        return
    if not Path(path).exists():
        raise DatabaseUnavailable(f"no database at {path} (import something first, or check --db)")


def make_engine(url: DatabaseURL) -> Engine:
    if url.backend == "sqlite":
        engine = new_engine(url, **_sqlite_options(url))
        # Batches of rows as multi-row INSERTs, not one statement per row: each statement that fires the full-text
        # triggers makes FTS5 write out what it holds, and one per row costs three times the whole insert.
        engine.dialect.use_insertmanyvalues_wo_returning = True
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    elif url.backend in ("mysql", "mariadb"):
        # Each statement sees what others committed (PostgreSQL's default), so a row another import added while
        # this one ran is found, not hidden by MySQL's usual snapshot of the transaction's first read.
        engine = new_engine(url, pool_pre_ping=True, isolation_level="READ COMMITTED")
    else:
        engine = new_engine(url, pool_pre_ping=True)
    event.listen(engine, "handle_error", _signal_first)
    event.listen(engine, "before_cursor_execute", _statement_starts)
    event.listen(engine, "after_cursor_execute", _statement_ends)
    return engine


def single_use_engine(url: DatabaseURL) -> Engine:
    """An engine without a pool, for one connection (the one that holds the schema lock, blogimport.store.schema):
    a signal stops it as it stops any engine's, and SQLite's write lock is taken as its transaction begins."""
    engine = new_engine(url, poolclass=NullPool, **_sqlite_options(url))
    event.listen(engine, "handle_error", _signal_first)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_driver_begins_nothing)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def check_reachable(url: DatabaseURL) -> None:
    """Connect once, so a database that cannot be reached is named (without its password) before anything else."""
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        raise DatabaseUnavailable(f"cannot open {url}: {url.describe(error)}") from None
    finally:
        engine.dispose()


class _Running:
    """The driver connection whose statement the main thread waits for: a signal cancels that statement (see
    blogimport.interrupts), for a lock another import holds may keep it waiting for minutes."""

    connection: Any = None

    @classmethod
    def cancel(cls) -> None:
        connection = cls.connection
        if connection is None or threading.current_thread() is threading.main_thread():
            return
        with suppress(Exception):  # the statement may have ended meanwhile: nothing to cancel
            if hasattr(connection, "interrupt"):  # sqlite3: thread-safe, ends the busy wait
                connection.interrupt()
            elif hasattr(connection, "cancel_safe"):  # psycopg: asks the server to cancel the statement
                connection.cancel_safe()


interrupts.cut_short_by(_Running.cancel)


def _statement_starts(conn: Connection, *_: Any) -> None:
    """Before every statement: a signal recorded since the last one stops the run here (blogimport.interrupts)."""
    interrupts.check()
    if threading.current_thread() is threading.main_thread():
        _Running.connection = conn.connection.dbapi_connection


def _statement_ends(*_: Any) -> None:
    _Running.connection = None


def _signal_first(context: ExceptionContext) -> BaseException | None:
    """A driver error raised while the driver dealt with a signal (see interrupts.hidden_in) is the signal: raise it
    instead, and drop the connection, which may be half way through a command."""
    _Running.connection = None
    interrupted = interrupts.hidden_in(context.original_exception) or interrupts.taken()
    if interrupted is None or interrupted is context.original_exception:
        return None
    context.is_disconnect = True
    return interrupted


def _sqlite_options(url: DatabaseURL) -> dict[str, Any]:
    return {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}} if url.backend == "sqlite" else {}


def _sqlite_driver_begins_nothing(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver sends no BEGIN of its own: _sqlite_begin does


def _sqlite_connect(dbapi_connection: Any, record: Any) -> None:
    _sqlite_driver_begins_nothing(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")  # SQLite enforces foreign keys only when asked, per connection
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Take the write lock as the transaction starts. A transaction that reads first and writes later would be
    refused at once, without waiting, if another process began writing in between.

    Waiting for another import's lock can take minutes, inside SQLite, where no signal is seen: so the wait is made
    of short ones, with a safe point between them (blogimport.interrupts)."""
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_LOCK_POLL_MS}")
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            break
        except OperationalError as error:
            if "database is locked" not in str(error.orig) or time.monotonic() >= deadline:
                raise
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_SECONDS * 1000}")  # commits wait for readers


@contextmanager
def connected(engine: Engine) -> Iterator[Connection]:
    """engine.connect(), but a connection that a signal cut short is dropped, not rolled back: its driver may be half
    way through a command (a COPY), and the server rolls back what a dropped connection had not committed."""
    with engine.connect() as conn:
        try:
            yield conn
        except KeyboardInterrupt:  # blogimport.interrupts.Interrupted too
            drop(conn)
            raise


def drop(conn: Connection) -> None:
    """Close the connection without a word to the server (no ROLLBACK, which a connection in an unknown state may
    not take): the server rolls back what it had not committed."""
    with suppress(SQLAlchemyError):
        conn.invalidate()
    with suppress(SQLAlchemyError):
        conn.close()


def is_contention(error: SQLAlchemyError) -> bool:
    """Did another writer get in the way (a race on a unique key, a deadlock, a lock)? Then retry the source."""
    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None) in _CONTENTION_STATES:
        return True
    args = getattr(orig, "args", ())
    if args and args[0] in _CONTENTION_CODES:
        return True
    message = str(orig)  # SQLite says it in words
    unique = isinstance(error, IntegrityError) and "UNIQUE constraint failed" in message
    return unique or "database is locked" in message


def is_fault(error: SQLAlchemyError) -> bool:
    """Did the database fail (gone, full, read-only, broken) rather than refuse one source? Then stop the run: every
    source after it would fail the same way."""
    if getattr(error, "connection_invalidated", False):  # SQLAlchemy saw the connection drop
        return True
    orig = getattr(error, "orig", None)
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in _SQLITE_FAULTS
    args = getattr(orig, "args", ())
    if args and args[0] in _FAULT_CODES:
        return True
    state = getattr(orig, "sqlstate", "")
    if state is None:  # psycopg and PyMySQL: an error of the client's own, reaching (or keeping) the server
        return isinstance(error, OperationalError)
    return bool(state) and state.startswith(_FAULT_STATES)
