"""The benchmark script (issue 7) runs end to end and reports what it promises. Its figures are not checked here:
speed is measured by running it, never by a timed test."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, server_admin_url

KEYS = {
    "format",
    "engine",
    "comments",
    "seconds",
    "rate",
    "floor_rate",
    "ratio",
    "noop_fraction",
    "changed_fraction",
    "peak_rss_mb",
    "jobs",
    "parse_seconds",
    "insert_seconds",
    "download_seconds",  # web only (else null): every response fetched again with the import's client
    "requests",  # web only: what the import asked the server
    "lxml_parse_seconds",
    "lxml_ratio",
}
POSTS = 4


def bench(*args: str, startup_times: int = 0) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.perf.bench",
            "--posts",
            str(POSTS),
            "--json",
            f"--startup-times={startup_times}",
            *args,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    table, report = done.stdout.strip().splitlines()[:-1], json.loads(done.stdout.strip().splitlines()[-1])
    assert table[0].split()[:3] == ["format", "engine", "jobs"]
    if startup_times:
        assert re.fullmatch(
            rf"start-up, median of {startup_times}: `blogimport --version` \d\.\d{{3}} s, "
            r"no-op import of 1 source \d\.\d{3} s",
            table.pop(),
        )
        assert sorted(report["startup"]) == ["noop_seconds", "times", "version_seconds"]
        assert report["startup"]["times"] == startup_times
    else:
        assert report["startup"] is None
    assert len(table) == 1 + len(report["results"])
    return report


def test_every_format_is_measured_with_its_floors() -> None:
    report = bench("--db", "sqlite", "--jobs", "2", startup_times=1)
    assert report["size"] == f"{POSTS} posts"
    results = report["results"]
    assert [(r["format"], r["engine"], r["jobs"]) for r in results] == [
        ("text", "sqlite", 2),
        ("html", "sqlite", 2),
        ("html", "sqlite", 1),
        ("atom", "sqlite", 2),
        ("atom", "sqlite", 1),
    ]
    comments = {r["comments"] for r in results}
    assert len(comments) == 1 and comments.pop() > 0  # every form of the blog holds the same comments
    for r in results:
        assert_consistent(r)
    measured = [(r["format"], r["noop_fraction"] is not None, r["changed_fraction"] is not None) for r in results]
    assert measured == [
        ("text", True, True),
        ("html", True, True),
        ("html", False, False),
        ("atom", True, False),
        ("atom", False, False),
    ]


def test_postgresql_floors_come_from_copy() -> None:
    report = bench("--db", server_admin_url("postgresql"), "--format", "text", "--jobs", "2")
    (result,) = report["results"]
    assert (result["format"], result["engine"]) == ("text", "postgresql")
    assert_consistent(result)


def test_a_live_blog_is_measured_against_downloading_it_and_the_import_floor() -> None:
    report = bench("--db", "sqlite", "--format", "web", "--jobs", "2")
    (result,) = report["results"]
    assert (result["format"], result["engine"], result["jobs"]) == ("web", "sqlite", 2)
    assert result["requests"] == 3  # a blog of 4 posts: one page each of posts, pages and comments
    assert result["download_seconds"] > 0
    assert (result["noop_fraction"] is not None, result["changed_fraction"]) == (True, None)
    assert_consistent(result)


def assert_consistent(r: dict) -> None:
    assert set(r) == KEYS
    # Rates are rounded to whole comments a second, ratios to 3 places and times to 4: each figure is checked
    # against the times it comes from, not against other rounded figures (a rate of 9 is 5% off by rounding alone).
    floor_seconds = r["parse_seconds"] + r["insert_seconds"] + (r["download_seconds"] or 0)
    assert r["rate"] == pytest.approx(r["comments"] / r["seconds"], abs=0.5 + 0.01 * r["rate"])
    assert r["floor_rate"] == pytest.approx(r["comments"] / floor_seconds, abs=0.5 + 0.01 * r["floor_rate"])
    assert r["ratio"] == pytest.approx(floor_seconds / r["seconds"], abs=1e-3)  # 3 places, from unrounded times
    assert r["peak_rss_mb"] > 20
    if r["format"] != "html":  # the lxml.html floor is the html format's alone (issue 17)
        assert (r["lxml_parse_seconds"], r["lxml_ratio"]) == (None, None)
        return
    lxml_floor = r["lxml_parse_seconds"] + r["insert_seconds"]
    assert r["lxml_parse_seconds"] > 0
    assert r["lxml_ratio"] == pytest.approx(lxml_floor / r["seconds"], abs=2e-3)  # both times rounded to 4 places


def test_a_given_corpus_is_reported_at_the_size_its_manifest_gives(tmp_path: Path) -> None:
    from tests.perf.bench import _arguments, _size
    from tests.perf.corpus import generate

    generate(tmp_path / "corpus", size="S", seed=3, posts=2, formats=["text"])
    assert _size(_arguments(["--corpus", str(tmp_path / "corpus")])) == "2 posts"
    assert _size(_arguments(["--corpus", str(tmp_path)])) == "unknown"
    assert _size(_arguments(["--size", "M"])) == "M"
