"""Crash safety (issue 8, point 3): an import killed outright (SIGKILL: no handler runs, no rollback is sent) at ten
random moments, chosen from its observed progress (K sources committed, K drawn from those left), never from the
seconds since it started: under load the first commit comes late. After each kill the database is sound and holds
whole sources only; the import run again after the last one reaches exactly the database an uninterrupted import
gives. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from tests.conftest import Corpus, run
from tests.dbdump import assert_whole_sources, natural_dump, query
from tests.processes import COMMIT_EVERY, start_import, wait_for_sources, wait_until_gone

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

KILLS = 10


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"], indirect=True)
def test_an_import_killed_ten_times_leaves_whole_sources_and_ends_as_one_import(
    db_url: str,
    text_corpus: Corpus,
) -> None:
    assert run("db", "upgrade", "--db", db_url).exit_code == 0  # a kill during schema creation is another story
    moments = random.Random(3)
    committed = []
    for _ in range(KILLS):
        done = query(db_url, "SELECT count(*) AS n FROM sources")[0]["n"]
        target = done + moments.randint(0, (text_corpus.files - done) // 2)  # sources committed: 0 is start-up
        process = start_import(text_corpus.folder, "--db", db_url, "--jobs", "2")
        wait_for_sources(process, db_url, at_least=target)
        time.sleep(moments.uniform(0, COMMIT_EVERY))  # in the batch after them: every moment is a valid one
        os.killpg(process.pid, signal.SIGKILL)  # the writer and its parsing workers, at once
        process.communicate()
        wait_until_gone(process.pid)
        assert_whole_sources(db_url, text_corpus.reference, frozenset({"imported", "unchanged"}))
        committed.append(query(db_url, "SELECT count(*) AS n FROM sources")[0]["n"])
    assert committed == sorted(committed) and any(0 < n < text_corpus.files for n in committed), committed
    again = run("import", text_corpus.folder, "--db", db_url)
    assert again.exit_code == 0, again.output
    assert natural_dump(db_url) == text_corpus.reference
