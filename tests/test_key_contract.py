"""Natural keys are a stored contract (issue 13, point 8).

Keys live in every database ever made, so the rules that make them (importer/identity.py) cannot change quietly:
the seeds' keys are literals here; the database records the version of the rules that made its keys; a change of
rules comes with a revision that re-keys the rows (blogimport.store.rekeying), and an import into a database whose keys
another version made is refused. The "change" simulated below is the one the issue names: comment fingerprints by
md5 instead of sha256, still 32 hex characters.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from blogimport import identity
from blogimport.store import schema
from blogimport.store.rekeying import RekeyConflict, rekey
from tests.conftest import SEEDS, run
from tests.dbdump import connect, query, raw_dump
from tests.test_exports import WGDD, small_export
from tests.test_import_seeds import tally

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

GUEST_BLOG_24 = "2015-02-07/Guest Blog 24"
TOP = "6ab46e4a976bbf7a05474f1ecaa1d4b5:0"  # "Dear Purple Futures, I've been allocated a short custody case ..."
REPLY = f"{TOP}/24429ac2e8d19d0d112c43b3a6b41a71:0"  # its reply 0007.0002, "Dear OM, if I can signpost you ..."
# Every key of the seeds (blogs, authors, labels, posts, comments, comment_references): 119 lines "table<TAB>key",
# sorted, joined by newlines, hashed with sha256.
SEED_KEYS_SHA256 = "200162f9d3f6b694fc84ffcb7b274af4551e58c18463e6ae2cfda0d7f35fd56d"
KEYED_TABLES = ("blogs", "authors", "labels", "posts", "comments", "comment_references")
COUNTS = """SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM comments) AS comments,
                   (SELECT count(*) FROM comment_references) AS mentions, (SELECT count(*) FROM authors) AS authors,
                   (SELECT count(*) FROM labels) AS labels"""
SEED_COUNTS = {"posts": 7, "comments": 96, "mentions": 13, "authors": 1, "labels": 1}


def seed_key(url: str, sql: str) -> str:
    (row,) = query(url, sql)
    return str(row["key"])


def test_the_seeds_keys_are_these(seeded: str) -> None:
    in_guest_blog_24 = "FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.title = 'Guest Blog 24' AND c.path"
    assert [
        seed_key(seeded, """SELECT "key" FROM posts WHERE title = 'Guest Blog 24'"""),
        seed_key(seeded, f"""SELECT c."key" {in_guest_blog_24} = '0007'"""),
        seed_key(seeded, f"""SELECT c."key" {in_guest_blog_24} = '0007.0002'"""),
        seed_key(seeded, """SELECT "key" FROM authors"""),
        seed_key(seeded, """SELECT "key" FROM labels"""),
        seed_key(seeded, """SELECT "key" FROM blogs"""),
        seed_key(seeded, """SELECT "key" FROM comment_references WHERE mention = 'Anon 9.11'"""),
    ] == [GUEST_BLOG_24, TOP, REPLY, "Andy Green|", "groupwork", "default", "Anon 9.11:0"]
    lines = sorted(
        f"{table}\t{row['key']}" for table in KEYED_TABLES for row in query(seeded, f'SELECT "key" FROM {table}')
    )
    assert (len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()) == (119, SEED_KEYS_SHA256)
    assert query(seeded, "SELECT version FROM identity_rules") == [{"version": 2}]  # the rules that made them


REFUSALS = {
    1: "Error: the database's natural keys were made by identity rules 1, this blogimport makes 2: "
    "run `blogimport db upgrade` first, which re-keys them\n",
    3: "Error: the database's natural keys were made by identity rules 3, newer than this blogimport's 2: "
    "run `blogimport db upgrade` with the blogimport that made them, and import with it\n",
}


def test_keys_of_other_rules_are_refused_and_nothing_is_written(seeded: str) -> None:
    for stored, message in REFUSALS.items():
        set_rules(seeded, stored)
        before = raw_dump(seeded)
        refused = run("import", SEEDS, "--force", "--db", seeded)
        assert (refused.exit_code, refused.stdout, refused.stderr) == (1, "", message)
        assert raw_dump(seeded) == before


def set_rules(url: str, version: int) -> None:
    engine = connect(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE identity_rules SET version = :version"), {"version": version})
    engine.dispose()


# -- a change of the rules, as a later blogimport would ship it ---------------------------------------------------


def md5_fingerprint(body: str) -> str:
    """The mutant of the issue: the comment fingerprint by md5, which is 32 hex characters as well."""
    return hashlib.md5(identity.normalise(body).encode("utf-8")).hexdigest()


MD5_TOP = "98e27c5024b9c56da210d18deb4f7f8b:0"
MD5_REPLY = f"{MD5_TOP}/a52a2d1b5fa4cc1a86db6f2319402cdd:0"


@pytest.fixture
def md5_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    """Makes this process a blogimport whose rules are version 3 (md5 fingerprints), shipped with revision 9999;
    which re-keys the rows, as it must, unless told not to (what the contract exists to prevent)."""

    def install(rekeys: bool) -> None:
        folder = tmp_path / "migrations"
        shutil.copytree(schema.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
        body = "rekey(op.get_bind(), version=3)" if rekeys else 'op.execute("UPDATE identity_rules SET version = 3")'
        (folder / "versions" / "9999_md5_fingerprints.py").write_text(
            '"""Identity rules 3: comment fingerprints by md5."""\n'
            "from alembic import op\n\nfrom blogimport.store.rekeying import rekey\n\n"
            f'revision = "9999"\ndown_revision = "{schema.HEAD_REVISION}"\n'
            "branch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade():\n    {body}\n\n\n"
            "def downgrade():\n    pass  # the older rules are gone: keys and version stay\n"
        )
        monkeypatch.setattr(schema, "MIGRATIONS_DIR", folder)
        monkeypatch.setattr(schema, "HEAD_REVISION", "9999")
        monkeypatch.setattr(identity, "IDENTITY_VERSION", 3)
        monkeypatch.setattr(identity, "fingerprint", md5_fingerprint)

    return install


def comment_keys_of_guest_blog_24(url: str) -> list[str]:
    return [
        row["key"]
        for row in query(
            url,
            """SELECT c."key" FROM comments c JOIN posts p ON p.id = c.post_id
                                                WHERE p.title = 'Guest Blog 24' AND c.path IN ('0007', '0007.0002')
                                                ORDER BY c.path""",
        )
    ]


def test_a_change_of_rules_and_its_revision_rekey_the_database(
    seeded: str, md5_rules: Callable[[bool], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    md5_rules(True)
    refused = run("import", SEEDS, "--force", "--db", seeded)
    assert (refused.exit_code, refused.stderr) == (
        1,
        "Error: the database is at revision 0010, this blogimport needs 9999: run `blogimport db upgrade` first\n",
    )
    assert run("db", "upgrade", "--db", seeded).stdout == "9999 (head)\n"
    assert comment_keys_of_guest_blog_24(seeded) == [MD5_TOP, MD5_REPLY]
    assert query(seeded, "SELECT version FROM identity_rules") == [{"version": 3}]

    again = run("import", SEEDS, "--force", "--json", "--db", seeded)
    assert again.exit_code == 0, again.output
    entities = json.loads(again.stdout)["entities"]
    assert (entities["comments"], entities["posts"]) == (tally(unchanged=96), tally(unchanged=7))
    assert query(seeded, COUNTS) == [SEED_COUNTS]  # 96 comments, not 192

    # Downgraded past the re-keying revision, the keys stay md5: the blogimport of rules 2 refuses them.
    assert run("db", "downgrade", "0010", "--db", seeded).exit_code == 0
    monkeypatch.undo()
    refused = run("import", SEEDS, "--db", seeded)
    assert (refused.exit_code, refused.stderr) == (1, REFUSALS[3])


def test_without_rekeying_the_same_seeds_would_be_stored_twice(
    tmp_path: Path, md5_rules: Callable[[bool], None]
) -> None:
    """Why the revision must re-key: with the version bumped but the rows left alone, nothing finds them."""
    url = f"sqlite:///{tmp_path / 'blog.db'}"
    assert run("import", SEEDS, "--db", url).exit_code == 0
    md5_rules(False)
    assert run("db", "upgrade", "--db", url).exit_code == 0
    assert run("import", SEEDS, "--force", "--db", url).exit_code == 0
    assert query(url, COUNTS) == [{**SEED_COUNTS, "comments": 192, "mentions": 26}]


# -- the re-keying helper on every kind of key --------------------------------------------------------------------


@pytest.fixture
def every_kind_of_key(db_url: str, tmp_path: Path) -> str:
    """The seeds; an export with two posts of one day and title (one keyed '~' and its id), 43 authors and 95
    labels; and a post whose comments hold identical siblings, a reply with a mention, and a Blogger comment keyed
    '~' and its id (its text's key was another Blogger comment's when it came)."""
    first, second = tmp_path / "open-1.xml", tmp_path / "open-2.xml"
    first.write_text(
        small_export(
            [
                ("101", None, "2020-05-01T20:00:00.000+01:00", "+1"),
                ("102", None, "2020-05-01T20:05:00.000+01:00", "Agreed"),
                ("104", None, "2020-05-01T20:10:00.000+01:00", "+1"),
                ("105", "101", "2020-05-01T20:30:00.000+01:00", "re 20:00 thanks"),
            ]
        ),
        encoding="utf-8",
    )
    second.write_text(small_export([("103", None, "2020-05-01T21:00:00.000+01:00", "+1")]), encoding="utf-8")
    for source in (SEEDS, WGDD, first, second):
        assert run("import", source, "--db", db_url).exit_code == 0
    assert query(
        db_url,
        """SELECT c.blogger_id, c."key" FROM comments c JOIN posts p ON p.id = c.post_id
                            WHERE p.title = 'Open thread' ORDER BY c.blogger_id""",
    ) == [
        {"blogger_id": "101", "key": "c59dc4e44ff99288156d4dff2168f6ac:0"},
        {"blogger_id": "102", "key": "d6210ef09e1856f18cc29022b1965ba1:0"},
        {"blogger_id": "103", "key": "c59dc4e44ff99288156d4dff2168f6ac:0~103"},
        {"blogger_id": "104", "key": "c59dc4e44ff99288156d4dff2168f6ac:1"},
        {"blogger_id": "105", "key": "c59dc4e44ff99288156d4dff2168f6ac:0/65d204c42e8b41893b0d83da537b4082:0"},
    ]
    return db_url


def rekey_with(url: str, version: int) -> None:
    engine = connect(url)
    with engine.begin() as conn:
        rekey(conn, version)
    engine.dispose()


def test_rekeying_makes_the_keys_the_importer_makes(every_kind_of_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = every_kind_of_key
    before = raw_dump(url)
    rekey_with(url, 2)  # the rules that made them: nothing changes
    assert raw_dump(url) == before
    plus, agreed = "c59dc4e44ff99288156d4dff2168f6ac", "d6210ef09e1856f18cc29022b1965ba1"
    sha256_fingerprint = identity.fingerprint
    # Rules under which "+1" and "Agreed" trade fingerprints: each comment takes a key its sibling holds.
    swapped = {plus: agreed, agreed: plus}
    monkeypatch.setattr(
        identity, "fingerprint", lambda body: swapped.get(sha256_fingerprint(body), sha256_fingerprint(body))
    )
    rekey_with(url, 3)
    assert query(
        url,
        """SELECT c.blogger_id, c."key" FROM comments c JOIN posts p ON p.id = c.post_id
                         WHERE p.title = 'Open thread' AND c.parent_id IS NULL ORDER BY c.blogger_id""",
    ) == [
        {"blogger_id": "101", "key": f"{agreed}:0"},
        {"blogger_id": "102", "key": f"{plus}:0"},
        {"blogger_id": "103", "key": f"{agreed}:0~103"},
        {"blogger_id": "104", "key": f"{agreed}:1"},
    ]
    monkeypatch.setattr(identity, "fingerprint", md5_fingerprint)
    rekey_with(url, 4)
    assert comment_keys_of_guest_blog_24(url) == [MD5_TOP, MD5_REPLY]
    monkeypatch.undo()
    rekey_with(url, 2)  # and back: every key as the import made it, to the last byte
    assert raw_dump(url) == before


def test_rows_that_new_rules_would_make_one_stop_the_rekeying(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    url = db_url
    assert run("import", WGDD, "--db", url).exit_code == 0  # 43 authors, 95 labels
    before = raw_dump(url)
    author_key, label_key = identity.author_key, identity.label_key
    # Rules that re-key every author (written first), then make three labels one.
    monkeypatch.setattr(identity, "author_key", lambda name, url: author_key(name.upper(), url))
    monkeypatch.setattr(identity, "label_key", lambda name: "git" if name.startswith("git") else label_key(name))
    engine = connect(url)
    with pytest.raises(RekeyConflict) as conflict, engine.begin() as conn:
        rekey(conn, 3)
    engine.dispose()
    merged = query(url, "SELECT id, blog_id FROM labels WHERE name IN ('git', 'github', 'github pages') ORDER BY id")
    assert str(conflict.value) == (
        f"the identity rules now give labels {[row['id'] for row in merged]} of blog_id "
        f"{merged[0]['blog_id']} the same key 'git': a revision must merge them before "
        "re-keying"
    )
    assert raw_dump(url) == before  # the authors' new keys too: the transaction took them back
