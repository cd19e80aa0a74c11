"""Whatever people have saved (issue 8): each hostile input, made here, in one crawl with a good page. Every one
gets one line naming it or is imported; no traceback; every source is recorded; the good page is imported; nothing
is written outside the database's folder."""

from __future__ import annotations

import io
import json
import os
import random
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest

from blogimport.records import CommentRecord, PostRecord
from tests.conftest import FIXTURES, SEEDS, run
from tests.dbdump import query
from tests.processes import as_mode_says
from tests.render import render_text

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)

TAKEOUT = FIXTURES / "formats" / "takeout-2018ns_epistemic-forge_excerpt.atom"  # partial: comments of posts it lacks
FEEDS = "Takeout/Blogger/Blogs"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"\x00\xff\x00\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def _page(title: str, comments: tuple[CommentRecord, ...] = ()) -> str:
    return render_text(PostRecord(published_on=date(2019, 5, 21), title=title, body_text="A body.", comments=comments))


def _billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    return (
        f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY l0 "lol">{entities}]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&l9;</title></feed>'
    ).encode()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _odd_numbers_page() -> str:
    """A saved page with numbers no page shows: a count past any column, times in superscript digits and in 5,000
    digits, a comment id of 40 digits."""
    page = (FIXTURES / "formats" / "html_luxuryhaven.co.hyatt.html").read_text()
    times, ids = re.findall(r"showComment=([0-9]+)", page), re.findall(r'id="c([0-9]+)"', page)
    return (
        page.replace("<h4>24 comments:", "<h4>99999999999 comments:")
        .replace(f"showComment={times[0]}", "showComment=\u00b2\u00b3")
        .replace(f"showComment={times[1]}", "showComment=" + "9" * 5_000)
        .replace(f'id="c{ids[0]}"', 'id="c' + "6" * 40 + '"')
    )


def _odd_numbers_export(post_id: str | None = None) -> str:
    """A classic export whose comment totals are a superscript 1 and 5,000 digits; or, given `post_id`, whose post
    of that id has 5,000 digits in its place."""
    export = (FIXTURES / "formats" / "classic-export_google-blog-converters_2008.xml").read_text()
    if post_id:
        return export.replace(post_id, "7" * 5_000)
    return export.replace("<thr:total>1</thr:total>", "<thr:total>\u00b9</thr:total>").replace(
        "<thr:total>2</thr:total>", "<thr:total>" + "9" * 5_000 + "</thr:total>"
    )


