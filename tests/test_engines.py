"""The same content on PostgreSQL and MariaDB as on SQLite (issue 5, point 2): every value, ids aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEEDS, run
from tests.dbdump import natural_dump, query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)


def import_into(url: str, *paths: Path) -> None:
    result = run("import", *paths, "--db", url)
    assert result.exit_code == 0, result.output


def test_seeds_give_the_same_rows_as_on_sqlite(server_db_url: str, tmp_path: Path) -> None:
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    for url in (reference, server_db_url):
        import_into(url, SEEDS)
    assert natural_dump(server_db_url) == natural_dump(reference)
    counts = "SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM comments) AS comments"
    assert query(server_db_url, counts) == query(reference, counts) == [{"posts": 7, "comments": 96}]


def test_every_format_gives_the_same_rows_as_on_sqlite(server_db_url: str, tmp_path: Path) -> None:
    formats = FIXTURES / "formats"
    inputs = [
        formats / "classic-export_wgdd.de_2019.xml",
        formats / "takeout-2018ns_epistemic-forge_excerpt.atom",
        FIXTURES / "takeout-epistemic-forge-missing-thread.atom",
        *sorted(formats.glob("html_*.html")),
        *sorted(FIXTURES.glob("html-*.html")),
        *sorted(FIXTURES.glob("text-*.txt")),
        *sorted(formats.glob("publicfeed-*")),
        *sorted(formats.glob("feedjson*")),
        *sorted(FIXTURES.glob("api-v3-*")),
    ]
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    for url in (reference, server_db_url):
        import_into(url, *inputs)
    dump = natural_dump(server_db_url)
    assert dump == natural_dump(reference)
    # exports, real pages (the comments feeds of their posts add none: the same comments, and lafuite's waits for
    # its post), hand-made pages, text fixtures, API v3
    assert len(dump["comments"]) == 110 + 64 + 9 + 19 + 3
    assert sum(1 for row in dump["comment_references"] if dict(row)["target_comment_id"]) == 3
