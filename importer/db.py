"""Opening a database: the engine, and making sure its schema is the one this version writes."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.pool import NullPool

from blogimport import migrations
from blogimport import identity, interrupts
from blogimport.errors import DatabaseUnavailable, DriverMissing, SchemaError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import ExceptionContext

# The schema revision this blogimport writes: Alembic's head (tests/test_migrations.py checks). Known here so that
# opening an up-to-date database needs no Alembic, which takes a good part of a second to load.
HEAD_REVISION = "0009"
SQLITE_BUSY_SECONDS = 120  # wait for another writer's lock instead of failing at once
SQLITE_LOCK_POLL_MS = 100  # ...in waits this long, a signal seen between them
MIGRATIONS_DIR = Path(migrations.__file__).parent
SCHEMA_LOCK = 7_466_361  # PostgreSQL advisory-lock number for creating the schema (any number only we use)
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


def engine_url(url: str) -> URL:
    """The URL as SQLAlchemy is to read it: `postgres://` is PostgreSQL, and an engine named without a driver gets
    the one blogimport's extra installs (`mysql://` and `mariadb://` PyMySQL, `postgresql://` psycopg)."""
    parsed = make_url(url)
    backend, _, driver = parsed.drivername.partition("+")
    backend = BACKEND_ALIASES.get(backend, backend)
    driver = driver or DEFAULT_DRIVERS.get(backend, "")
    return parsed.set(drivername=f"{backend}+{driver}" if driver else backend)


def new_engine(url: str, **options: Any) -> Engine:
    """create_engine() for a URL as people type it (engine_url); a driver that is not installed is one line naming
    the extra that installs one, not an ImportError."""
    target = engine_url(url)
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


def require_existing(url: str) -> None:
    """Refuse a SQLite file that is not there, for the commands that are not to make one (all but `import` and `db
    upgrade`): SQLite would create it, and they would report on an empty database or fail on it. In-memory and
    URI-style SQLite databases are left to SQLite."""
    target = engine_url(url)
    path = target.database
    if target.get_backend_name() != "sqlite" or not path or path == ":memory:" or "uri" in target.query:
        return
    if not Path(path).exists():
        raise DatabaseUnavailable(f"no database at {path} (import something first, or check --db)")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = new_engine(url, **_sqlite_options(url))
        # Batches of rows as multi-row INSERTs, not one statement per row: each statement that fires the full-text
        # triggers makes FTS5 write out what it holds, and one per row costs three times the whole insert.
        engine.dialect.use_insertmanyvalues_wo_returning = True
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    elif url.startswith(("mysql", "mariadb")):
        # Each statement sees what others committed (PostgreSQL's default), so a row another import added while
        # this one ran is found, not hidden by MySQL's usual snapshot of the transaction's first read.
        engine = new_engine(url, pool_pre_ping=True, isolation_level="READ COMMITTED")
    else:
        engine = new_engine(url, pool_pre_ping=True)
    event.listen(engine, "handle_error", _signal_first)
    event.listen(engine, "before_cursor_execute", _statement_starts)
    event.listen(engine, "after_cursor_execute", _statement_ends)
    return engine


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


def _sqlite_options(url: str) -> dict[str, Any]:
    return {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}} if url.startswith("sqlite") else {}


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


def redacted(url: str) -> str:
    """The URL as it may be shown: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the database URL given"


def describe(error: BaseException, url: str) -> str:
    """The first line of a database error, with the URL's password blanked should a driver quote it."""
    orig = getattr(error, "orig", None) or error
    text = str(orig).strip()
    line = text.splitlines()[0] if text else type(orig).__name__
    try:
        password = make_url(url).password
    except ArgumentError:
        password = None
    return line.replace(str(password), "***") if password else line


def alembic_config(url: str) -> Config:
    """Alembic's configuration without alembic.ini, so installed copies find their migrations."""
    from alembic.config import Config

    config = Config(stdout=sys.stdout)  # Alembic's default is the stdout of import time, not of this command
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    config.attributes["configure_logging"] = False
    return config


