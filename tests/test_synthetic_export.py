"""The synthetic classic export (tests/perf/synthetic_export.py) has the shape and the counts it claims.

These tests cover the generator only, not the importer. A small export must parse, hold what `write_export`
says it holds, thread every reply to a top-level comment of the same post, mark deleted comments as Blogger does,
come out byte for byte the same for the same seed, and be close to the size asked for.
"""

from __future__ import annotations

import filecmp
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.perf.synthetic_export import FEEDS, HOST, REMOVED_TEXT, write_export

ATOM = "{http://www.w3.org/2005/Atom}"
GD = "{http://schemas.google.com/g/2005}"
THR = "{http://purl.org/syndication/thread/1.0}"
APP = "{http://purl.org/atom/app#}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
SIZE = 2_000_000
SEED = 7


@dataclass(frozen=True)
class Entry:
    """What the tests need of one `<entry>`, read the way an importer would read it."""

    kind: str  # "template", "settings", "post" or "comment"
    atom_id: str
    published: str
    updated: str
    content: str
    links: dict[str, str]  # rel -> href (the two "replies" links collapse into one; no test needs them)
    labels: tuple[str, ...]
    draft: bool
    author_name: str
    author_uri: str | None
    in_reply_to: dict[str, str] | None
    properties: dict[str, str]  # gd:extendedProperty name -> value
    total: int | None  # thr:total


@dataclass(frozen=True)
class Export:
    path: Path
    counts: dict[str, int]
    root_id: str
    exported: str  # the feed's own updated time
    entries: list[Entry]

    def of_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == kind]


def read_entries(path: Path) -> tuple[str, str, list[Entry]]:
    """The feed's id and updated time and every entry, parsed incrementally as an importer of a big file would."""
    entries: list[Entry] = []
    feed_fields: dict[str, str] = {}
    for _, element in ET.iterparse(path, events=("end",)):
        if element.tag in (f"{ATOM}id", f"{ATOM}updated") and not entries:
            feed_fields.setdefault(element.tag, element.text or "")  # the first ones are the feed's, not an entry's
        if element.tag == f"{ATOM}entry":
            entries.append(to_entry(element))
            element.clear()  # keep memory flat, as the streaming importer must
    return feed_fields.get(f"{ATOM}id", ""), feed_fields.get(f"{ATOM}updated", ""), entries


def to_entry(element: ET.Element) -> Entry:
    categories = element.findall(f"{ATOM}category")
    (kind_term,) = [c.get("term", "") for c in categories if c.get("scheme") == KIND_SCHEME]
    reply_to = element.find(f"{THR}in-reply-to")
    total = element.findtext(f"{THR}total")
    return Entry(
        kind=kind_term.rsplit("#", 1)[1],
        atom_id=element.findtext(f"{ATOM}id", ""),
        published=element.findtext(f"{ATOM}published", ""),
        updated=element.findtext(f"{ATOM}updated", ""),
        content=element.findtext(f"{ATOM}content", ""),
        links={link.get("rel", ""): link.get("href", "") for link in element.findall(f"{ATOM}link")},
        labels=tuple(c.get("term", "") for c in categories if c.get("scheme") == LABEL_SCHEME),
        draft=element.findtext(f"{APP}control/{APP}draft") == "yes",
        author_name=element.findtext(f"{ATOM}author/{ATOM}name", ""),
        author_uri=element.findtext(f"{ATOM}author/{ATOM}uri"),
        in_reply_to=None if reply_to is None else dict(reply_to.attrib),
        properties={p.get("name", ""): p.get("value", "") for p in element.findall(f"{GD}extendedProperty")},
        total=None if total is None else int(total),
    )


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    path = tmp_path_factory.mktemp("synthetic") / "export.xml"
    counts = write_export(path, SIZE, seed=SEED)
    feed_id, exported, entries = read_entries(path)
    return Export(path, counts, feed_id, exported, entries)


def post_id_of(atom_id: str) -> str:
    return atom_id.rsplit(".post-", 1)[1]


def test_counts_match_what_write_export_returns(export: Export) -> None:
    comments = export.of_kind("comment")
    posts = export.of_kind("post")
    found = {
        "posts": len(posts),
        "drafts": sum(post.draft for post in posts),
        "labelled_posts": sum(bool(post.labels) for post in posts),
        "comments": len(comments),
        "replies": sum("related" in comment.links for comment in comments),
        "deleted": sum("blogger.contentRemoved" in comment.properties for comment in comments),
        "anonymous": sum(comment.author_uri is None for comment in comments),
    }
    assert found == {key: export.counts[key] for key in found}
    # Each kind of entry occurs, so the other tests are not vacuous.
    assert all(found.values()), found
    assert Counter(entry.kind for entry in export.entries) == {
        "template": 1,
        "settings": len(export.of_kind("settings")),
        "post": found["posts"],
        "comment": found["comments"],
    }


