"""Imports running at the same time on one database (issue 5, point 4): no duplicate, no failure, and the same
rows as one import after another. Real processes, on every engine, starting on an empty database."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

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


def test_four_imports_at_once_end_as_one_import(db_url: str, new_db: Callable[[], str]) -> None:
    sequential = new_db()
    assert run("import", *SOURCES, "--db", sequential).exit_code == 0
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
    assert natural_dump(db_url) == natural_dump(sequential)
    assert query(db_url, "SELECT count(*) AS n FROM import_runs") == [{"n": PROCESSES}]
    assert_database_sound(db_url)