def _crawl(top: Path) -> dict[str, str | None]:
    """Writes the crawl; returns each source's expected failure (a pattern of what follows the locator: the line,
    if known, and the reason; None: imported), by locator below `top`."""
    seed = (SEEDS / next(p.name for p in SEEDS.glob("003_*.txt"))).read_text()
    blogger = (FIXTURES / "formats" / "html_bumsbutzener-gumpfen.blogspot.com.tach-auch.html").read_text()
    body = blogger.index(">", blogger.index("post-body")) + 1
    feed = TAKEOUT.read_bytes()
    files: dict[str, bytes] = {
        "good.txt": seed.encode(),
        "empty.txt": b"",
        "random.bin": random.Random(8).randbytes(20_000),
        "picture.png": _png(),
        "nul.txt": _page("With\x00 NULs", (CommentRecord("a comment\x00 with a NUL"),)).encode(),
        "invalid-utf8.txt": _page("Caf\u00e9 \u2019").encode() + b"\n\xff\xfe\n",
        "utf16.txt": _page("Sixteen \u2019bits\u2019").encode("utf-16"),
        "cp1252.txt": _page("\u201cSmart\u201d quotes \u2013 \u20ac5").encode("cp1252"),
        "long-line.txt": b"word " * (10 * 1024 * 1024),
        "deep.html": (blogger[:body] + "<div>" * 10_000 + "deep" + "</div>" * 10_000 + blogger[body:]).encode(),
        "cut.html": blogger[: len(blogger) // 2].encode() + b"<div cla",
        "cut.xml": feed[: len(feed) // 2],
        "laughs.xml": _billion_laughs(),
        "xxe.xml": (
            b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>'
        ),
        "long-title.txt": _page(" ".join(["title"] * 2_000)).encode(),
        "numbers.txt": (
            b"Tuesday, 21 May 2019\n\nNumbers\n\nA body.\n\n5 comments:\n\n  3. three\n\n  2. two\n\n"
            b"  2. two again\n\n  7. seven\n\n    9. a reply\n\n    1. another\n\n  1. one\n"
        ),
        "huge-number.txt": (
            b"Tuesday, 21 May 2019\n\nHuge\n\nA body.\n\n1 comment:\n\n"
            b"  99999999999999999999. more than a database column holds\n"
        ),
        "odd-numbers.html": _odd_numbers_page().encode(),
        "odd-numbers.xml": _odd_numbers_export().encode(),
        "long-id.xml": _odd_numbers_export(post_id="7031156583478223661").encode(),
        "replies.txt": _page(
            "Busy", (CommentRecord("the first", replies=tuple(CommentRecord(f"reply {n}") for n in range(1, 1001))),)
        ).encode(),
        "takeout.zip": _zip(
            {
                f"{FEEDS}/Bomb/feed.atom": b" " * (50 << 20),
                f"{FEEDS}/Nested/feed.atom": _zip({f"{FEEDS}/Inner/feed.atom": feed}),
                "../feed.atom": feed,
                "/etc/feed.atom": feed,
            }
        ),
    }
    for name, data in files.items():
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_bytes(data)
    (top / "loop").mkdir()
    os.symlink(top / "loop", top / "loop" / "again")  # a folder that holds itself
    zipped = f"{top / 'takeout.zip'}!"
    return {
        "good.txt": None,
        "nul.txt": None,
        "utf16.txt": None,
        "cp1252.txt": None,
        "deep.html": None,
        "cut.html": None,
        "long-title.txt": None,
        "numbers.txt": None,
        "replies.txt": None,
        "odd-numbers.html": None,
        "odd-numbers.xml": None,
        f"{zipped}../feed.atom": None,
        f"{zipped}/etc/feed.atom": None,
        "empty.txt": ": empty file",
        "random.bin": ": binary file: not a text rendering, saved page or export",
        "picture.png": ": binary file: not a text rendering, saved page or export",
        "invalid-utf8.txt": r":9: not UTF-8 text \(invalid start byte: 0xff\)",
        "long-line.txt": ":1: no post found: no date line such as 'Saturday, 7 February 2015'",
        "huge-number.txt": ":9: comment number 99999999999999999999 is larger than any page shows",
        "cut.xml": r":\d+: not well-formed XML: .*",
        "long-id.xml": r": an entry without a Blogger id: 'tag:blogger\.com,1999:blog-[0-9]+\.post-7+'… \(5,051 "
        r"characters\)",
        "laughs.xml": r": refused: the XML declares a DTD \(<!DOCTYPE>\), which no Blogger file has",
        "xxe.xml": r": refused: the XML declares a DTD \(<!DOCTYPE>\), which no Blogger file has",
        f"{zipped}{FEEDS}/Bomb/feed.atom": r": refused: it would expand [\d,]+ times its compressed size, as a "
        r"zip bomb does",
        f"{zipped}{FEEDS}/Nested/feed.atom": ": binary file: not a text rendering, saved page or export",
    }


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str | None]]:
    top = tmp_path_factory.mktemp("hostile") / "crawl"
    top.mkdir()
    return top, _crawl(top)


