"""The merge rule is a function of the values only, so the order sources arrive in does not matter."""

from __future__ import annotations

from itertools import permutations
from typing import Any

from blogimport.store.rows import merge

FIELDS = (("position", "path"), "author_id", "body_text", "source_rank")


def row(**values: Any) -> dict[str, Any]:
    return {"position": None, "path": "0001", "author_id": None, "body_text": "hi", "source_rank": 1, **values}


def test_richer_source_wins_and_nulls_never_overwrite() -> None:
    text = row(position=5, path="0005", body_text="Hello there")
    export = row(author_id=7, body_text="Hello there", source_rank=3)
    expected = row(position=5, path="0005", author_id=7, body_text="Hello there", source_rank=3)
    assert merge(text, export, FIELDS) == merge(export, text, FIELDS) == expected


def test_within_a_rank_the_longer_body_wins() -> None:
    short, long = row(body_text="Hello"), row(body_text="Hello there")
    assert merge(short, long, FIELDS)["body_text"] == merge(long, short, FIELDS)["body_text"] == "Hello there"


def test_a_tie_takes_the_greater_value_of_each_field() -> None:
    a, b = row(position=3, path="0003", author_id=2), row(position=4, path="0004", author_id=1)
    assert merge(a, b, FIELDS) == merge(b, a, FIELDS) == row(position=4, path="0004", author_id=2)


def test_position_and_path_move_together() -> None:
    html = row(path="0002", body_text="x", source_rank=2)  # no displayed number: path from its order
    text = row(position=7, path="0007", body_text="x")
    assert merge(html, text, FIELDS)["position"] == 7
    assert merge(html, text, FIELDS)["path"] == "0007"


def test_three_versions_merge_alike_in_every_order() -> None:
    versions = [row(position=2, path="0002"), row(author_id=4, source_rank=2), row(body_text="hi!", source_rank=1)]
    results = set()
    for order in permutations(versions):
        merged = order[0]
        for version in order[1:]:
            merged = merge(merged, version, FIELDS)
        results.add(tuple(sorted(merged.items())))
    assert len(results) == 1
