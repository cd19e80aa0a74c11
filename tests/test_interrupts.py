"""Ctrl-C and SIGTERM during an import (issue 8, point 4): the source in progress is rolled back, the summary so far
is printed, the run is recorded as interrupted, the exit code is 130 or 143, the parsing workers are gone, and the
next run completes the job. Real processes, on every engine."""

from __future__ import annotations

import gc
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy import Engine, event, text

from blogimport import interrupts
from blogimport.interrupts import Interrupted
from blogimport.store import DatabaseURL, make_engine
from tests.conftest import SEEDS, Corpus, run
from tests.dbdump import assert_whole_sources, natural_dump, query
from tests.processes import BLOGIMPORT, finished, group, start_import, wait_for_sources, wait_until_gone
from tests.signals import catches

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)


@pytest.fixture(autouse=True)
def sigint_as_in_a_terminal() -> Iterator[None]:
    """Tests started in the background (`pytest &`, nohup, a CI runner) inherit SIGINT ignored, and an import keeps
    an ignored SIGINT ignored (a test below says so): these tests send SIGINT as a terminal would, so they run with
    Python's usual handler, as under a terminal."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_import_leaves_whole_sources_and_the_next_completes_it(
    how: str,
    db_url: str,
    text_corpus: Corpus,
) -> None:
    assert run("db", "upgrade", "--db", db_url).exit_code == 0  # the schema made: the import starts at once
    as_json = ["--json"] if how == "sigterm" else []
    process = start_import(text_corpus.folder, "--db", db_url, "--jobs", "2", *as_json)
    wait_for_sources(process, db_url)
    assert len(group(process.pid)) > 1  # parsing workers beside the writer
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # a terminal sends it to the whole process group
    else:
        process.send_signal(signal.SIGTERM)  # `kill PID`: the writer alone, which stops its workers
    out, err = finished(process)
    wait_until_gone(process.pid)

    name, code = ("SIGINT", 130) if how == "ctrl-c" else ("SIGTERM", 143)
    (runs,) = query(db_url, "SELECT status, sources_imported, finished_at FROM import_runs")
    done = runs["sources_imported"]
    assert (process.returncode, runs["status"]) == (code, "interrupted"), err
    assert 0 < done < text_corpus.files and runs["finished_at"] is not None
    left = text_corpus.files - done
    assert (
        err == f"interrupted by {name}: {left} of {text_corpus.files} sources left; run the same import "
        "again to finish\n"
    )
    if as_json:
        summary = json.loads(out)
        assert (summary["status"], summary["stopped"], summary["remaining"]) == ("interrupted", name, left)
        assert summary["sources"] == {"imported": done, "unchanged": 0, "partial": 0, "failed": 0}
    else:
        assert out.startswith(f"{done} of {text_corpus.files} sources: {done} imported, 0 unchanged, 0 failed; new: ")
    assert_whole_sources(db_url, text_corpus.reference)

    again = run("import", text_corpus.folder, "--db", db_url)
    assert again.exit_code == 0
    assert again.stdout.startswith(f"{text_corpus.files} sources: {left} imported, {done} unchanged, 0 failed; ")
    assert natural_dump(db_url) == text_corpus.reference


def test_a_signal_is_recorded_and_stops_the_run_at_the_next_safe_point() -> None:
    steps = []
    with interrupts.recorded():
        os.kill(os.getpid(), signal.SIGTERM)
        steps.append("went on")  # the handler raised nothing where the signal came
        with pytest.raises(Interrupted) as caught:
            interrupts.check()
        assert (steps, caught.value.exit_code) == (["went on"], 143)
        interrupts.check()  # acted on once


def test_a_signal_during_a_commit_is_acted_on_when_the_commit_is_done() -> None:
    steps = []
    with interrupts.recorded():
        with pytest.raises(Interrupted) as caught, interrupts.held():
            os.kill(os.getpid(), signal.SIGINT)
            interrupts.check()  # a statement inside the commit's block: not a place to stop
            steps.append("committed")
        assert (steps, caught.value.exit_code) == (["committed"], 130)


def test_a_signal_that_comes_inside_a_garbage_collection_callback_is_not_lost(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Python discards an exception raised in a weakref callback ("Exception ignored in ..."): a handler that raised
    lost the signal there, and the import ran to its end (seen with SQLAlchemy's _collection_gced)."""

    class Thing:
        pass

    thing = Thing()
    with interrupts.recorded():
        gone = weakref.ref(thing, lambda _: os.kill(os.getpid(), signal.SIGINT))  # the handler runs in the callback
        del thing
        gc.collect()
        assert gone() is None
        with pytest.raises(Interrupted):
            interrupts.check()
    assert "Exception ignored" not in capfd.readouterr().err


