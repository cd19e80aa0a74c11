"""What is and is not a time-stamp mention (issue 2, "Time-stamp mentions"), and which comment it means."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blogimport.formats import mentions
from blogimport.formats.mentions import find_mentions
from blogimport.records import MentionRecord
from tests.conftest import run
from tests.dbdump import query
from tests.test_exports import small_export
from tests.test_text_properties import PROPERTY

pytestmark = pytest.mark.premade_schema  # not about how a database gets its schema (tests/conftest.py)


@pytest.mark.parametrize(
    ("comment", "mention", "hour", "minute"),
    [
        ("Yes Anon 9.11, that is the mantra.", "Anon 9.11", 9, 11),
        ("re 20:15 what a lot of hot air!", "re 20:15", 20, 15),
        ("8 24 is spot on with SPOs", "8 24", 8, 24),
        ("10:25 - Thank you for your post.", "10:25", 10, 25),
        ("re 11 34- er, could that person", "re 11 34", 11, 34),
        ("to 1525... the comment", "1525", 15, 25),
        ("the comment on 1134 referred to", "1134", 11, 34),
        ("Anonymous 15:41, accessing grants", "Anonymous 15:41", 15, 41),
        ("Anon 1549 it sounds like", "Anon 1549", 15, 49),
        ("That Anon at 23:33. was available", "Anon at 23:33", 23, 33),
        ("No doubt Anon@00:25 from the previous blog", "Anon@00:25", 0, 25),
        ("Posted my comments without seeing post @8:41.", "@8:41", 8, 41),
    ],
)
def test_mentions(comment: str, mention: str, hour: int, minute: int) -> None:
    assert find_mentions(comment) == (MentionRecord(text=mention, hour=hour, minute=minute),)


@pytest.mark.parametrize(
    "comment",
    [
        "It changed in 2014 and again in 2016.",
        "They leave prison with £46 in their pocket.",
        "They've got 'em 24/7 in jail.",
        "Funding of £1.2bn, 1.6 million claims, up 3.7 per cent.",
        "2019 was the year it all changed.",  # an opening year is a year
        "Went to 2015 conference; on 2016 figures",  # after to/on, a year is still a year
        "Scored on RM2000 and ARMS",
        "https://twitter.com/NicolaCarr/status/1089867449586073601",
        "?id=4142 and 12:345 and 25:00 and 9:60",
        "Between 10 and 20 people; 5h5 hours ago",
    ],
)
def test_not_mentions(comment: str) -> None:
    assert find_mentions(comment) == ()


def test_several_mentions_in_order() -> None:
    found = find_mentions("re 20:15 and re 20:15 again, then @21:02")
    assert [m.text for m in found] == ["re 20:15", "re 20:15", "@21:02"]


def _qualifies_as_first_written(match: re.Match[str], text: str) -> bool:
    """The rule for a loose time as it was first written: whatever comes before it, searched whole (quadratic on a
    long comment full of numbers, which the importer's version is not)."""
    if match.group("h1") is not None or match.group("address"):
        return True
    before = text[: match.start()]
    if not (re.search(r"(?:^|\W)(?:to|on)\s+$", before, re.IGNORECASE) or re.match(r"^[\W_]*$", before)):
        return False
    return not (match.group("h3") is not None and re.match(r"^(?:19|20)\d\d$", match.group(0)))


# Comments built of (word, gap, time, gap): every way a cue, an address or the opening can stand before a time.
_WORDS = st.sampled_from(
    ["to", "on", "ON", "re", "anon", "Anon at", "@", "photo", "Tó", "x", "£5", "9/11", "10%", "", "_", "!"]
)
_GAPS = st.sampled_from(["", " ", "  ", " \n ", ", ", ". "])
_TIMES = st.sampled_from(["1525", "11 34", "9.11", "20:15", "1999", "2016", "8 24", "0"])


@PROPERTY
@given(st.lists(st.tuples(_WORDS, _GAPS, _TIMES, _GAPS), min_size=1, max_size=12))
def test_loose_times_are_found_as_the_rule_was_first_written(parts: list[tuple[str, str, str, str]]) -> None:
    text = "".join("".join(part) for part in parts)
    expected = tuple(
        MentionRecord(text=m.group(0).strip(), hour=h, minute=mi)
        for m in mentions._MENTION.finditer(text)
        if _qualifies_as_first_written(m, text)
        for h, mi in [mentions._hour_minute(m)]
    )
    assert find_mentions(text) == expected


def test_a_long_comment_full_of_numbers_is_searched_once() -> None:
    """160 KB of "hh mm" pairs: each one looks back a few characters for its cue, never over all before it."""
    text = " ".join(f"{hour % 24} {10 + hour % 50}" for hour in range(30_000))
    looked_at: list[int] = []
    search = mentions._CUE_BEFORE.search

    class Counting:
        def search(self, string: str, pos: int, endpos: int) -> re.Match[str] | None:
            looked_at.append(endpos - pos)
            return search(string, pos, endpos)

    mentions._CUE_BEFORE, original = Counting(), mentions._CUE_BEFORE  # type: ignore[assignment]
    try:
        found = find_mentions(text)
    finally:
        mentions._CUE_BEFORE = original
    assert (len(found), len(looked_at), max(looked_at)) == (1, 29_999, mentions._CUE_REACH)


# -- which comment a mention means -------------------------------------------------------------------------------

A_DAY_LATER_AS_TEXT = """Monday, 7 September 2020

Open thread

Talk about the week.

3 comments:

Anonymous07 September, 2020 20:15
First!
ReplyDelete

Anonymous07 September, 2020 21:30
re 20:15 - the first one, surely.
ReplyDelete

Anonymous08 September, 2020 20:15
Back a day later, at the same minute.
ReplyDelete
"""


def test_a_mention_means_the_earlier_of_two_comments_shown_at_its_time(tmp_path: Path, db_url: str) -> None:
    """Two comments show 20:15, one before the mention and one a day after it: the mention answers the one its
    writer could read. Decided by the exact times (an export) and, where the source has none, by reading order (a
    text rendering with displayed times)."""
    export = tmp_path / "export.xml"
    export.write_text(
        small_export(
            [
                ("101", None, "2020-05-01T20:15:00.000+01:00", "First!"),
                ("102", None, "2020-05-01T21:30:00.000+01:00", "re 20:15 - the first one, surely."),
                ("103", None, "2020-05-02T20:15:00.000+01:00", "Back a day later, at the same minute."),
                ("104", "103", "2020-05-02T20:40:00.000+01:00", "Anon@20:15 welcome back"),
            ]
        ),
        encoding="utf-8",
    )
    text = tmp_path / "page.txt"
    text.write_text(A_DAY_LATER_AS_TEXT, encoding="utf-8")
    assert run("import", export, text, "--db", db_url).exit_code == 0
    rows = query(
        db_url,
        """SELECT c.blogger_id AS source, c.path, r.mention, t.blogger_id AS target,
                                   t.path AS target_path
                            FROM comment_references r JOIN comments c ON c.id = r.comment_id
                            LEFT JOIN comments t ON t.id = r.target_comment_id
                            ORDER BY coalesce(c.blogger_id, ''), c.path""",
    )
    assert rows == [
        {"source": None, "path": "0002", "mention": "re 20:15", "target": None, "target_path": "0001"},
        {"source": "102", "path": "0002", "mention": "re 20:15", "target": "101", "target_path": "0001"},
        # Both 20:15 comments came before this reply: the one of its own thread.
        {"source": "104", "path": "0003.0001", "mention": "Anon@20:15", "target": "103", "target_path": "0003"},
    ]
