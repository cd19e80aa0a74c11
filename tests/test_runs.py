"""Runs that cannot stay `running` forever (issue 13, point 6): a run beats as it commits, and one that stopped
without saying so (killed, or cut off from its database: see also tests/test_database_faults.py) is shown
abandoned once its lease has passed, by `blogimport runs` and the view run_summary, while a live import beside it
is shown running.

Leases are shortened for the imports that are killed with $BLOGIMPORT_RUN_LEASE_SECONDS, rather than by ageing their
rows with an UPDATE: the row a test reads is then the one the killed process wrote, and what makes it abandoned is
time passing, as in use; only the length of the lease differs, and the reading side (the view) is the same.
"""

from __future__ import annotations

import json
import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData

from blogimport import workers
from blogimport.store.runs import LEASE_ENV_VAR
from tests.conftest import FIXTURES, SEED_FILES, SEEDS, Corpus, run
from tests.dbdump import connect, query
from tests.processes import start_import, wait_for_rows, wait_for_sources, wait_for_state, wait_until_gone
from tests.test_import_seeds import SEED_ENTITIES

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

WGDD = FIXTURES / "formats" / "classic-export_wgdd.de_2019.xml"  # 1,069,265 bytes
SEEDS_LINE = (
    "5 sources: 5 imported, 0 unchanged, 0 failed; new: blogs 1, authors 1, labels 1, posts 7, "
    "post_labels 3, comments 96, comment_references 13; updated: none"
)


def moments(url: str) -> dict[int, dict[str, str]]:
    """Each run's times as `blogimport runs` prints them (to the second), read from the table."""
    rows = query(url, "SELECT id, started_at, finished_at, heartbeat_at FROM import_runs")
    return {
        row["id"]: {name: (row[name] or "-")[:19] for name in ("started_at", "finished_at", "heartbeat_at")}
        for row in rows
    }


def runs_lines(url: str, *args: str) -> list[str]:
    result = run("runs", "--db", url, *args)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout.splitlines()


