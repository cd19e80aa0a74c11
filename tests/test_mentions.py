"""What is and is not a time-stamp mention (issue 2, "Time-stamp mentions")."""

from __future__ import annotations

import pytest

from importer.mentions import find_mentions
from importer.records import MentionRecord


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
