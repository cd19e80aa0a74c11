"""Full-text search (issue 6, point 2): `blogimport search` on every engine's own index, and the index in step."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from blogimport.report.search import MATCH
from tests.conftest import SEEDS, run
from tests.dbdump import connect, query
from tests.test_exports import small_export

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

INTERSERVE = [
    {
        "kind": "post",
        "title": "Probation Masterclass",
        "path": None,
        "when": "2016-02-14",
        "excerpt": "…as no less, the MD of Justice at Interserve. To be honest it took my breath away and one can "
        "only be…",
    },
    {
        "kind": "comment",
        "title": "Probation Masterclass",
        "path": "0014",
        "when": None,
        "excerpt": "Interserve have lost their cleaning and catering contracts in all leicester hospitals. They are "
        "so c…",
    },
    {
        "kind": "comment",
        "title": "TR - 'Read All About It!'",
        "path": "0007",
        "when": None,
        "excerpt": "…x and team in collaboration with Interserve !!!!! - the models imposed by management rant "
        "haven't wo…",
    },
    {
        "kind": "comment",
        "title": "TR - 'Read All About It!'",
        "path": "0007.0001",
        "when": None,
        "excerpt": "…STER Metropolitan University and Interserve are proud to announce a new partnership which will "
        "devel…",
    },
]


def search(db_url: str, *args: str) -> dict:
    result = run("search", *args, "--db", db_url, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def found(db_url: str, words: str) -> list[tuple[str, str | None, str | None]]:
    """(kind, post title, comment path) of every hit: the same on every engine, unlike row ids."""
    return [(hit["kind"], hit["title"], hit["path"]) for hit in search(db_url, words)["hits"]]


def holding(db_url: str, *words: str) -> list[tuple[str, str | None, str | None]]:
    """What a search must find, worked out without any index: rows where each word begins a word, any case."""
    patterns = [re.compile(rf"(?<!\w){re.escape(word)}", re.IGNORECASE) for word in words]
    posts = query(db_url, "SELECT title, body_text FROM posts ORDER BY published_on, id")
    comments = query(
        db_url,
        "SELECT p.title, c.path, c.body_text FROM comments c JOIN posts p ON p.id = c.post_id "
        "ORDER BY p.published_on, c.post_id, c.path",
    )
    hits = [
        ("post", row["title"], None)
        for row in posts
        if all(p.search(f"{row['title'] or ''} {row['body_text']}") for p in patterns)
    ]
    return hits + [
        ("comment", row["title"], row["path"]) for row in comments if all(p.search(row["body_text"]) for p in patterns)
    ]


def test_interserve_finds_exactly_the_seeds_that_hold_it(seeded: str) -> None:
    result = search(seeded, "Interserve")
    hits = [{key: hit[key] for key in ("kind", "title", "path", "when", "excerpt")} for hit in result["hits"]]
    assert (result["posts"], result["comments"], hits) == (1, 3, INTERSERVE)
    assert found(seeded, "Interserve") == holding(seeded, "Interserve")


def test_hits_carry_their_row_ids(seeded: str) -> None:
    hits = search(seeded, "Interserve")["hits"]
    ids = query(
        seeded,
        "SELECT c.id, c.post_id FROM comments c WHERE c.path = '0014' AND c.post_id = "
        "(SELECT id FROM posts WHERE title = 'Probation Masterclass')",
    )
    assert [(hits[1]["id"], hits[1]["post_id"])] == [(row["id"], row["post_id"]) for row in ids]
    assert hits[0]["id"] == hits[0]["post_id"] == ids[0]["post_id"]


def test_prefixes_any_case_and_every_word(seeded: str) -> None:
    assert found(seeded, "INTERSERV") == found(seeded, "interserve") == holding(seeded, "interserve")
    assert found(seeded, "probation officer") == holding(seeded, "probation", "officer")
    assert len(holding(seeded, "probation", "officer")) == 12
    assert found(seeded, "chief executive") == holding(seeded, "chief", "executive") != []
    assert found(seeded, "zzyzx") == []


def test_short_and_common_words_too(seeded: str) -> None:
    """MySQL indexes neither words under 3 letters nor its stopwords: neither may go missing there."""
    assert found(seeded, "it was") == holding(seeded, "it", "was")
    assert len(holding(seeded, "it", "was")) == 22
    assert found(seeded, "the") == holding(seeded, "the")
    assert found(seeded, "MD of") == [("post", "Probation Masterclass", None)]


def test_the_plain_listing(seeded: str) -> None:
    result = run("search", "Interserve", "--limit", "1", "--db", seeded)
    post, comment = search(seeded, "Interserve", "--limit", "1")["hits"]
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            f"post\t{post['id']}\t2016-02-14\tProbation Masterclass: {INTERSERVE[0]['excerpt']}",
            f"comment\t{comment['id']}\tpost {post['id']}\t0014\tanonymous: {INTERSERVE[1]['excerpt']}",
            "1 posts, 3 comments match; showing 1 posts, 1 comments (--limit 1)",
        ],
    )


def count_line(db_url: str, *args: str) -> str:
    result = run("search", *args, "--db", db_url)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[-1]


def test_the_count_is_of_matches_whatever_the_limit(seeded: str) -> None:
    """README: the count line says how many match; a limit only shortens the list (point 7)."""
    assert count_line(seeded, "probation", "officer") == "4 posts, 8 comments"
    assert (
        count_line(seeded, "probation", "officer", "--limit", "2")
        == "4 posts, 8 comments match; showing 2 posts, 2 comments (--limit 2)"
    )
    assert (
        count_line(seeded, "probation", "officer", "--limit", "8") == "4 posts, 8 comments"
    )  # the limit reached, but nothing left out
    assert count_line(seeded, "probation", "officer", "--limit", "9") == "4 posts, 8 comments"
    # Short words, which MySQL looks for in the text rather than its index, are counted the same way.
    assert (
        count_line(seeded, "it", "was", "--limit", "5")
        == "6 posts, 16 comments match; showing 5 posts, 5 comments (--limit 5)"
    )
    limited = search(seeded, "Interserve", "--limit", "1")
    assert (limited["posts"], limited["comments"], limited["limit"], len(limited["hits"])) == (1, 3, 1, 2)
    unlimited = search(seeded, "Interserve")
    assert (unlimited["posts"], unlimited["comments"], unlimited["limit"], len(unlimited["hits"])) == (1, 3, None, 4)


def test_several_words_need_no_quotes(seeded: str) -> None:
    """README: `blogimport search WORDS...` matches every word; `search Interserve leicester` is two words."""
    result = search(seeded, "Interserve", "leicester")
    assert (result["words"], result["posts"], result["comments"]) == ("Interserve leicester", 0, 1)
    assert [(hit["kind"], hit["title"], hit["path"]) for hit in result["hits"]] == [
        ("comment", "Probation Masterclass", "0014")
    ]
    assert search(seeded, "Interserve leicester") == result
    assert count_line(seeded, "probation", "officer") == count_line(seeded, "probation officer")


def test_no_words_is_a_usage_error(db_url: str) -> None:
    result = run("search", "!!", "--db", db_url)
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr.splitlines()[-1]
        == "Error: Invalid value for 'WORDS...': nothing to search for in '!!': give at least one word"
    )
    result = run("search", "--db", db_url)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == "Error: Missing argument 'WORDS...'."


def test_a_comment_updated_by_a_later_import_is_found_by_its_new_text(tmp_path: Path, db_url: str) -> None:
    first, second = tmp_path / "first.xml", tmp_path / "second.xml"
    first.write_text(small_export([("101", None, "2020-05-01T20:15:00.000+01:00", "Widgets!")]), encoding="utf-8")
    # The same comment (same Blogger id) as a later export has it: the longer body wins.
    second.write_text(
        small_export([("101", None, "2020-05-01T20:15:00.000+01:00", "Edited: it was about gadgets all along.")]),
        encoding="utf-8",
    )
    assert run("import", first, "--db", db_url).exit_code == 0
    assert found(db_url, "widgets") == [("comment", "Open thread", "0001")]
    assert run("import", second, "--db", db_url).exit_code == 0
    assert query(db_url, "SELECT body_text FROM comments") == [{"body_text": "Edited: it was about gadgets all along."}]
    assert found(db_url, "widgets") == []
    assert found(db_url, "gadgets") == [("comment", "Open thread", "0001")]


def test_a_deleted_comment_is_no_longer_found(seeded: str) -> None:
    engine = connect(seeded)
    with engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM comments WHERE path = '0007.0001' AND post_id = "
                "(SELECT id FROM posts WHERE title = 'TR - ''Read All About It!''')"
            )
        )
    engine.dispose()
    assert found(seeded, "Interserve") == [
        (hit["kind"], hit["title"], hit["path"]) for hit in INTERSERVE if hit["path"] != "0007.0001"
    ]


def test_the_index_is_built_over_rows_already_there(seeded: str) -> None:
    assert run("db", "downgrade", "0004", "--db", seeded).exit_code == 0
    assert run("db", "upgrade", "--db", seeded).exit_code == 0
    assert found(seeded, "Interserve") == holding(seeded, "Interserve")
    assert run("import", SEEDS, "--db", seeded).stdout.startswith("5 sources: 0 imported, 5 unchanged")


def test_words_inside_addresses_paths_and_markup(tmp_path: Path, db_url: str) -> None:
    """PostgreSQL's parser would read these as single tokens (a URL, an e-mail address, a path, a tag)."""
    export = tmp_path / "addresses.xml"
    export.write_text(
        small_export(
            [
                (
                    "101",
                    None,
                    "2020-05-01T20:15:00.000+01:00",
                    "See www.interserve.com/jobs or write to hr@interserve.org",
                ),
                ("102", None, "2020-05-01T20:16:00.000+01:00", "Either/or &amp;lt;sigh&amp;gt; and v1.2.3"),
            ]
        ),
        encoding="utf-8",
    )
    assert run("import", export, "--db", db_url).exit_code == 0
    assert found(db_url, "interserve jobs") == [("comment", "Open thread", "0001")]
    assert found(db_url, "interserve org hr") == [("comment", "Open thread", "0001")]
    assert query(db_url, "SELECT body_text FROM comments WHERE path = '0002'") == [
        {"body_text": "Either/or <sigh> and v1.2.3"}
    ]
    assert found(db_url, "or sigh") == [("comment", "Open thread", "0002")]
    assert found(db_url, "v1 2 3") == [("comment", "Open thread", "0002")]


# SQLite needs no such check: an FTS5 table is the index itself, and MATCH cannot be answered any other way.
@pytest.mark.parametrize("engine_name", ["postgresql", "mysql"])
def test_the_servers_search_through_their_index(seeded: str, engine_name: str) -> None:
    engine = connect(seeded)
    with engine.connect() as conn:
        if engine_name == "postgresql":
            conn.execute(text("SET enable_seqscan = off"))  # 100 rows would otherwise be read one by one
        for table, condition in MATCH["mysql" if engine_name == "mysql" else "postgresql"].items():
            alias = table[0]
            plan = conn.execute(
                text(f"EXPLAIN SELECT {alias}.id FROM {table} {alias} WHERE {condition}"),
                {"query": "interserve:*" if engine_name == "postgresql" else "+interserve*"},
            )
            assert f"ft_{table}" in str(plan.all()), table
    engine.dispose()
