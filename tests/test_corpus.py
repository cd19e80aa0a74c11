"""The benchmark corpus (tests/perf/corpus.py) holds what its manifest says, in every form, as our parsers and a
real import read it; it is deterministic; its shape is the one asked for; and change_sources changes what it says.

Small blogs only (20 posts, ~470 comments): the sizes themselves are for the benchmark.
"""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import sqlite3
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from blogimport import formats
from blogimport.records import CommentRecord, LooseComment, ParseOptions, PostRecord
from tests.conftest import run
from tests.perf.corpus import FORMATS, SIZES, Manifest, change_sources, generate, main, plan_statistics, tally
from tests.perf.corpus_content import comment_texts
from tests.perf.corpus_plan import (
    TITLES_PER_CYCLE,
    Comment,
    Post,
    make_blog,
    plan_comments,
    plan_post,
    threads,
)
from tests.perf.synthetic_export import BLOG_OFFSET

CommentFacts = tuple[str | None, str, int]  # (parent comment id, text, published ms)

SEED = 0
POSTS = 20  # seed 0's first 20 posts: 468 comments, removed ones, mentions, both text layouts, posts without comments
PARSER = {"text": "text", "html": "html", "classic": "atom", "takeout": "atom"}
SUFFIX = {"text": ".txt", "html": ".html", "classic": ".xml", "takeout": ".atom"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    return generate(tmp_path_factory.mktemp("corpus"), seed=SEED, posts=POSTS)


# --- What the plan says each post holds (the oracle the files are checked against) --------------------------------


@dataclass(frozen=True)
class PlannedPost:
    post: Post
    threads: list[tuple[tuple[Comment, str], list[tuple[Comment, str]]]]  # ((top, text), [(reply, text), ...])

    @property
    def text_tree(self) -> list[tuple[str, list[str]]]:
        return [(text, [reply_text for _, reply_text in replies]) for (_, text), replies in self.threads]

    @property
    def by_id(self) -> dict[str, CommentFacts]:
        found: dict[str, CommentFacts] = {}
        for (top, text), replies in self.threads:
            found[str(top.comment_id)] = (None, text, top.published_ms)
            found.update({str(r.comment_id): (str(top.comment_id), t, r.published_ms) for r, t in replies})
        return found


def planned(seed: int = SEED, count: int = POSTS) -> list[PlannedPost]:
    blog = make_blog(seed)
    posts = []
    for number in range(count):
        post = plan_post(blog, number)
        comments = plan_comments(blog, post)
        texts = comment_texts(blog, post, comments)
        posts.append(
            PlannedPost(
                post,
                [
                    ((top, texts[top.index]), [(r, texts[r.index]) for r in replies])
                    for top, replies in threads(comments)
                ],
            )
        )
    return posts


# --- Reading the files back with our parsers ---------------------------------------------------------------------


@dataclass
class Parsed:
    posts: list[PostRecord] = field(default_factory=list)
    loose: list[LooseComment] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        comments: list[tuple[CommentRecord, object]] = [  # (comment, its parent or None)
            (c, parent)
            for p in self.posts
            for top in p.comments
            for c, parent in ((top, None), *((r, top) for r in top.replies))
        ]
        comments += [(item.comment, item.parent_blogger_id) for item in self.loose]
        return {
            "posts": len(self.posts),
            "comments": len(comments),
            "replies": sum(parent is not None for _, parent in comments),
            "removed": sum(c.is_removed for c, _ in comments),
            "mentions": sum(len(c.mentions) for c, _ in comments),
            "labels": len({label for p in self.posts for label in p.labels}),
            "post_labels": sum(len(p.labels) for p in self.posts),
        }


def sources_of(manifest: Manifest, fmt: str) -> list[Path]:
    path = manifest.paths[fmt]
    return sorted(path.rglob(f"*{SUFFIX[fmt]}")) if path.is_dir() else [path]


def parse(manifest: Manifest, fmt: str) -> Parsed:
    parsed = Parsed()
    for source in sources_of(manifest, fmt):
        with source.open("rb") as stream:
            for entry in formats.parse(PARSER[fmt], stream, str(source), ParseOptions()).entries:
                if isinstance(entry, PostRecord):
                    parsed.posts.append(entry)
                elif isinstance(entry, LooseComment):
                    parsed.loose.append(entry)
    return parsed


@pytest.fixture(scope="module")
def parsed(corpus: Manifest) -> dict[str, Parsed]:
    return {fmt: parse(corpus, fmt) for fmt in FORMATS}


def manifest_counts(manifest: Manifest, fmt: str) -> dict[str, int]:
    counts = {
        key: getattr(manifest, key)
        for key in ("posts", "comments", "replies", "removed", "mentions", "labels", "post_labels")
    }
    return {**counts, "labels": 0, "post_labels": 0} if fmt == "text" else counts  # a post page's text shows none


# --- 1. Deterministic ---------------------------------------------------------------------------------------------


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file the corpus wrote, by relative path; manifest.json holds timings and paths, so not it."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_content(tmp_path: Path) -> None:
    first, again, other = (tmp_path / name for name in ("first", "again", "other"))
    generate(first, seed=5, posts=6)
    generate(again, seed=5, posts=6)
    generate(other, seed=6, posts=6)
    written = tree_bytes(first)
    assert len(written) == 6 + 6 + 1 + 1
    assert written == tree_bytes(again)
    others = tree_bytes(other)
    assert set(written.values()).isdisjoint(others.values())  # not one file of seed 6 equals one of seed 5
    assert sorted(p for p in others if p.startswith("text/")) != sorted(p for p in written if p.startswith("text/"))


def test_generating_again_into_the_same_folder_replaces_what_was_there(tmp_path: Path) -> None:
    generate(tmp_path, seed=1, posts=5)
    manifest = generate(tmp_path, seed=1, posts=3, formats=("text", "html"))
    assert len(list(manifest.paths["text"].iterdir())) == 3
    assert len(list(manifest.paths["html"].rglob("*.html"))) == 3
    assert json.loads((tmp_path / "manifest.json").read_text())["posts"] == 3


# --- 2. The parsers read what the manifest says -------------------------------------------------------------------


def test_the_small_corpus_has_every_feature_the_tests_rely_on(corpus: Manifest) -> None:
    assert (corpus.size, corpus.posts, corpus.comments) == (f"{POSTS} posts", POSTS, 468)
    assert corpus.replies and corpus.removed and corpus.mentions and corpus.labels
    posts = planned()
    assert {p.post.text_layout for p in posts} == {"plain", "controls"}
    assert any(not p.threads for p in posts) and any(p.post.guest for p in posts)
    assert {corpus.files[fmt] for fmt in ("text", "html")} == {POSTS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_parses_to_the_manifest_counts(parsed: dict[str, Parsed], corpus: Manifest, fmt: str) -> None:
    assert parsed[fmt].counts() == manifest_counts(corpus, fmt)


def test_each_text_rendering_parses_to_its_post_and_comment_tree(parsed: dict[str, Parsed]) -> None:
    by_title = {p.title: p for p in parsed["text"].posts}
    assert len(by_title) == POSTS
    for plan in planned():
        post = by_title[plan.post.title]
        assert post.published_on == datetime.fromtimestamp(plan.post.published_ms / 1000, BLOG_OFFSET).date()
        assert [(c.body_text, [r.body_text for r in c.replies]) for c in post.comments] == plan.text_tree
        assert [c.position for c in post.comments] == list(range(1, len(plan.threads) + 1))


def test_each_saved_page_parses_to_its_post_with_ids_times_and_labels(parsed: dict[str, Parsed]) -> None:
    by_id = {p.blogger_id: p for p in parsed["html"].posts}
    for plan in planned():
        post = by_id[str(plan.post.post_id)]
        assert (post.title, post.url, post.labels) == (plan.post.title, plan.post.permalink, plan.post.labels)
        assert post.published_at == datetime.fromtimestamp(plan.post.published_ms / 1000, BLOG_OFFSET)
        assert [(c.body_text, [r.body_text for r in c.replies]) for c in post.comments] == plan.text_tree
        found = {
            c.blogger_id: (parent, c.body_text, int(c.published_at.timestamp() * 1000))  # type: ignore[union-attr]
            for top in post.comments
            for c, parent in ((top, None), *((r, top.blogger_id) for r in top.replies))
        }
        assert found == plan.by_id
        assert all(c.utc_offset_minutes == 60 for c in post.comments)  # the displayed clock is the blog's (+01:00)


@pytest.mark.parametrize("fmt", ["classic", "takeout"])
def test_each_export_holds_every_comment_under_its_post_and_parent(parsed: dict[str, Parsed], fmt: str) -> None:
    plans = {str(plan.post.post_id): plan for plan in planned()}
    posts = {p.blogger_id: p for p in parsed[fmt].posts}
    assert posts.keys() == plans.keys()
    found: dict[str, dict[str, CommentFacts]] = {post_id: {} for post_id in plans}
    for item in parsed[fmt].loose:
        moment = item.comment.published_at
        assert moment is not None
        found[item.post_blogger_id][item.comment.blogger_id or ""] = (
            item.parent_blogger_id,
            item.comment.body_text,
            int(moment.timestamp() * 1000),
        )
    for post_id, plan in plans.items():
        assert found[post_id] == plan.by_id
        assert posts[post_id].labels == plan.post.labels
        assert posts[post_id].published_at == datetime.fromtimestamp(plan.post.published_ms / 1000, UTC)


def test_takeout_entries_come_sorted_by_numeric_id_posts_and_comments_interleaved(corpus: Manifest) -> None:
    feed = corpus.paths["takeout"].read_text(encoding="utf-8")
    entries = re.findall(r"<entry>\n    <id>tag:blogger\.com,1999:blog-\d+\.post-(\d+)</id>\n    <(blogger:\w+)", feed)
    ids = [int(entry_id) for entry_id, _ in entries]
    assert len(ids) == corpus.posts + corpus.comments and ids == sorted(ids)
    kinds = [tag for _, tag in entries]  # a post's first element after its id is its type; a comment's its parent
    assert kinds.count("blogger:type") == corpus.posts
    assert "blogger:parent" in kinds[: kinds.index("blogger:type")]  # a comment comes before the first post


def test_a_saved_page_carries_a_real_pages_boilerplate(corpus: Manifest) -> None:
    quiet = min(corpus.paths["html"].rglob("*.html"), key=lambda p: p.stat().st_size)  # a post nobody commented on
    page = quiet.read_text(encoding="utf-8")
    assert "<h4>No comments:</h4>" in page
    for mark in (
        "_WidgetManager._Init",
        "css_bundle_v2.css",
        "id='sidebar-right-1'",
        "bloggercomments",
        "rel='canonical'",
        "itemprop='blogId'",
    ):
        assert mark in page
    body = page[page.index("<div class='post-body") : page.index("<div class='post-footer'>")]
    assert len(page) - len(body) > 12_000  # head, sidebar, scripts and styles: a few KB, as on a real page


# --- 3. End to end: `blogimport import` of each form --------------------------------------------------------------

COUNT_QUERIES = {
    "posts": "SELECT count(*) FROM posts",
    "comments": "SELECT count(*) FROM comments",
    "replies": "SELECT count(*) FROM comments WHERE depth = 1",
    "removed": "SELECT count(*) FROM comments WHERE is_removed",
    "mentions": "SELECT count(*) FROM comment_references",
    "labels": "SELECT count(*) FROM labels",
    "post_labels": "SELECT count(*) FROM post_labels",
}


def db_file(url: str) -> str:
    return url.removeprefix("sqlite:///")


def scalar(url: str, sql: str) -> int:
    with sqlite3.connect(db_file(url)) as conn:
        return int(conn.execute(sql).fetchone()[0])


DECLARED = "SELECT count(*) FROM posts WHERE declared_comment_count IS NOT NULL"
MISDECLARED = DECLARED + " AND declared_comment_count != (SELECT count(*) FROM comments c WHERE c.post_id = posts.id)"


def comments_per_post(url: str) -> dict[str, int]:
    with sqlite3.connect(db_file(url)) as conn:
        return dict(
            conn.execute(
                "SELECT p.blogger_id, count(c.id) FROM posts p LEFT JOIN comments c ON c.post_id = p.id GROUP BY p.id"
            ).fetchall()
        )


def import_json(*args: object) -> dict[str, Any]:
    result = run("import", *args, "--json")
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


@pytest.fixture(scope="module")
def imported(corpus: Manifest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each form imported into a SQLite file of its own: format -> database URL."""
    folder = tmp_path_factory.mktemp("databases")
    urls = {}
    for fmt in FORMATS:
        urls[fmt] = f"sqlite:///{folder / f'{fmt}.db'}"
        summary = import_json(corpus.paths[fmt], "--db", urls[fmt])
        assert summary["sources"]["imported"] == corpus.files[fmt] and summary["waiting"] == 0
    return urls


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_each_form_stores_exactly_the_manifest(imported: dict[str, str], corpus: Manifest, fmt: str) -> None:
    stored = {name: scalar(imported[fmt], sql) for name, sql in COUNT_QUERIES.items()}
    assert stored == manifest_counts(corpus, fmt)
    assert scalar(imported[fmt], "SELECT count(*) FROM comments WHERE depth > 1") == 0
    # "N comments:" (text with Blogger's controls, pages) and thr:total (classic) say the same; Takeout has none.
    # (The HTML parser reads "No comments:" as no figure at all, where the text parser reads 0.)
    controls = sum(plan.post.text_layout == "controls" for plan in planned())
    commented = sum(plan.post.comment_count > 0 for plan in planned())
    declaring = {"text": controls, "html": commented, "classic": POSTS, "takeout": 0}[fmt]
    assert (scalar(imported[fmt], DECLARED), scalar(imported[fmt], MISDECLARED)) == (declaring, 0)


def test_saved_pages_and_exports_agree_on_every_posts_comments(imported: dict[str, str]) -> None:
    planned_counts = {str(plan.post.post_id): plan.post.comment_count for plan in planned()}
    assert comments_per_post(imported["html"]) == planned_counts
    assert comments_per_post(imported["classic"]) == planned_counts
    assert comments_per_post(imported["takeout"]) == planned_counts
    assert len(set(planned_counts.values())) > 5  # posts differ, so agreeing is not a coincidence


def test_mentions_resolve_to_earlier_comments_where_the_times_are_known(
    imported: dict[str, str], corpus: Manifest
) -> None:
    resolved = (
        "SELECT count(*) FROM comment_references r JOIN comments c ON c.id = r.comment_id "
        "JOIN comments t ON t.id = r.target_comment_id WHERE t.published_at < c.published_at"
    )
    # A few stay unresolved where two comments of a post show the same clock time.
    assert corpus.mentions * 0.9 <= scalar(imported["html"], resolved) <= corpus.mentions
    assert scalar(imported["classic"], resolved) == scalar(imported["html"], resolved)


# --- 4. The shape of the blog, from the plan alone ----------------------------------------------------------------


def test_a_few_hundred_posts_have_the_asked_for_distribution() -> None:
    stats = plan_statistics(300, seed=SEED)
    assert 30 <= stats.mean_comments <= 50
    assert abs(stats.reply_share - 1 / 3) <= 0.05
    assert 200 <= stats.median_comment_chars <= 400
    assert 4_000 <= stats.median_post_chars <= 6_000


def test_size_m_has_posts_over_500_comments_and_posts_with_none() -> None:
    blog = make_blog(SEED)
    counts = [plan_post(blog, number).comment_count for number in range(SIZES["M"])]
    assert 70_000 <= sum(counts) <= 90_000
    assert sum(count > 500 for count in counts) >= 3
    assert 50 <= counts.count(0) <= 200
    assert tally(blog, 50, "S").comments == sum(counts[:50])  # the manifest counts what the plan holds


def test_titles_and_permalinks_are_unique_over_a_whole_cycle_of_titles() -> None:
    blog = make_blog(SEED)
    posts = [plan_post(blog, number) for number in range(TITLES_PER_CYCLE)]
    assert len({p.title for p in posts}) == len({p.permalink for p in posts}) == TITLES_PER_CYCLE
    assert all(re.fullmatch(r"https://[\w.-]+/\d{4}/\d\d/[a-z0-9-]+\.html", p.permalink) for p in posts[:500])


def test_every_comment_comes_after_its_post_and_every_reply_after_its_parent() -> None:
    for plan in planned(seed=3, count=40):
        for (top, _), replies in plan.threads:
            assert top.published_ms > plan.post.published_ms
            assert all(reply.published_ms > top.published_ms for reply, _ in replies)


# --- 5. change_sources --------------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_change_sources_changes_exactly_that_fraction_of_pages(corpus: Manifest, tmp_path: Path, fmt: str) -> None:
    folder = shutil.copytree(corpus.paths[fmt], tmp_path / fmt)
    before = snapshot(folder)
    changed = change_sources(folder, fraction=0.07, seed=4)
    after = snapshot(folder)
    assert len(changed) == math.ceil(0.07 * POSTS) == 2
    assert sorted(p for p in before if before[p] != after[p]) == changed
    assert len(change_sources(folder, fraction=0.0001, seed=4)) == 1  # at least one page


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_reimporting_changed_pages_adds_their_new_comments(corpus: Manifest, tmp_path: Path, fmt: str) -> None:
    folder = shutil.copytree(corpus.paths[fmt], tmp_path / fmt)
    url = f"sqlite:///{tmp_path / 'blog.db'}"
    import_json(folder, "--db", url)
    replies_before = scalar(url, COUNT_QUERIES["replies"])
    changed = change_sources(folder, fraction=1.0, seed=2)  # every page, so also those with no comments yet
    summary = import_json(folder, "--db", url)
    assert len(changed) == POSTS
    assert summary["sources"]["imported"] == POSTS
    assert summary["entities"]["comments"]["inserted"] == POSTS
    assert summary["entities"]["comments"]["updated"] == summary["entities"]["comments"]["deleted"] == 0
    assert summary["entities"]["posts"]["inserted"] == 0
    assert scalar(url, COUNT_QUERIES["posts"]) == POSTS
    assert scalar(url, COUNT_QUERIES["comments"]) == corpus.comments + POSTS
    assert scalar(url, DECLARED) > 0 and scalar(url, MISDECLARED) == 0  # the pages' "N comments:" went up too
    new_replies = scalar(url, COUNT_QUERIES["replies"]) - replies_before
    assert 0 < new_replies < POSTS  # both kinds of change happened: replies and new top-level comments
    again = change_sources(folder, fraction=0.1, seed=3)  # a second crawl of pages already changed once
    summary = import_json(folder, "--db", url)
    assert (summary["sources"]["imported"], summary["entities"]["comments"]["inserted"]) == (len(again), len(again))


# --- The command line ---------------------------------------------------------------------------------------------


def test_the_command_prints_one_line_per_format(tmp_path: Path) -> None:
    output = io.StringIO()
    with redirect_stdout(output):
        main([str(tmp_path), "--posts", "3", "--seed", "2", "--formats", "text,classic"])
    lines = output.getvalue().splitlines()
    assert lines[0].startswith("blog of seed 2: 3 posts, ")
    assert [line.split(":")[0] for line in lines[1:]] == ["text", "classic"]
    assert re.fullmatch(r"text: 3 files, [\d,]+ bytes, \d+\.\d s \(.*\)", lines[1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["classic", "manifest.json", "text"]


def test_unknown_sizes_and_formats_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        generate(tmp_path, formats=("pdf",))
    with pytest.raises(ValueError, match="size 'XL'"):
        generate(tmp_path, size="XL")
