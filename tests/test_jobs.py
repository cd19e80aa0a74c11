"""Parsing in worker processes (issue 7): the same rows whatever `--jobs`, a large source streamed from a process
of its own, and a parser that fails there failing its source alone."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from blogimport import formats, workers
from tests.conftest import FIXTURES, SEED_FILES, SEEDS, run
from tests.dbdump import assert_database_sound, natural_dump, query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

FORMATS = FIXTURES / "formats"
WGDD = FORMATS / "classic-export_wgdd.de_2019.xml"
# Every seed and sample that imports: more than FEW_SOURCES, so --jobs 2 starts its pool of workers.
SOURCES = [
    *SEED_FILES,
    *sorted(FIXTURES.glob("text-*.txt")),
    *sorted(FORMATS.glob("html_*.html")),
    WGDD,
    FORMATS / "classic-export_google-blog-converters_2008.xml",
    FORMATS / "takeout-2018ns_epistemic-forge_excerpt.atom",
]


def imported(db_url: str, *args: object) -> dict:
    result = run("import", *args, "--db", db_url, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_enough_sources_for_a_pool() -> None:
    assert len(SOURCES) >= workers.FEW_SOURCES


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., tuple[dict, dict]]:
    """What one process writes into SQLite (--jobs 1): its --json report and natural dump, made once per sources."""
    made: dict[tuple[Path, ...], tuple[dict, dict]] = {}

    def written(*sources: Path) -> tuple[dict, dict]:
        if sources not in made:
            url = f"sqlite:///{tmp_path_factory.mktemp('alone') / 'alone.db'}"
            made[sources] = imported(url, *sources, "--jobs", "1"), natural_dump(url)
        return made[sources]

    return written


def test_workers_write_what_one_process_writes(db_url: str, alone: Callable[..., tuple[dict, dict]]) -> None:
    report, dump = alone(*SOURCES)
    assert imported(db_url, *SOURCES, "--jobs", "2")["entities"] == report["entities"]
    assert natural_dump(db_url) == dump
    # The Takeout excerpt holds a reply without its thread: partial, so tried again; the rest is unchanged.
    assert imported(db_url, *SOURCES, "--jobs", "2")["sources"] == {
        "imported": 0,
        "unchanged": len(SOURCES) - 1,
        "partial": 1,
        "failed": 0,
    }


def test_a_large_source_streams_from_its_own_process(
    monkeypatch: pytest.MonkeyPatch, db_url: str, alone: Callable[..., tuple[dict, dict]]
) -> None:
    _, dump = alone(WGDD, SEEDS)
    monkeypatch.setattr(workers, "SMALL_BYTES", 64 * 1024)  # the export (1 MB) is large now, the seeds are not
    report = imported(db_url, WGDD, SEEDS, "--jobs", "2")
    assert report["sources"]["imported"] == 6
    assert natural_dump(db_url) == dump


def test_a_parser_failing_in_its_own_process_fails_its_source_alone(
    monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.xml"
    data = WGDD.read_bytes()
    broken.write_bytes(data[: len(data) * 2 // 3])  # cut off: well-formed for two thirds of its entries
    monkeypatch.setattr(workers, "SMALL_BYTES", 64 * 1024)
    result = run("import", broken, SEEDS, "--db", db_url, "--jobs", "2")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {broken}:") and "not well-formed XML" in line
    assert query(db_url, "SELECT count(*) AS n FROM posts") == [{"n": 7}]  # the seeds', none of the export's
    assert query(db_url, "SELECT status FROM sources WHERE locator = ?", str(broken)) == [{"status": "failed"}]
    assert_database_sound(db_url)


def test_one_large_source_is_parsed_by_the_writer_whatever_the_jobs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, alone: Callable[..., tuple[dict, dict]]
) -> None:
    """A process of its own would only send the entries across (issue 17): with another source it gets one."""
    _, dump = alone(WGDD)
    parsers = tmp_path / "parsers"
    real_parse = formats.parse

    def noted(*args: Any, **kwargs: Any) -> Any:
        with parsers.open("a") as out:  # a file: a forked parser's own memory would not tell
            out.write(f"{os.getpid()}\n")
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(formats, "parse", noted)
    monkeypatch.setattr(workers, "SMALL_BYTES", 64 * 1024)  # the export (1 MB) is large
    url = f"sqlite:///{tmp_path / 'one.db'}"
    assert imported(url, WGDD, "--jobs", "2")["sources"]["imported"] == 1
    assert parsers.read_text().split() == [str(os.getpid())]
    assert natural_dump(url) == dump
    parsers.unlink()
    imported(f"sqlite:///{tmp_path / 'two.db'}", WGDD, SEEDS / "003_98f9d70e718b516f.txt", "--jobs", "2")
    assert str(os.getpid()) not in parsers.read_text().split()[:1]  # the export, first, in a process of its own