def test_a_signal_ignored_when_the_import_starts_stays_ignored() -> None:
    """A job started in the background (`blogimport import ... &`) ignores the terminal's Ctrl-C, as Python does."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupts.recorded():
            handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)  # nothing happens
            interrupts.check()
        assert handlers == (signal.SIG_IGN, interrupts._on_signal)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """`python -c CODE` with SIGINT's default action, as a terminal starts it (see start_import)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def test_a_second_signal_before_the_first_is_acted_on_ends_the_process_at_once() -> None:
    done = _python(
        "import os, signal, time\nfrom blogimport import interrupts\ninterrupts.install()\n"
        "os.kill(os.getpid(), signal.SIGINT)\nos.kill(os.getpid(), signal.SIGINT)\ntime.sleep(30)\n"
        "print('never')"
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "interrupted by SIGINT again: stopping at once\n")


def test_a_signal_after_the_run_is_recorded_is_ignored_to_the_very_end() -> None:
    """Python puts back the default handlers as it exits: a signal then would still end the process by it."""
    done = _python(
        "import os, signal\nfrom blogimport import interrupts\ninterrupts.install()\n"
        "interrupts.finished()\nos.kill(os.getpid(), signal.SIGTERM)\ninterrupts.check()\nprint('done')"
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "done\n", "")


