"""Sources: which files a PATH argument means, and what format each one is (told from content, not name)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from importer.errors import UnsupportedFormat

_SNIFF_BYTES = 8192


def discover(paths: Iterable[Path]) -> list[Path]:
    """Every file named, and every file under every folder named (hidden ones aside), each once, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path))))
        else:
            found.append(path)
    return list(dict.fromkeys(p.resolve() for p in found))


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def sniff(data: bytes, locator: str, forced: str | None = None) -> str:
    """The format of a source's bytes; `forced` (from --format) skips the guess but not the sanity checks."""
    if not data.strip():
        raise UnsupportedFormat(locator, "empty file")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise UnsupportedFormat(locator, "binary file: not a text rendering, saved page or export")
    return forced or "text"
