"""Numbers in pages and exports (blogimport.formats.numbers): ASCII digits that fit their column, or nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from blogimport.formats import numbers
from blogimport.models.blog import BLOGGER_ID


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24", 24),
        (" 0042 ", 42),
        ("0", 0),
        ("000", 0),
        (str(2**31 - 1), 2**31 - 1),
        (str(2**31), None),
        ("99999999999", None),
        ("9" * 5_000, None),
        ("0" * 5_000 + "7", 7),
        ("\u00b2", None),
        ("\u0662\u0664", None),
        ("-3", None),
        ("3.0", None),
        ("", None),
        (None, None),
    ],
)
def test_a_count_is_ascii_digits_an_integer_column_holds(text: str | None, expected: int | None) -> None:
    assert numbers.count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1559861280938", datetime(2019, 6, 6, 22, 48, 0, 938000, tzinfo=UTC)),
        ("0", datetime(1970, 1, 1, tzinfo=UTC)),
        ("253402214400000", datetime(9999, 12, 31, tzinfo=UTC)),  # the last moment there is
        ("253402214400001", None),
        ("9" * 30, None),
        ("9" * 5_000, None),
        ("\u00b2\u00b3", None),
        ("", None),
    ],
)
def test_milliseconds_are_a_moment_python_holds(text: str, expected: datetime | None) -> None:
    assert numbers.from_millis(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5705526651659233718", True),
        ("1" * 32, True),
        ("1" * 33, False),
        ("\u0662\u0664", False),
        ("12a", False),
        ("", False),
        (None, False),
    ],
)
def test_a_blogger_id_is_ascii_digits_its_column_holds(text: str | None, expected: bool) -> None:
    assert numbers.is_blogger_id(text) is expected


def test_the_longest_id_is_the_columns_size() -> None:
    assert BLOGGER_ID.length == numbers.ID_DIGITS
