"""The schema's documentation (docs/schema.md), generated from the models so it cannot drift from them.

`python -m blogimport.report.schema_doc` prints it; `--write` puts it in docs/schema.md between its schema markers,
`--check` says whether it is there already. A test fails when docs/schema.md is out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table, UniqueConstraint
from sqlalchemy.dialects import postgresql

from blogimport import models
from blogimport.models.views import VIEWS

START, END = "<!-- schema:start -->", "<!-- schema:end -->"
VIEWS_INTRO = (
    "Created by migrations on every engine (0004 those of the blog, with the same rows on each; 0009 "
    "`run_summary`); described in `models/views.py`."
)
# Reading order for people; a table missing here still appears, after these.
ORDER = (
    "blogs",
    "posts",
    "comments",
    "comment_references",
    "authors",
    "labels",
    "post_labels",
    "sources",
    "import_runs",
    "import_run_counts",
)


def schema_markdown() -> str:
    tables = models.Base.metadata.tables
    names = [*[n for n in ORDER if n in tables], *sorted(set(tables) - set(ORDER))]
    return "\n\n".join(
        [
            "## Diagram",
            er_diagram([tables[name] for name in names]),
            "## Tables",
            *(_table(tables[name]) for name in names),
            "## Views",
            VIEWS_INTRO,
            *(_table(view) for view in VIEWS.tables.values()),
        ]
    )


def er_diagram(tables: list[Table]) -> str:
    """A Mermaid erDiagram: every table with its columns, and a line for every foreign key."""
    lines = ["```mermaid", "erDiagram"]
    for table in tables:
        lines.append(f"    {table.name} {{")
        lines += [f"        {_mermaid_type(c)} {c.name}{_mermaid_keys(c)}" for c in table.columns]
        lines.append("    }")
    for table in tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                # Many rows of this table point at one row of the other (or at none, when the column may be NULL).
                many, one = "}o", "o|" if column.nullable else "||"
                lines.append(f"    {table.name} {many}--{one} {fk.column.table.name} : {column.name}")
    return "\n".join([*lines, "```"])


def _mermaid_type(column: Column[Any]) -> str:
    return _type(column).split(" ")[0].split("(")[0].lower()


def _mermaid_keys(column: Column[Any]) -> str:
    unique = any(isinstance(c, UniqueConstraint) and column.name in c.columns for c in column.table.constraints)
    marks = (("PK", column.primary_key), ("FK", bool(column.foreign_keys)), ("UK", unique))
    keys = [key for key, holds in marks if holds]
    return f" {','.join(keys)}" if keys else ""


def _table(table: Table) -> str:
    lines = [f"### `{table.name}`", "", table.comment or "", ""]
    unique = sorted(
        (c for c in table.constraints if isinstance(c, UniqueConstraint)),  # a set: sort it
        key=lambda c: [col.name for col in c.columns],
    )
    if unique:
        keys = "; ".join(f"({', '.join(col.name for col in c.columns)})" for c in unique)
        lines += [f"Unique: {keys}.", ""]
    lines += ["| column | type | description |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {_type(c)} | {_describe(c)} |" for c in table.columns]
    return "\n".join(lines)


def _type(column: Column[Any]) -> str:
    # SQLAlchemy's dialect classes leave their constructors (**kwargs) untyped.
    name = column.type.compile(dialect=postgresql.dialect())  # type: ignore[no-untyped-call]
    name = "TIMESTAMP (UTC)" if name.startswith("TIMESTAMP") else name
    return name + ("" if column.nullable else " not null")


def _describe(column: Column[Any]) -> str:
    parts = []
    if column.primary_key and column.name == "id":
        parts.append("Row id.")
    parts += [f"→ `{fk.column.table.name}.{fk.column.name}`." for fk in column.foreign_keys]
    if column.comment:
        parts.append(column.comment)
    return " ".join(parts).replace("|", "\\|")


def with_schema(document: str) -> str:
    """The document's text with the current schema between its markers."""
    if START not in document or END not in document.split(START, 1)[1]:
        raise ValueError(f"no {START} ... {END} markers")
    head, rest = document.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{schema_markdown()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m blogimport.report.schema_doc",
        description=(
            "Print the schema's documentation, generated from the models; with --write, put it into FILE between its "
            "schema markers, with --check, exit 1 if FILE's is out of date. Writes no file without --write."
        ),
    )
    parser.add_argument(
        "readme",
        nargs="?",
        type=Path,
        default=Path("docs/schema.md"),
        metavar="FILE",
        help="the file for --write and --check (default: docs/schema.md)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the section in FILE, in place")
    mode.add_argument("--check", action="store_true", help="exit 1 if FILE's section is not the current one")
    args = parser.parse_args(argv)
    if not (args.write or args.check):
        print(schema_markdown())
        return 0
    try:
        text = args.readme.read_text(encoding="utf-8")
        updated = with_schema(text)
    except (OSError, ValueError) as error:
        print(f"error: {args.readme}: {error}", file=sys.stderr)
        return 1
    if updated == text:
        print(f"{args.readme}: up to date")
        return 0
    if args.check:
        print(f"{args.readme}: out of date; run: python -m blogimport.report.schema_doc --write", file=sys.stderr)
        return 1
    args.readme.write_text(updated, encoding="utf-8")
    print(f"{args.readme}: updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