def test_runs_lists_the_recent_runs_newest_first(db_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert run("import", SEEDS, "--db", db_url).exit_code == 0
    assert run("import", SEEDS, "--db", db_url).exit_code == 0
    assert run("import", empty, "--db", db_url).exit_code == 1
    at = moments(db_url)
    assert runs_lines(db_url) == [
        f"3\t{at[3]['started_at']}\t{at[3]['finished_at']}\tfailed\t1 sources: 0 imported, 0 unchanged, 1 failed; "
        "new: none; updated: none",
        f"2\t{at[2]['started_at']}\t{at[2]['finished_at']}\tsucceeded\t5 sources: 0 imported, 5 unchanged, 0 failed; "
        "new: none; updated: none",
        f"1\t{at[1]['started_at']}\t{at[1]['finished_at']}\tsucceeded\t{SEEDS_LINE}",
    ]
    assert runs_lines(db_url, "--limit", "1") == runs_lines(db_url)[:1]
    # The lease is three minutes from a heartbeat (README and the column descriptions say so).
    (row,) = query(db_url, "SELECT heartbeat_at, lease_until FROM import_runs WHERE id = 1")
    assert datetime.fromisoformat(row["lease_until"]) - datetime.fromisoformat(row["heartbeat_at"]) == timedelta(
        minutes=3
    )


def test_runs_as_json(seeded: str) -> None:
    (row,) = query(seeded, "SELECT started_at, finished_at, heartbeat_at FROM import_runs")
    iso = {name: value.replace(" ", "T") + "+00:00" for name, value in row.items()}
    result = run("runs", "--db", seeded, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "runs": [
            {
                "id": 1,
                **iso,
                "status": "succeeded",
                "state": "succeeded",
                "sources": {"imported": 5, "unchanged": 0, "partial": 0, "failed": 0},
                "entities": SEED_ENTITIES,
            }
        ]
    }


def test_the_view_tells_a_run_past_its_lease_on_every_engine(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows as runs left them: one beat a minute ago with its lease a minute ahead, one whose lease ran out a minute
    ago. The view compares with the database's clock in UTC, whatever the session's time zone says."""
    assert run("db", "upgrade", "--db", db_url).exit_code == 0
    monkeypatch.setenv("PGTZ", "Pacific/Kiritimati")  # UTC+14: a comparison in local time would get both wrong
    now = datetime.now(UTC).replace(tzinfo=None)
    minute = timedelta(minutes=1)
    run_row = {
        "started_at": now - 3 * minute,
        "finished_at": None,
        "status": "running",
        "sources_imported": 0,
        "sources_unchanged": 0,
        "sources_partial": 0,
        "sources_failed": 0,
    }
    engine = connect(db_url)
    tables = MetaData()
    tables.reflect(engine, only=["import_runs"])
    with engine.begin() as conn:
        conn.execute(
            tables.tables["import_runs"].insert(),
            [
                {**run_row, "heartbeat_at": now - minute, "lease_until": now + minute},
                {**run_row, "heartbeat_at": now - 2 * minute, "lease_until": now - minute},
                {
                    **run_row,
                    "status": "interrupted",
                    "finished_at": now - 2 * minute,
                    "heartbeat_at": now - 2 * minute,
                    "lease_until": now - minute,
                },
            ],
        )
    engine.dispose()
    assert query(db_url, "SELECT run_id, status, state FROM run_summary ORDER BY run_id") == [
        {"run_id": 1, "status": "running", "state": "running"},
        {"run_id": 2, "status": "running", "state": "abandoned"},
        {"run_id": 3, "status": "interrupted", "state": "interrupted"},
    ]
    at = moments(db_url)
    assert runs_lines(db_url) == [
        f"3\t{at[3]['started_at']}\t{at[3]['finished_at']}\tinterrupted\t0 sources: 0 imported, 0 unchanged, "
        "0 failed; new: none; updated: none",
        f"2\t{at[2]['started_at']}\t-\tabandoned\tlast heartbeat {at[2]['heartbeat_at']}",
        f"1\t{at[1]['started_at']}\t-\trunning\tlast heartbeat {at[1]['heartbeat_at']}",
    ]


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"], indirect=True)
def test_a_killed_import_is_abandoned_while_a_live_one_runs(
    db_url: str,
    text_corpus: Corpus,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run("db", "upgrade", "--db", db_url).exit_code == 0
    with monkeypatch.context() as patch:
        patch.setenv(LEASE_ENV_VAR, "1")  # a heartbeat at every commit, and abandoned a second after the last
        killed = start_import(text_corpus.folder, "--db", db_url)
    wait_for_sources(killed, db_url)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.communicate()
    wait_until_gone(killed.pid)
    committed = query(db_url, "SELECT count(*) AS n FROM sources")[0]["n"]
    (left,) = query(db_url, "SELECT * FROM import_runs")
    assert (left["status"], left["finished_at"]) == ("running", None)  # nothing was left to record its end
    assert left["heartbeat_at"] > left["started_at"]  # it beat as it committed
    wait_for_state(db_url, 1, "abandoned")

    # A live import beside it, held before its first source: a pipe no one has written to yet (held open for
    # reading and writing here, so that opening it blocks nobody), listed first.
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    held = os.open(pipe, os.O_RDWR)
    try:
        os.write(held, b"Sund")  # what discovery reads to tell a zip; the import's own read then waits
        live = start_import(pipe, text_corpus.folder, "--db", db_url)
        wait_for_rows(live, db_url, "import_runs", 2)
        at = moments(db_url)
        assert runs_lines(db_url) == [
            f"2\t{at[2]['started_at']}\t-\trunning\tlast heartbeat {at[2]['heartbeat_at']}",
            f"1\t{at[1]['started_at']}\t-\tabandoned\tlast heartbeat {at[1]['heartbeat_at']}",
        ]
        os.write(held, SEED_FILES[0].read_bytes())
    finally:
        os.close(held)
    _, err = live.communicate(timeout=300)
    assert (live.returncode, err) == (0, ""), err
    assert query(db_url, "SELECT * FROM import_runs WHERE id = 1") == [left]  # the live import left it alone
    lines = runs_lines(db_url)
    at = moments(db_url)
    done = text_corpus.files + 1
    assert lines[0].startswith(
        f"2\t{at[2]['started_at']}\t{at[2]['finished_at']}\tsucceeded\t{done} sources: "
        f"{done - committed} imported, {committed} unchanged, 0 failed; new: "
    )
    assert lines[1:] == [f"1\t{at[1]['started_at']}\t-\tabandoned\tlast heartbeat {at[1]['heartbeat_at']}"]


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"], indirect=True)
def test_a_large_source_extends_the_lease_before_its_transaction(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a transaction writes is seen before it ends: the lease is extended first, for the source's size at
    256 KB/s (1,069,265 bytes: 4.078922 s). With an hour's lease no other heartbeat is due in this run."""
    monkeypatch.setattr(workers, "SMALL_BYTES", 64 * 1024)  # the export is large now: a transaction of its own
    monkeypatch.setenv(LEASE_ENV_VAR, "3600")
    assert run("import", WGDD, "--db", db_url).exit_code == 0
    (row,) = query(db_url, "SELECT started_at, heartbeat_at, lease_until FROM import_runs")
    started, beat, lease = (datetime.fromisoformat(row[name]) for name in ("started_at", "heartbeat_at", "lease_until"))
    assert beat > started
    assert lease - beat == timedelta(seconds=3604, microseconds=78922)


@pytest.mark.parametrize("value", ["0", "-5", "soon", "nan"])
def test_a_lease_that_is_no_number_of_seconds_is_refused_in_one_line(
    value: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(LEASE_ENV_VAR, value)
    url = f"sqlite:///{tmp_path / 'blog.db'}"
    result = run("import", SEEDS, "--db", url)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {LEASE_ENV_VAR} must be a number of seconds above 0, not {value!r}\n"
    assert query(url, "SELECT count(*) AS n FROM import_runs") == [{"n": 0}]
