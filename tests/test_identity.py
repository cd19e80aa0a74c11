"""Normalisation, fingerprints and natural keys (DESIGN.md, Identity).

Expected keys are literals, never made by the functions under test: keys are stored, and a change that alters
one must be seen (blogimport.identity.IDENTITY_VERSION; tests/test_key_contract.py for the seeds' keys).
"""

from __future__ import annotations

from datetime import date

from blogimport import identity


def test_normalise_drops_control_lines_and_collapses_whitespace() -> None:
    rendered = "  Hello\u00a0 there,\n\n    ReplyDelete\n  Replies\nsecond   line\n\tDelete\nReply\n"
    assert identity.normalise(rendered) == "Hello there, second line"


def test_normalise_keeps_control_words_inside_sentences() -> None:
    assert identity.normalise("Reply to all. Delete nothing.") == "Reply to all. Delete nothing."


def test_normalise_makes_every_unicode_whitespace_run_one_space() -> None:
    # Blogs carry no-break spaces (U+00A0), em spaces (U+2003), ideographic spaces (U+3000), line and paragraph
    # separators (U+2028, U+2029) and stray C0 separators (U+001C-U+001F): regex \s matches them all, so keys made
    # before normalise() stopped using a regex treat them as spaces, and must go on doing so.
    text = "\u00a0 one\u00a0two\u2003three\u3000four\u2028five\u2029six\x1cseven\x1fe\t\r\n\x0b\x0c\x85end \u200b"
    assert identity.normalise(text) == "one two three four five six seven e end \u200b"


def test_normalise_composes_unicode() -> None:
    assert identity.normalise("Cafe\u0301") == identity.normalise("Caf\u00e9") == "Caf\u00e9"


def test_the_same_comment_fingerprints_alike_from_every_rendering() -> None:
    as_text = "Dear OM,\n\nHaving asked around\nour office\n\n      Delete"
    as_html_text = "Dear OM, Having asked around our office"
    as_export = "Dear OM,\r\n\r\nHaving asked around our office "
    assert identity.fingerprint(as_text) == identity.fingerprint(as_html_text) == identity.fingerprint(as_export)
    assert identity.fingerprint(as_text) == "88efef5ca48d5a35ddd3e2d906b8dcc6"


def test_a_fingerprint_is_the_first_16_bytes_of_sha256_of_the_normalised_text() -> None:
    # Normalised to nothing: the well-known sha256 of no bytes, e3b0c442 98fc1c14 9afbf4c8 996fb924 27ae41e4 ...
    assert identity.fingerprint(" \n ReplyDelete\n") == "e3b0c44298fc1c149afbf4c8996fb924"
    assert identity.fingerprint("+1") == "c59dc4e44ff99288156d4dff2168f6ac"
    assert identity.fingerprint("Cafe\u0301") == identity.fingerprint("Caf\u00e9") == "73473dcc12b763085904a5279d048c4d"


def test_post_keys() -> None:
    assert identity.post_key(date(2015, 2, 7), " Guest  Blog 24 ", "body") == "2015-02-07/Guest Blog 24"
    untitled = identity.post_key(date(2015, 2, 7), "", "Some body text")
    assert untitled == "2015-02-07/#2bf6df54cb2f5030ac41389e5c10cc6d"


def test_long_keys_are_bounded_and_still_unique() -> None:
    a = identity.post_key(date(2020, 1, 1), "x" * 5000 + "a", "")
    b = identity.post_key(date(2020, 1, 1), "x" * 5000 + "b", "")
    assert len(a) == len(b) == 233 and a != b and a.startswith("2020-01-01/xxx")
    assert a == f"2020-01-01/{'x' * 189}~4375d699431de5c38ad1853fd7939c8c"


def test_identical_siblings_are_told_apart_by_occurrence() -> None:
    fp, other = "c59dc4e44ff99288156d4dff2168f6ac", "d6210ef09e1856f18cc29022b1965ba1"  # "+1", "Agreed"
    assert identity.comment_keys(None, ["+1", "Agreed", "+1"]) == [f"{fp}:0", f"{other}:0", f"{fp}:1"]
    assert identity.comment_keys(f"{other}:0", ["+1"]) == [f"{other}:0/{fp}:0"]


def test_reference_keys_count_repeated_mentions() -> None:
    assert identity.reference_keys(["re 20:15", "@8:41", "re  20:15"]) == ["re 20:15:0", "@8:41:0", "re 20:15:1"]


def test_author_and_label_keys() -> None:
    assert identity.author_key("Andy  Green", None) == "Andy Green|"
    assert identity.author_key("Andy Green", "https://www.blogger.com/profile/1") == (
        "Andy Green|https://www.blogger.com/profile/1"
    )
    assert identity.label_key(" group work ") == "group work"


def test_removed_markers() -> None:
    assert identity.is_removed_marker("This comment has been removed by the author.")
    assert identity.is_removed_marker("This comment has been removed by a blog administrator.")
    assert identity.is_removed_marker("This post has been removed by the author.")
    assert not identity.is_removed_marker("This comment has been removed by the author. Shame.")


def test_the_rules_are_version_2() -> None:
    """Bumped with every change that alters a key, together with the revision that re-keys stored rows (2: a host
    many blogs share is never a blog's key; revision 0010)."""
    assert identity.IDENTITY_VERSION == 2


def test_a_blog_is_named_by_its_own_host_never_by_one_many_blogs_share() -> None:
    assert [
        identity.blog_name(host, blog_id)
        for host, blog_id in [
            ("www.wgdd.de", "42"),
            ("www.blogger.com", "42"),
            ("WWW.Blogger.com", "42"),
            ("feeds.feedburner.com", None),
            (None, "42"),
            (None, None),
        ]
    ] == ["www.wgdd.de", "blogger-42", "blogger-42", "default", "blogger-42", "default"]
    # A stored key under these rules: only a shared host with a blog id to take its place changes.
    assert [
        identity.rekeyed_blog_name(key, blog_id)
        for key, blog_id in [
            ("www.blogger.com", "42"),
            ("www.blogger.com", None),
            ("mixed", "42"),
            ("www.wgdd.de", "42"),
        ]
    ] == ["blogger-42", "www.blogger.com", "mixed", "www.wgdd.de"]