def test_blogimport_stopped_while_it_starts_says_so_in_one_line() -> None:
    """The console script records signals before it loads anything heavy: a Ctrl-C then is no traceback."""
    process = subprocess.Popen(
        [BLOGIMPORT, "stats", "--db", "sqlite://"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    while not catches(process.pid, signal.SIGTERM):  # its handlers are in place: the modules are still loading
        assert process.poll() is None
    os.killpg(process.pid, signal.SIGINT)
    out, err = finished(process)
    assert (process.returncode, out, err) == (130, "", "interrupted by SIGINT\n")


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_no_commit_begins_after_the_signal(
    fraction: float, new_db: Callable[[], str], small_text_corpus: Corpus
) -> None:
    """SIGTERM sent from inside the import, just before its Nth statement (N a fraction of all that an uninterrupted
    import of the same sources into the same kind of database sends): that statement is not sent, and the one
    commit after the signal records the run as interrupted."""
    whole, db_url = new_db(), new_db()
    for url in whole, db_url:
        assert run("db", "upgrade", "--db", url).exit_code == 0
    statements, commits_after = [0], []

    def count(*_: object) -> None:
        statements[0] += 1
        if statements[0] == stop_at:
            os.kill(os.getpid(), signal.SIGTERM)

    def commit(_: object) -> None:
        if statements[0] >= stop_at:
            commits_after.append(statements[0])

    event.listen(Engine, "before_cursor_execute", count)
    event.listen(Engine, "commit", commit)
    try:
        stop_at = 10**9
        assert run("import", small_text_corpus.folder, "--db", whole, "--jobs", "1").exit_code == 0
        stop_at, statements[0] = int(statements[0] * fraction), 0
        interrupted = run("import", small_text_corpus.folder, "--db", db_url, "--jobs", "1")
    finally:
        event.remove(Engine, "before_cursor_execute", count)
        event.remove(Engine, "commit", commit)
    assert interrupted.exit_code == 143, interrupted.output
    (recorded,) = query(db_url, "SELECT status, sources_imported FROM import_runs")
    assert (recorded["status"], len(commits_after)) == ("interrupted", 1)
    assert_whole_sources(db_url, small_text_corpus.reference)


def _driver_error_while_stopping(dbapi: Any) -> NoReturn:
    """What psycopg did when a signal came at the wrong moment (seen in CI): its clean-up raised an error of its
    own (`can't change 'autocommit' now`, `cannot exit pipeline mode while busy`), which replaced the signal."""
    try:
        raise Interrupted(signal.SIGTERM)
    except Interrupted:
        raise dbapi.ProgrammingError("can't change 'autocommit' now: connection in transaction status ACTIVE") from None


def test_a_driver_error_raised_as_a_signal_stopped_a_statement_is_the_signal(db_url: str) -> None:
    engine = make_engine(DatabaseURL.parse(db_url))
    with engine.connect() as conn:
        event.listen(engine, "do_execute", lambda *_: _driver_error_while_stopping(engine.dialect.loaded_dbapi))
        with pytest.raises(Interrupted) as caught:
            conn.execute(text("SELECT 1"))
        assert (caught.value.exit_code, conn.invalidated) == (143, True)  # dropped: its state is unknown
    engine.dispose()


def test_a_driver_error_raised_as_a_signal_stopped_the_pools_check_is_the_signal(server_db_url: str) -> None:
    engine = make_engine(DatabaseURL.parse(server_db_url))
    with engine.connect():
        pass  # a connection in the pool: the next checkout pings it first
    dropped: list[BaseException | None] = []
    event.listen(engine, "invalidate", lambda _connection, _record, error: dropped.append(error))
    engine.dialect.do_ping = lambda _: _driver_error_while_stopping(engine.dialect.loaded_dbapi)  # type: ignore
    with pytest.raises(Interrupted) as caught:
        engine.connect()
    del engine.dialect.do_ping
    assert (dropped, engine.pool.checkedout()) == ([caught.value], 0)  # the pinged connection is not used again
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_the_signal_behind_an_error_is_found_through_causes_and_contexts() -> None:
    signal_error = Interrupted(signal.SIGINT)
    caused = RuntimeError("cleaning up")
    caused.__context__ = signal_error
    wrapped = ValueError("wrapped")
    wrapped.__cause__ = caused
    looped = OSError("a cycle")
    looped.__context__ = looped
    assert [interrupts.hidden_in(error) for error in (signal_error, caused, wrapped, looped, RuntimeError())] == [
        signal_error,
        signal_error,
        signal_error,
        None,
        None,
    ]


@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)  # MySQL's drivers cannot cancel a statement
def test_a_signal_stops_an_import_waiting_for_another_ones_lock_on_postgresql(db_url: str) -> None:
    """A lock another transaction holds keeps the import's statement waiting inside the driver, where no Python runs:
    the signal cancels the statement (blogimport.store.db), and the import stops at once, the lock still held."""
    server_db_url = db_url
    assert run("db", "upgrade", "--db", server_db_url).exit_code == 0
    engine = make_engine(DatabaseURL.parse(server_db_url))
    with engine.connect() as holder, engine.connect() as watcher:
        holder.execute(text("LOCK TABLE import_runs IN ACCESS EXCLUSIVE MODE"))  # where the run's row goes
        process = start_import(SEEDS, "--db", server_db_url)
        _wait_until(lambda: _waiting_for_a_lock(watcher))
        os.killpg(process.pid, signal.SIGINT)
        out, err = finished(process)  # without the cancel: until the lock is let go
        holder.rollback()
    engine.dispose()
    assert (process.returncode, out, err) == (130, "", "interrupted by SIGINT\n")
    assert query(server_db_url, "SELECT count(*) AS n FROM import_runs") == [{"n": 0}]


def test_a_signal_stops_an_import_waiting_for_another_ones_lock_on_sqlite(tmp_path: Path) -> None:
    """SQLite waits for another writer inside the driver too: the import waits in short turns, with a safe point
    between them, and stops at the signal while the lock is still held."""
    db_path = tmp_path / "blog.db"
    assert run("db", "upgrade", "--db", f"sqlite:///{db_path}").exit_code == 0
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer
    process = start_import(SEEDS, "--db", f"sqlite:///{db_path}")
    _wait_until(lambda: _has_open(process.pid, db_path))
    os.killpg(process.pid, signal.SIGINT)
    out, err = finished(process)  # without the turns: SQLite's two minutes
    holder.rollback()
    holder.close()
    assert (process.returncode, out, err) == (130, "", "interrupted by SIGINT\n")


def _waiting_for_a_lock(conn: Any) -> bool:
    """Is a backend of this database waiting for a lock? (a transaction of its own: the view is read once per one)"""
    with conn.begin():
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            ).scalar()
        )


def _has_open(pid: int, path: Path) -> bool:
    with suppress(OSError):
        return any(os.readlink(link) == str(path) for link in Path(f"/proc/{pid}/fd").iterdir())
    return False


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)
