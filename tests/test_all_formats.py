"""Every real sample and every seed in one run: nothing crashes, and the run adds up (issue 4, point 6)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES, SEED_FILES, SEEDS, run

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

# Per file: (status, posts, comments). What each one holds is tested on its own elsewhere; here they add up.
EXPECTED = {
    "classic-export_wgdd.de_2019.xml": ("imported", 140, 108),
    "classic-export_google-blog-converters_2008.xml": ("imported", 4, 3),
    "classic-export_pelican-fixture.xml": ("failed", 0, 0),  # not namespace-well-formed: refused with its reason
    "takeout-2018ns_epistemic-forge_excerpt.atom": ("partial", 1, 0),  # its one comment waits for its post
    "html_derpapierplanet.de.juni.html": ("imported", 1, 13),
    "html_luxuryhaven.co.hyatt.html": ("imported", 1, 24),
    "html_abookshelffullofsunshine.blogspot.com.interview.html": ("imported", 1, 2),
    "html_plentylife.blogspot.pamela-reif.html": ("imported", 1, 1),
    "html_bumsbutzener-gumpfen.blogspot.com.tach-auch.html": ("imported", 1, 0),
    "html_readability-blogger-siliconexposed.html": ("imported", 1, 0),
    # A page and its post's comments feed: the page comes first (files are taken in name order); the feed's
    # comments are the page's, which they enrich with Blogger's ids and exact times.
    "html_blackpowderwildflower.com_2020.html": ("imported", 1, 19),
    "html_persomag-theme1.blogspot.com_2015.html": ("imported", 1, 2),
    "html_jorgeelconstructor.blogspot.com_2010.html": ("imported", 1, 3),
    "publicfeed-comments_blackpowderwildflower.com_2020.xml": ("imported", 0, 0),  # its 17 are on the page
    "publicfeed-comments_persomag-theme1.blogspot.com_2016.xml": ("imported", 0, 0),  # its 2 are on the page
    "publicfeed-comments_jorgeelconstructor.blogspot.com_2014.xml": ("imported", 0, 0),  # its 3 too
    "publicfeed-comments_lafuiteautourdumonde.com_2023.xml": ("partial", 0, 0),  # its post is in no file here
    "publicfeed-posts_cornucopia.cornubot.se_2017.xml": ("imported", 25, 0),
    "publicfeed-posts-feedburner_googleadsdeveloper.blogspot.com_2016.xml": ("imported", 25, 0),
    "publicfeed-posts_jorgeelconstructor.blogspot.com_2023.xml": ("imported", 25, 0),
    "publicfeed-posts_lafuiteautourdumonde.com_2024.xml": ("imported", 25, 0),
    "feedjsonp-label_zxce3.blogspot.com_2020.js": ("imported", 5, 0),
    "feedjson-comments-empty_wayyvgh.blogspot.com_2025.json": ("imported", 0, 0),  # a blog without comments
    "SOURCES.md": ("failed", 0, 0),  # the samples' provenance, not a blog page
    **{
        path.name: ("imported", posts, comments)
        for path, posts, comments in zip(SEED_FILES, (1, 1, 1, 1, 3), (23, 32, 22, 19, 0), strict=True)
    },
}


def test_every_sample_and_seed_in_one_run(db_url: str) -> None:
    result = run("import", FIXTURES / "formats", SEEDS, "--db", db_url, "--json")
    summary = json.loads(result.stdout)
    assert result.exit_code == 1  # two files failed, each with a one-line reason, and the rest went in
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 2
    statuses = [status for status, _, _ in EXPECTED.values()]
    assert summary["sources"] == {name: statuses.count(name) for name in ("imported", "unchanged", "partial", "failed")}
    assert summary["entities"]["posts"]["inserted"] == sum(posts for _, posts, _ in EXPECTED.values())
    assert summary["entities"]["comments"]["inserted"] == sum(comments for _, _, comments in EXPECTED.values())
    assert summary["waiting"] == 1 + 16  # Takeout's reply, and the lafuite feed's comments
    assert sorted(f["locator"].rsplit("/", 1)[-1] for f in summary["failures"]) == [
        "SOURCES.md",
        "classic-export_pelican-fixture.xml",
    ]
