"""Issue 16, point 7: every real file the project holds, imported alone on every engine, gives the posts, comments,
replies and labels it has. Adding a real sample is one line in SAMPLES (and the file, with its provenance).

The figures are not blogimport's: for tests/fixtures/formats they are the rows of its SOURCES.md (made with lxml
and BeautifulSoup), or, where SOURCES.md gives none, counted the same way and checked by reading the file: posts and
pages are entries of kind post and page (HTML: the page's post), comments entries of kind comment (HTML: li.comment
with a c<ID> id), replies comments with a rel=related link (HTML: an li.comment inside another), labels distinct
category terms of Blogger's label scheme (HTML: the post's a[rel=tag]). For seeds/ they are the numbered items of
each file ("  K." a comment, "    K." a reply, less the items typed inside comments: seed 000's comment 18 lists
three) and its "Showing posts with label" line.

A post's comments feed alone holds no post: its comments wait for it (partial, no comment stored yet); their
counts are asserted with their posts in tests/test_feed_files.py and tests/test_feed_merge.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, run
from tests.dbdump import query

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

# Path under tests/fixtures/formats or the repository's seeds/: (status, posts, comments, replies, labels).
SAMPLES: dict[str, tuple[str, int, int, int, int]] = {
    # 129 posts and 11 pages; "305 entries, 108 comments, 28 replies" (SOURCES.md); 95 labels.
    "formats/classic-export_wgdd.de_2019.xml": ("imported", 140, 108, 28, 95),
    "formats/classic-export_google-blog-converters_2008.xml": ("imported", 4, 3, 0, 4),
    "formats/classic-export_pelican-fixture.xml": ("failed", 0, 0, 0, 0),  # not namespace-well-formed
    # Its one comment answers a comment it does not hold: it waits, and the source is partial.
    "formats/takeout-2018ns_epistemic-forge_excerpt.atom": ("partial", 1, 0, 0, 3),
    "formats/html_abookshelffullofsunshine.blogspot.com.interview.html": ("imported", 1, 2, 1, 6),
    "formats/html_blackpowderwildflower.com_2020.html": ("imported", 1, 19, 9, 6),
    "formats/html_bumsbutzener-gumpfen.blogspot.com.tach-auch.html": ("imported", 1, 0, 0, 0),
    "formats/html_derpapierplanet.de.juni.html": ("imported", 1, 13, 9, 2),
    "formats/html_jorgeelconstructor.blogspot.com_2010.html": ("imported", 1, 3, 0, 0),
    "formats/html_luxuryhaven.co.hyatt.html": ("imported", 1, 24, 0, 3),
    # SOURCES.md counts `.post-labels a` (0); the post's one label link is in its header.
    "formats/html_persomag-theme1.blogspot.com_2015.html": ("imported", 1, 2, 1, 1),
    "formats/html_plentylife.blogspot.pamela-reif.html": ("imported", 1, 1, 0, 8),
    "formats/html_readability-blogger-siliconexposed.html": ("imported", 1, 0, 0, 2),
    "formats/publicfeed-posts_cornucopia.cornubot.se_2017.xml": ("imported", 25, 0, 0, 80),
    "formats/publicfeed-posts-feedburner_googleadsdeveloper.blogspot.com_2016.xml": ("imported", 25, 0, 0, 31),
    "formats/publicfeed-posts_jorgeelconstructor.blogspot.com_2023.xml": ("imported", 25, 0, 0, 1),
    "formats/publicfeed-posts_lafuiteautourdumonde.com_2024.xml": ("imported", 25, 0, 0, 19),
    "formats/publicfeed-comments_blackpowderwildflower.com_2020.xml": ("partial", 0, 0, 0, 0),  # 17 wait
    "formats/publicfeed-comments_jorgeelconstructor.blogspot.com_2014.xml": ("partial", 0, 0, 0, 0),  # 3 wait
    "formats/publicfeed-comments_lafuiteautourdumonde.com_2023.xml": ("partial", 0, 0, 0, 0),  # 16 wait
    "formats/publicfeed-comments_persomag-theme1.blogspot.com_2016.xml": ("partial", 0, 0, 0, 0),  # 2 wait
    "formats/feedjsonp-label_zxce3.blogspot.com_2020.js": ("imported", 5, 0, 0, 4),  # a short feed: no bodies
    "formats/feedjson-comments-empty_wayyvgh.blogspot.com_2025.json": ("imported", 0, 0, 0, 0),
    "seeds/000_39bd42de49eff3be.txt": ("imported", 1, 23, 4, 0),
    "seeds/001_15a94c804d3a0ae1.txt": ("imported", 1, 32, 18, 0),
    "seeds/002_dacaa8da64c944ec.txt": ("imported", 1, 22, 10, 0),
    "seeds/003_98f9d70e718b516f.txt": ("imported", 1, 19, 11, 0),
    "seeds/004_6ed62239266ef815.txt": ("imported", 3, 0, 0, 1),  # a label page
}
COUNTS = """SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM comments) AS comments,
                   (SELECT count(*) FROM comments WHERE parent_id IS NOT NULL) AS replies,
                   (SELECT count(*) FROM labels) AS labels"""


def sample_path(name: str) -> Path:
    return (FIXTURES if name.startswith("formats/") else REPO) / name


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_real_sample_alone(name: str, db_url: str) -> None:
    status, posts, comments, replies, labels = SAMPLES[name]
    result = run("import", sample_path(name), "--db", db_url)
    assert result.exit_code == (1 if status == "failed" else 0), result.output
    assert [row["status"] for row in query(db_url, "SELECT status FROM sources")] == [status]
    assert query(db_url, COUNTS) == [{"posts": posts, "comments": comments, "replies": replies, "labels": labels}]


def test_every_real_file_has_its_line() -> None:
    held = {f"formats/{path.name}" for path in (FIXTURES / "formats").iterdir() if path.name != "SOURCES.md"}
    held |= {f"seeds/{path.name}" for path in (REPO / "seeds").glob("*.txt")}
    assert sorted(held) == sorted(SAMPLES)
