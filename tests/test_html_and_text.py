"""A saved page and a text rendering of it are one post and one set of comments, in either order (issue 4, point 2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import run
from tests.dbdump import natural_dump, query
from tests.render import render_text
from tests.test_html import FORMATS, PAGES, parse_page

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_and_its_text_rendering_merge_in_either_order(
    name: str, tmp_path: Path, new_db: Callable[[], str]
) -> None:
    page = FORMATS / PAGES[name]
    post = parse_page(name)
    rendering = tmp_path / f"{name}.txt"
    rendering.write_text(render_text(post), encoding="utf-8")
    host = urlsplit(post.url).hostname
    text_first, page_first = new_db(), new_db()
    for db_url, order in ((text_first, (rendering, page)), (page_first, (page, rendering))):
        for path in order:
            result = run("import", path, "--db", db_url, *(("--blog", host) if path == rendering else ()))
            assert result.exit_code == 0, result.output

    assert natural_dump(text_first) == natural_dump(page_first)
    comments = sum(1 + len(top.replies) for top in post.comments)
    (counts,) = query(
        text_first,
        """
        SELECT (SELECT count(*) FROM blogs) AS blogs, (SELECT count(*) FROM posts) AS posts,
               (SELECT count(*) FROM comments) AS comments,
               (SELECT count(*) FROM comments WHERE blogger_id IS NOT NULL AND published_at IS NOT NULL
                  AND position IS NOT NULL) AS enriched,
               (SELECT source_rank FROM posts) AS rank, (SELECT declared_comment_count FROM posts) AS declared""",
    )
    assert counts == {
        "blogs": 1,
        "posts": 1,
        "comments": comments,
        "enriched": comments,
        "rank": 2,
        "declared": post.declared_comment_count if post.declared_comment_count is not None else comments,
    }
