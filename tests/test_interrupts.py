"""Ctrl-C and SIGTERM during an import (issue 8, point 4): the source in progress is rolled back, the summary so far
is printed, the run is recorded as interrupted, the exit code is 130 or 143, the parsing workers are gone, and the
next run completes the job. Real processes, on every engine."""

from __future__ import annotations

import json
import os
import signal
from typing import Any, NoReturn

import pytest
from sqlalchemy import event, text

from importer import interrupts
from importer.db import make_engine
from importer.interrupts import Interrupted
from tests.conftest import Corpus, run
from tests.dbdump import assert_whole_sources, natural_dump, query
from tests.processes import group, start_import, wait_for_sources, wait_until_gone


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_import_leaves_whole_sources_and_the_next_completes_it(
    how: str, db_url: str, text_corpus: Corpus,
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
    out, err = process.communicate(timeout=60)
    wait_until_gone(process.pid)

    name, code = ("SIGINT", 130) if how == "ctrl-c" else ("SIGTERM", 143)
    (runs,) = query(db_url, "SELECT status, sources_imported, finished_at FROM import_runs")
    done = runs["sources_imported"]
    assert (process.returncode, runs["status"]) == (code, "interrupted"), err
    assert 0 < done < text_corpus.files and runs["finished_at"] is not None
    left = text_corpus.files - done
    assert err == f"interrupted by {name}: {left} of {text_corpus.files} sources left; run the same import " \
                  "again to finish\n"
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


def test_a_signal_during_a_commit_waits_for_it_and_a_second_one_does_not() -> None:
    steps = []
    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # as Python starts, in the foreground
    try:
        with interrupts.raised():
            with pytest.raises(Interrupted) as first:
                with interrupts.held():
                    os.kill(os.getpid(), signal.SIGTERM)
                    steps.append("committed")
            assert (steps, first.value.exit_code) == (["committed"], 143)
            with pytest.raises(Interrupted) as second:
                with interrupts.held():
                    os.kill(os.getpid(), signal.SIGINT)
                    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C again: no more waiting
                    steps.append("never")
            assert (steps, second.value.exit_code) == (["committed"], 130)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # as it was
    finally:
        signal.signal(signal.SIGINT, before)


def test_a_signal_ignored_when_the_import_starts_stays_ignored() -> None:
    """A job started in the background (`blogimport import ... &`) ignores the terminal's Ctrl-C, as Python does."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupts.raised():
            handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)  # nothing happens
        assert handlers == (signal.SIG_IGN, interrupts._on_signal)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def _driver_error_while_stopping(dbapi: Any) -> NoReturn:
    """What psycopg did when a signal came at the wrong moment (seen in CI): its clean-up raised an error of its
    own (`can't change 'autocommit' now`, `cannot exit pipeline mode while busy`), which replaced the signal."""
    try:
        raise Interrupted(signal.SIGTERM)
    except Interrupted:
        raise dbapi.ProgrammingError("can't change 'autocommit' now: connection in transaction status ACTIVE") \
            from None


def test_a_driver_error_raised_as_a_signal_stopped_a_statement_is_the_signal(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        event.listen(engine, "do_execute", lambda *_: _driver_error_while_stopping(engine.dialect.loaded_dbapi))
        with pytest.raises(Interrupted) as caught:
            conn.execute(text("SELECT 1"))
        assert (caught.value.exit_code, conn.invalidated) == (143, True)  # dropped: its state is unknown
    engine.dispose()


def test_a_driver_error_raised_as_a_signal_stopped_the_pools_check_is_the_signal(server_db_url: str) -> None:
    engine = make_engine(server_db_url)
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
    assert [interrupts.hidden_in(error) for error in (signal_error, caused, wrapped, looped, RuntimeError())] == \
        [signal_error, signal_error, signal_error, None, None]
