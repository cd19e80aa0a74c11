"""Text renderings saved in other encodings (blogimport.sources.decoding): decoded to the same text, never mangled."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from blogimport import sources
from blogimport.errors import UnsupportedFormat
from blogimport.sources import decoding
from tests.conftest import SEEDS, run
from tests.dbdump import query

CP1252_TEXT = "\u201cQuoted\u201d, it\u2019s \u20ac5 \u2013 caf\u00e9"  # every character Windows-1252 has


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_a_byte_order_mark_names_the_encoding(encoding: str) -> None:
    data = CP1252_TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decoding.decode(data, "f.txt") == CP1252_TEXT


def test_windows_1252_smart_quotes_are_read_as_what_they_are() -> None:
    assert decoding.decode(CP1252_TEXT.encode("cp1252"), "f.txt") == CP1252_TEXT
    assert decoding.decode(b"A \x81 B", "f.txt") == "A \ufffd B"  # one of its five unassigned bytes


def test_utf8_is_utf8_even_when_it_would_also_be_windows_1252() -> None:
    assert decoding.decode(CP1252_TEXT.encode("utf-8"), "f.txt") == CP1252_TEXT


def test_damaged_utf8_is_refused_not_guessed() -> None:
    data = "line one \u2019\nline two ".encode() + b"\xff\n"
    with pytest.raises(UnsupportedFormat) as refused:
        decoding.decode(data, "f.txt")
    assert str(refused.value) == "f.txt:2: not UTF-8 text (invalid start byte: 0xff)"


def test_nul_characters_are_dropped() -> None:
    assert decoding.decode(b"a\x00b\x00", "f.txt") == "ab"
    assert decoding.decode("a\x00b".encode("utf-16"), "f.txt") == "ab"


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        ("Monday, 7 February 2015\n\nTitle\n".encode("utf-16"), "text"),
        ('<!DOCTYPE html><html><head><meta content="blogger" name="generator"/>'.encode("utf-16"), "html"),
        (b"Monday, 7 February 2015\n\nTi\x00tle\n", "text"),  # a stray NUL: text all the same
    ],
)
def test_the_sniffer_reads_text_in_any_of_these_encodings(head: bytes, fmt: str) -> None:
    assert sources.sniff(head, "f") == fmt


@pytest.mark.parametrize("head", [random.Random(7).randbytes(4096), b"\x89PNG\r\n\x1a\n" + bytes(range(256))])
def test_binary_files_are_told_from_text(head: bytes) -> None:
    with pytest.raises(UnsupportedFormat) as refused:
        sources.sniff(head, "f")
    assert str(refused.value) == "f: binary file: not a text rendering, saved page or export"


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8 with NULs"])
def test_a_page_saved_in_another_encoding_imports_as_the_utf8_page_does(tmp_path: Path, encoding: str) -> None:
    """Two databases, one from a seed as it is and one from the same page re-encoded: the same rows."""
    (seed,) = SEEDS.glob("003_*.txt")
    page = seed.read_text(encoding="utf-8")
    if encoding == "cp1252":
        page = "".join(ch if ch.encode("cp1252", errors="ignore") else "?" for ch in page)
        (tmp_path / "original.txt").write_text(page, encoding="utf-8")
        data = page.encode("cp1252")
    else:
        (tmp_path / "original.txt").write_text(page, encoding="utf-8")
        data = page.encode("utf-16") if encoding == "utf-16" else page.replace("\n\n", "\n\x00\n").encode()
    (tmp_path / "saved.txt").write_bytes(data)
    dumps = []
    for name in ("original.txt", "saved.txt"):
        url = f"sqlite:///{tmp_path / name}.db"
        assert run("import", tmp_path / name, "--db", url).exit_code == 0
        dumps.append(
            [
                query(url, "SELECT key, title, body_text FROM posts"),
                query(url, "SELECT key, path, body_text, display_time FROM comments ORDER BY path"),
            ]
        )
    assert dumps[0] == dumps[1] and len(dumps[0][1]) == 19
