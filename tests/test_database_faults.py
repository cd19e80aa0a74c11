"""The database failing (issue 8, point 5): a read-only file, a full disk, a server that refuses connections, a server
that goes away mid-run. Each gives one clear line and exit code 1, leaves no source half-imported, and the next run
completes the job."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from blogimport.store import DatabaseURL
from blogimport.store.runs import LEASE_ENV_VAR
from tests.conftest import SEED_FILES, SEEDS, Corpus, run, scratch_database, server_admin_url
from tests.dbdump import assert_whole_sources, natural_dump, query, raw_dump
from tests.processes import (
    BLOGIMPORT,
    as_mode_says,
    finished,
    start_import,
    wait_for_sources,
    wait_for_state,
    wait_until_gone,
)
from tests.tcpproxy import Proxy

LEFT = r"\((\d+) of (\d+) sources left; run the same import again to finish\)"


def test_a_read_only_database_file_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    database = tmp_path / "blog.db"
    url = f"sqlite:///{database}"
    assert run("import", SEED_FILES[0], "--db", url).exit_code == 0
    before = raw_dump(url)
    database.chmod(0o444)
    refused = subprocess.run(
        as_mode_says([BLOGIMPORT, "import", str(SEEDS), "--db", url]), capture_output=True, text=True, timeout=120
    )
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == f"Error: cannot write to {url}: attempt to write a readonly database\n"
    assert raw_dump(url) == before

    database.chmod(0o644)
    again = run("import", SEEDS, "--db", url)
    assert again.exit_code == 0
    assert again.stdout.startswith("5 sources: 4 imported, 1 unchanged, 0 failed; ")
    seeds = f"sqlite:///{tmp_path / 'seeds.db'}"
    assert run("import", SEEDS, "--db", seeds).exit_code == 0
    assert natural_dump(url) == natural_dump(seeds)


@contextmanager
def sqlite_room(pages: int) -> Iterator[None]:
    """Every SQLite connection opened meanwhile may grow its file to `pages` pages, as a disk with that much room
    left would allow. SQLite keeps max_page_count per connection, never in the file: so it is set as each opens."""

    def limit(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Engine, "connect", limit)
    try:
        yield
    finally:
        event.remove(Engine, "connect", limit)


def pages(url: str) -> int:
    return int(query(url, "SELECT page_count AS n FROM pragma_page_count()")[0]["n"])


def test_a_full_disk_stops_the_import_and_the_next_run_completes_it(tmp_path: Path, text_corpus: Corpus) -> None:
    url = f"sqlite:///{tmp_path / 'blog.db'}"
    assert run("db", "upgrade", "--db", url).exit_code == 0
    empty, whole = pages(url), pages(text_corpus.reference_url)
    with sqlite_room(empty + (whole - empty) * 3 // 4):  # room for about three quarters of the corpus
        full = run("import", text_corpus.folder, "--db", url)
    assert full.exit_code == 1
    (line,) = full.stderr.splitlines()
    match = re.fullmatch(rf"Error: database error: database or disk is full {LEFT}", line)
    assert match, line
    done = text_corpus.files - int(match[1])
    assert full.stdout.startswith(f"{done} of {text_corpus.files} sources: {done} imported, 0 unchanged, 0 failed;")
    assert query(url, "SELECT status, sources_imported FROM import_runs") == [
        {"status": "failed", "sources_imported": done}
    ]
    assert_whole_sources(url, text_corpus.reference)

    again = run("import", text_corpus.folder, "--db", url)
    assert again.exit_code == 0
    assert again.stdout.startswith(
        f"{text_corpus.files} sources: {text_corpus.files - done} imported, {done} unchanged, 0 failed; "
    )
    assert natural_dump(url) == text_corpus.reference


@pytest.fixture(params=["postgresql", "mysql"])
def server_behind_proxy(request: pytest.FixtureRequest) -> Iterator[tuple[str, Proxy]]:
    """A fresh database on a real server, and a proxy to it (down until the test brings it up)."""
    with scratch_database(server_admin_url(request.param)) as url, Proxy(url) as proxy:
        yield url, proxy


def test_a_server_that_refuses_connections_is_named_in_one_line(server_behind_proxy: tuple[str, Proxy]) -> None:
    _, proxy = server_behind_proxy
    refused = run("import", SEEDS, "--db", proxy.url)
    assert (refused.exit_code, refused.stdout) == (1, "")
    (line,) = refused.stderr.splitlines()
    assert line.startswith(f"Error: cannot open {DatabaseURL.parse(proxy.url)}: ") and "refused" in line, line

    proxy.up()
    assert run("import", SEEDS, "--db", proxy.url).stdout.startswith("5 sources: 5 imported, 0 unchanged, 0 failed; ")


def test_a_server_gone_mid_run_stops_the_import_and_the_next_run_completes_it(
    server_behind_proxy: tuple[str, Proxy],
    text_corpus: Corpus,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, proxy = server_behind_proxy
    proxy.up()
    assert run("db", "upgrade", "--db", proxy.url).exit_code == 0
    with monkeypatch.context() as patch:
        patch.setenv(LEASE_ENV_VAR, "1")  # abandoned a second after its last heartbeat, not three minutes
        process = start_import(text_corpus.folder, "--db", proxy.url)
    wait_for_sources(process, url)  # looking past the proxy
    proxy.cut()  # every connection dropped, new ones refused: the server went down
    out, err = finished(process)
    wait_until_gone(process.pid)
    assert process.returncode == 1, err
    assert err.count("\n") == 1, err  # one line, no traceback
    line = err.rstrip("\n")
    match = re.fullmatch(rf"Error: database error: .+ {LEFT}", line)
    assert match, line
    done = text_corpus.files - int(match[1])
    assert out.startswith(f"{done} of {text_corpus.files} sources: {done} imported, 0 unchanged, 0 failed;")
    # What the import reports as done is committed. A batch may be committed and not reported: when the cut takes
    # the server's answer to COMMIT, the server has the batch and the import cannot know (the next run finds it).
    committed = query(url, "SELECT count(*) AS n FROM sources")[0]["n"]
    assert done <= committed and committed >= 1, (done, committed)
    assert query(url, "SELECT status FROM import_runs") == [{"status": "running"}]  # the server was not there to hear
    wait_for_state(url, 1, "abandoned")  # ...but the run is shown for what it is once its lease has passed
    (left,) = query(url, "SELECT started_at, heartbeat_at FROM import_runs")
    assert run("runs", "--db", url).stdout == (
        f"1\t{left['started_at'][:19]}\t-\tabandoned\tlast heartbeat {left['heartbeat_at'][:19]}\n"
    )
    assert_whole_sources(url, text_corpus.reference)

    proxy.up()  # the server is back
    again = run("import", text_corpus.folder, "--db", proxy.url)
    assert again.exit_code == 0
    assert again.stdout.startswith(
        f"{text_corpus.files} sources: {text_corpus.files - committed} imported, {committed} unchanged, 0 failed; "
    )
    assert natural_dump(url) == text_corpus.reference