def ensure_schema(engine: Engine, url: str) -> None:
    """An empty database is brought to head; any other revision is refused with what to do about it, and so are
    natural keys that other identity rules made.

    Deciding (and creating the schema) happens under a database-wide lock, so imports that start together on an
    empty database do not race: one creates the schema, the others wait and find it made."""
    heads = {HEAD_REVISION}
    try:
        with engine.connect() as conn:
            current, _ = _state(conn)
            if current == heads:
                _check_identity_rules(conn)
                return
    except OperationalError as error:  # the first connection: say where, never with the password
        raise DatabaseUnavailable(f"cannot open {redacted(url)}: {describe(error, url)}") from None
    with _schema_lock(url) as conn:
        current, tables = _state(conn)
        if not current and not tables:
            from alembic import command

            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            current = heads
        if current == heads:  # made now, or by another import while this one waited
            _check_identity_rules(conn)
            return
    _refuse(alembic_config(url), current, heads, tables)


def _state(conn: Connection) -> tuple[set[str], set[str]]:
    """(the revisions the database is at, its tables but Alembic's own, which `downgrade base` leaves)."""
    tables = set(inspect(conn).get_table_names())
    current = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars()) \
        if "alembic_version" in tables else set()
    return current, tables - {"alembic_version"}


def _check_identity_rules(conn: Connection) -> None:
    """Keys made by other identity rules than this blogimport's would not be found again: every re-import would
    add its rows a second time. The revision that changes the rules re-keys the rows (blogimport.rekeying)."""
    stored = sorted(conn.execute(text("SELECT version FROM identity_rules")).scalars())
    ours = identity.IDENTITY_VERSION
    if stored == [ours]:
        return
    made = ", ".join(map(str, stored)) or "none"
    if all(version < ours for version in stored):
        raise SchemaError(f"the database's natural keys were made by identity rules {made}, this blogimport makes "
                          f"{ours}: run `blogimport db upgrade` first, which re-keys them")
    raise SchemaError(f"the database's natural keys were made by identity rules {made}, newer than this "
                      f"blogimport's {ours}: run `blogimport db upgrade` with the blogimport that made "
                      "them, and import with it")


@contextmanager
def _schema_lock(url: str) -> Iterator[Connection]:
    """A connection holding the database's schema lock (PostgreSQL advisory lock, MySQL named lock, SQLite's write
    lock) for as long as the block runs; Alembic migrates on this very connection."""
    engine = new_engine(url, poolclass=NullPool, **_sqlite_options(url))
    event.listen(engine, "handle_error", _signal_first)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_driver_begins_nothing)
        event.listen(engine, "begin", _sqlite_begin)
    mysql = engine.dialect.name in ("mysql", "mariadb")
    try:
        with engine.connect() as conn:
            if mysql:  # a named lock belongs to the session: taken before the transaction, released after it
                conn.execute(text("SELECT GET_LOCK(:name, :seconds)"), {"name": "blogimport_schema",
                                                                       "seconds": SQLITE_BUSY_SECONDS})
                conn.commit()
            try:
                with conn.begin():
                    if engine.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
                    yield conn
            finally:
                if mysql:  # only now that the new revision is committed may another import look at it
                    conn.execute(text("SELECT RELEASE_LOCK('blogimport_schema')"))
                    conn.commit()
    finally:
        engine.dispose()


def _refuse(config: Config, current: set[str], heads: set[str], tables: set[str]) -> None:
    if not current:
        from blogimport import models

        ours = set(models.Base.metadata.tables)
        if tables <= ours:  # MySQL and MariaDB commit each CREATE TABLE: a first creation cut short leaves some
            raise SchemaError(f"the database holds {len(tables)} of blogimport's {len(ours)} tables "
                              f"({', '.join(sorted(tables))}) but no Alembic revision, as a first schema creation "
                              "stopped half way leaves MySQL and MariaDB; if so, drop them, else use an empty database")
        raise SchemaError("the database has tables but no Alembic revision: it is not a blogimport database")
    from alembic.script import ScriptDirectory

    known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
    have, want = ", ".join(sorted(current)), ", ".join(sorted(heads))
    if current <= known:
        raise SchemaError(f"the database is at revision {have}, this blogimport needs {want}: "
                          "run `blogimport db upgrade` first")
    raise SchemaError(f"the database is at revision {have}, which this blogimport does not know: "
                      "it was written by a newer version")


def check_reachable(url: str) -> None:
    """Connect once, so a database that cannot be reached is named (without its password) before anything else."""
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        raise DatabaseUnavailable(f"cannot open {redacted(url)}: {describe(error, url)}") from None
    finally:
        engine.dispose()
