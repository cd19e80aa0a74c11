"""Every real saved page's parse, as a canonical JSON file: the golden files of tests/test_html_golden.py.

    python -m tests.html_golden          # writes tests/fixtures/html_parsed/<page>.json again
    python -m tests.html_golden --check  # only compares, naming the pages that differ

The pages are every *.html / *.htm in tests/fixtures/ and tests/fixtures/formats/ (copies of ../shared/formats/).
A golden file is the page's Document as dataclasses.asdict gives it (entries read whole), dates and times in ISO
8601, keys sorted: a parser change that alters one byte of what any page yields shows as a difference. Write them
again only when that change is meant (and bump the parser's version in formats/__init__.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from datetime import date, datetime
from pathlib import Path

from blogimport.formats import html

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = FIXTURES / "html_parsed"


def pages() -> list[Path]:
    found = [path for folder in (FIXTURES, FIXTURES / "formats") for path in folder.iterdir()]
    return sorted((path for path in found if path.suffix in (".html", ".htm")), key=lambda path: path.name)


def golden_path(page: Path) -> Path:
    return GOLDEN / f"{page.name}.json"


def serialised(page: Path) -> str:
    """The page's Document as the current parser reads it, in the golden files' form."""
    with page.open("rb") as stream:
        document = html.parse(stream, page.name)
    whole = asdict(replace(document, entries=tuple(document.entries)))
    return json.dumps(whole, default=_iso, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _iso(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not serialisable: {value!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.html_golden", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 naming the pages that differ")
    args = parser.parse_args(argv)
    differ = []
    for page in pages():
        text = serialised(page)
        target = golden_path(page)
        if args.check:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                differ.append(page.name)
            continue
        GOLDEN.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for name in differ:
        print(f"differs: {name}", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