def test_every_hostile_input_is_named_in_one_line_and_the_rest_imported(
    crawl: tuple[Path, dict[str, str | None]], db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top, expected = crawl
    monkeypatch.chdir(tmp_path)
    before = sorted(top.parent.rglob("*"))
    result = run("import", top, "--db", db_url, "--json")
    assert result.exit_code == 1
    locator = {name: name if "!" in name else str(top / name) for name in expected}
    failures = {f["locator"]: f["error"] for f in json.loads(result.stdout)["failures"]}
    wanted = {locator[name]: reason for name, reason in expected.items() if reason is not None}
    assert sorted(failures) == sorted(wanted)
    for where, reason in wanted.items():
        assert re.fullmatch(re.escape(where) + reason, failures[where]), failures[where]
    assert sorted(result.stderr.splitlines()) == sorted(f"error: {error}" for error in failures.values())
    statuses = {row["locator"]: row["status"] for row in query(db_url, "SELECT locator, status FROM sources")}
    assert statuses == {
        locator[name]: "failed" if reason else "partial" if "!" in name else "imported"
        for name, reason in expected.items()
    }
    assert sorted(top.parent.rglob("*")) == before and not Path("/etc/feed.atom").exists()
    assert [p.name for p in tmp_path.iterdir() if ".db" not in p.name] == []


def test_hostile_content_is_stored_as_it_should_read(crawl: tuple[Path, dict[str, str | None]], db_url: str) -> None:
    top, _ = crawl
    assert run("import", top, "--db", db_url).exit_code == 1
    titles = {row["title"] for row in query(db_url, "SELECT title FROM posts")}
    assert {
        "With NULs",
        "Sixteen \u2019bits\u2019",
        "\u201cSmart\u201d quotes \u2013 \u20ac5",
        "Numbers",
        "Busy",
        " ".join(["title"] * 2_000),
    } <= titles
    assert query(
        db_url, "SELECT c.body_text FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.title = 'With NULs'"
    ) == [{"body_text": "a comment with a NUL"}]
    numbers = query(
        db_url,
        "SELECT c.position, c.depth, c.body_text FROM comments c JOIN posts p ON p.id = c.post_id "
        "WHERE p.title = 'Numbers' ORDER BY c.path",
    )
    # Numbers that go back or repeat cannot give the reading order: the order on the page does.
    assert [(r["position"], r["depth"], r["body_text"]) for r in numbers] == [
        (3, 0, "three"),
        (2, 0, "two"),
        (2, 0, "two again"),
        (7, 0, "seven"),
        (9, 1, "a reply"),
        (1, 1, "another"),
        (1, 0, "one"),
    ]
    busy = query(
        db_url,
        "SELECT count(*) AS n, max(c.path) AS last FROM comments c JOIN posts p ON p.id = c.post_id "
        "WHERE p.title = 'Busy' AND c.depth = 1",
    )
    assert busy == [{"n": 1000, "last": "0001.1000"}]
    assert not query(db_url, "SELECT id FROM posts WHERE body_text LIKE '%root:%'")


def test_a_file_gone_between_listing_and_reading_fails_alone(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from blogimport import sources

    crawl = _two_seeds(tmp_path)
    (gone,) = crawl.glob("002_*.txt")

    discover = sources.discover

    def discover_then_delete(paths: list[Path]) -> list[sources.Source]:
        found = discover(paths)
        gone.unlink()  # as another program might, while the import starts
        return found

    monkeypatch.setattr(sources, "discover", discover_then_delete)
    result = run("import", crawl, "--db", db_url)
    assert (result.exit_code, result.stderr) == (1, f"error: {gone}: cannot read: No such file or directory\n")
    assert query(db_url, "SELECT locator, status FROM sources ORDER BY locator") == [
        {"locator": str(p), "status": s}
        for p, s in sorted([(next(crawl.glob("001_*.txt")), "imported"), (gone, "failed")])
    ]


def test_a_file_that_cannot_be_read_fails_alone(tmp_path: Path) -> None:
    """Root reads any file: the import runs without the capabilities that let it, so mode 000 holds."""
    crawl = _two_seeds(tmp_path)
    (locked,) = crawl.glob("002_*.txt")
    locked.chmod(0)
    command = [sys.executable, "-m", "blogimport", "import", str(crawl), "--db", f"sqlite:///{tmp_path}/b.db"]
    done = subprocess.run(as_mode_says(command), capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (1, f"error: {locked}: cannot read: Permission denied\n")
    assert query(f"sqlite:///{tmp_path}/b.db", "SELECT status FROM sources ORDER BY locator") == [
        {"status": "imported"},
        {"status": "failed"},
    ]


def _two_seeds(tmp_path: Path) -> Path:
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for seed in SEEDS.glob("00[12]_*.txt"):
        (crawl / seed.name).write_bytes(seed.read_bytes())
    return crawl
