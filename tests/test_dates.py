"""Dates as pages print them, in the languages Blogger pages come in."""

from __future__ import annotations

from datetime import date

import pytest

from blogimport.formats.dates import find_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Freitag, 5. Juni 2015", date(2015, 6, 5)),
        ("Thursday, May 30, 2019", date(2019, 5, 30)),
        ("Mai 03, 2017", date(2017, 5, 3)),
        ("Samstag, 5. Oktober 2013", date(2013, 10, 5)),
        ("5 de junio de 2015", date(2015, 6, 5)),
        ("mercredi 2 décembre 2020", date(2020, 12, 2)),
        ("2016-05-08T00:55:00-07:00", date(2016, 5, 8)),
        ("Posted on Sept. 9, 2012 by Al", date(2012, 9, 9)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert find_date(text) == expected


@pytest.mark.parametrize("text", ["12:55 AM", "Blackswan", "31 February 2015", "May 2019", "Labels: travel, 2019"])
def test_not_dates(text: str) -> None:
    assert find_date(text) is None
