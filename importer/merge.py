"""How two versions of the same post or comment become one row (DESIGN.md, Identity: order independence).

The richer source wins each field (export > HTML > text); within one rank the longer body wins, and then the
greater body fingerprint. A field the winner lacks (NULL) is taken from the other version, so enrichment is never
lost. When neither version ranks higher, each field takes the greater value. Every rule depends on the values
only, never on which version arrived first, so importing A then B leaves the same row as B then A.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from blogimport.identity import fingerprint


def precedence(row: Mapping[str, Any]) -> tuple[int, int, str]:
    body = row["body_text"]
    return row["source_rank"], len(body), fingerprint(body)


Field = str | tuple[str, ...]  # a tuple moves together, decided by its first field (position and its path)


def merge(old: Mapping[str, Any], new: Mapping[str, Any], fields: Sequence[Field]) -> dict[str, Any]:
    """The merged row: `old` with each of `fields` decided by the rules above."""
    first, second = (new, old) if precedence(new) > precedence(old) else (old, new)
    tie = precedence(new) == precedence(old)
    merged = dict(old)
    for group in fields:
        names = (group,) if isinstance(group, str) else group
        a, b = first[names[0]], second[names[0]]
        pick = second if a is None or (tie and b is not None and b > a) else first
        merged.update({name: pick[name] for name in names})
    return merged


def changed(old: Mapping[str, Any], new: Mapping[str, Any], fields: Sequence[Field]) -> bool:
    names = [name for group in fields for name in ((group,) if isinstance(group, str) else group)]
    return any(old[name] != new[name] for name in names)
