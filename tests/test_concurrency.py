"""Imports running at the same time on one database (issue 5, point 4): no duplicate, no failure, and the same
rows as one import after another. Real processes, on every engine, starting on an empty database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, SEED_FILES, run
from tests.dbdump import assert_database_sound, natural_dump, query

BLOGIMPORT = str(Path(sys.executable).with_name("blogimport"))
FORMATS = FIXTURES / "formats"
# The seeds and every sample that imports (the pelican fixture and SOURCES.md do not: they fail, by design).
SOURCES = [
    *SEED_FILES,
    FORMATS / "classic-export_wgdd.de_2019.xml",
    FORMATS / "classic-export_google-blog-converters_2008.xml",
    FORMATS / "takeout-2018ns_epistemic-forge_excerpt.atom",
    *sorted(FORMATS.glob("html_*.html")),
]
PROCESSES = 4


@pytest.fixture(scope="module")
def one_import(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one import of SOURCES, into a SQLite file: what four imports at once must end as on every engine
    (an import gives the same natural rows on every engine: tests/test_engines.py)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('one_import') / 'blog.db'}"
    assert run("import", *SOURCES, "--db", url).exit_code == 0
    return natural_dump(url)


def test_four_imports_at_once_end_as_one_import(db_url: str, one_import: dict[str, list[tuple[Any, ...]]]) -> None:
    step = len(SOURCES) // PROCESSES
    orders = [SOURCES[k * step :] + SOURCES[: k * step] for k in range(PROCESSES)]  # the same files, in turn
    processes = [
        subprocess.Popen(
            [BLOGIMPORT, "import", *map(str, order), "--db", db_url, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order in orders
    ]
    results = [(p.wait(timeout=600), *p.communicate()) for p in processes]

    for code, out, err in results:
        assert code == 0, err
        assert json.loads(out)["sources"]["failed"] == 0
    assert natural_dump(db_url) == one_import
    assert query(db_url, "SELECT count(*) AS n FROM import_runs") == [{"n": PROCESSES}]
    assert_database_sound(db_url)