def test_entries_come_in_the_real_files_order(export: Export) -> None:
    kinds = [entry.kind for entry in export.entries]
    first_runs = [kind for i, kind in enumerate(kinds) if i == 0 or kinds[i - 1] != kind]
    assert first_runs == ["template", "settings", "post", "comment"]
    published = [post.published for post in export.of_kind("post")]
    assert published == sorted(published, reverse=True)  # newest first, all with the same offset


def test_no_time_is_later_than_the_export(export: Export) -> None:
    # Every time stamp has the same +01:00 offset, so comparing the strings compares the times.
    assert export.exported == "2019-11-08T12:33:55.702+01:00"
    assert max(time for entry in export.entries for time in (entry.published, entry.updated)) <= export.exported
    assert min(entry.published for entry in export.entries) >= "1999"


def test_the_feed_header_has_the_real_shape(export: Export) -> None:
    head = export.path.read_bytes()[:1200].decode("utf-8")
    assert head.startswith("<?xml version='1.0' encoding='UTF-8'?><?xml-stylesheet ")
    for prefix in ("openSearch", "gd", "thr", "georss"):
        assert f" xmlns:{prefix}='" in head
    assert export.root_id == f"tag:blogger.com,1999:blog-{export.counts['blog_id']}.archive"
    assert f"<link rel='alternate' type='text/html' href='{HOST}/'/>" in head


def test_ids_are_unique_numbers_of_at_most_19_digits(export: Export) -> None:
    ids = [post_id_of(entry.atom_id) for entry in export.entries if entry.kind in ("post", "comment")]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[1-9]\d{0,18}", entry_id) and int(entry_id) < 2**63 for entry_id in ids)


def test_posts_have_the_real_shape(export: Export) -> None:
    for post in export.of_kind("post"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+01:00", post.published)
        assert "<p>" in post.content or "<br />" in post.content  # unescaped once by the parser: HTML text
        assert '<a href="https://example.org/' in post.content
        assert 15_000 <= len(post.content) <= 60_000  # 20-60 KB escaped, a little less once unescaped
        assert re.fullmatch(r"https://www\.blogger\.com/profile/\d+", post.author_uri or "")
        assert 0 <= len(post.labels) <= 3
        if post.draft:
            assert "alternate" not in post.links
            assert post.total == 0
        else:
            assert re.fullmatch(rf"{re.escape(HOST)}/\d{{4}}/\d\d/[a-z0-9-]+-\d+\.html", post.links["alternate"])


def test_every_comment_belongs_to_a_published_post_and_totals_agree(export: Export) -> None:
    posts = {post.atom_id: post for post in export.of_kind("post")}
    per_post: Counter[str] = Counter()
    for comment in export.of_kind("comment"):
        assert comment.in_reply_to is not None
        post = posts[comment.in_reply_to["ref"]]
        assert not post.draft
        assert comment.in_reply_to["href"] == post.links["alternate"]
        post_id = post_id_of(post.atom_id)
        assert (
            comment.links["self"] == f"{FEEDS}/{export.counts['blog_id']}/{post_id}/comments/default/"
            f"{post_id_of(comment.atom_id)}"
        )
        assert "blogger.displayTime" in comment.properties
        assert comment.published > post.published
        per_post[post.atom_id] += 1
    assert {atom_id: post.total for atom_id, post in posts.items()} == {atom_id: per_post[atom_id] for atom_id in posts}


def test_every_reply_points_at_a_top_level_comment_of_the_same_post(export: Export) -> None:
    comments = export.of_kind("comment")
    by_self = {comment.links["self"]: comment for comment in comments}
    replies = [comment for comment in comments if "related" in comment.links]
    assert len(replies) * 4 > len(comments)  # about a third
    for reply in replies:
        parent = by_self[reply.links["related"]]
        assert "related" not in parent.links
        assert parent.in_reply_to == reply.in_reply_to
        assert parent.published < reply.published


def test_deleted_comments_look_as_blogger_writes_them(export: Export) -> None:
    for comment in export.of_kind("comment"):
        deleted = comment.properties.get("blogger.contentRemoved") == "true"
        assert deleted == (comment.content == REMOVED_TEXT)
        assert deleted == ("alternate" not in comment.links)


def test_anonymous_commenters_have_no_uri(export: Export) -> None:
    anonymous = [comment for comment in export.of_kind("comment") if comment.author_name == "Anonymous"]
    assert anonymous
    assert all(comment.author_uri is None for comment in anonymous)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_others(export: Export, tmp_path: Path) -> None:
    again, other = tmp_path / "again.xml", tmp_path / "other.xml"
    assert write_export(again, SIZE, seed=SEED) == export.counts
    write_export(other, SIZE, seed=SEED + 1)
    assert filecmp.cmp(export.path, again, shallow=False)
    assert not filecmp.cmp(export.path, other, shallow=False)


@pytest.mark.parametrize("size", [1_000_000, SIZE, 5_000_000])
def test_the_size_is_within_ten_percent_of_the_request(size: int, tmp_path: Path) -> None:
    path = tmp_path / "sized.xml"
    counts = write_export(path, size)
    assert counts["bytes"] == path.stat().st_size
    assert abs(counts["bytes"] - size) <= size // 10
