"""The README's schema section, generated from the models so it cannot drift from them.

Run `python -m importer.schema_doc` to rewrite README.md between its schema markers; a test fails when the
README is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import Column, Table, UniqueConstraint
from sqlalchemy.dialects import postgresql

import models
from models.views import VIEWS

START, END = "<!-- schema:start -->", "<!-- schema:end -->"
VIEWS_INTRO = ("Created by migrations on every engine (0004 those of the blog, with the same rows on each; 0008 "
               "`run_summary`); described in `models/views.py`.")
# Reading order for people; a table missing here still appears, after these.
ORDER = ("blogs", "posts", "comments", "comment_references", "authors", "labels", "post_labels", "sources",
         "import_runs", "import_run_counts")


def schema_markdown() -> str:
    tables = models.Base.metadata.tables
    names = [*[n for n in ORDER if n in tables], *sorted(set(tables) - set(ORDER))]
    return "\n\n".join([
        "### Diagram", er_diagram([tables[name] for name in names]),
        "### Tables", *(_table(tables[name]) for name in names),
        "### Views", VIEWS_INTRO, *(_table(view) for view in VIEWS.tables.values()),
    ])


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


def _mermaid_type(column: Column) -> str:
    return _type(column).split(" ")[0].split("(")[0].lower()


def _mermaid_keys(column: Column) -> str:
    unique = any(isinstance(c, UniqueConstraint) and column.name in c.columns for c in column.table.constraints)
    marks = (("PK", column.primary_key), ("FK", bool(column.foreign_keys)), ("UK", unique))
    keys = [key for key, holds in marks if holds]
    return f" {','.join(keys)}" if keys else ""


def _table(table: Table) -> str:
    lines = [f"#### `{table.name}`", "", table.comment or "", ""]
    unique = sorted((c for c in table.constraints if isinstance(c, UniqueConstraint)),  # a set: sort it
                    key=lambda c: [col.name for col in c.columns])
    if unique:
        keys = "; ".join(f"({', '.join(col.name for col in c.columns)})" for c in unique)
        lines += [f"Unique: {keys}.", ""]
    lines += ["| column | type | description |", "|---|---|---|"]
    lines += [f"| `{c.name}` | {_type(c)} | {_describe(c)} |" for c in table.columns]
    return "\n".join(lines)


def _type(column: Column) -> str:
    name = column.type.compile(dialect=postgresql.dialect())
    name = "TIMESTAMP (UTC)" if name.startswith("TIMESTAMP") else name
    return name + ("" if column.nullable else " not null")


def _describe(column: Column) -> str:
    parts = []
    if column.primary_key and column.name == "id":
        parts.append("Row id.")
    parts += [f"→ `{fk.column.table.name}.{fk.column.name}`." for fk in column.foreign_keys]
    if column.comment:
        parts.append(column.comment)
    return " ".join(parts).replace("|", "\\|")


def rewrite(readme: Path) -> bool:
    """Put the current schema between the markers; True if the file changed."""
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    updated = f"{head}{START}\n{schema_markdown()}\n{END}{tail}"
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
    return updated != text


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    print(f"{path}: {'updated' if rewrite(path) else 'already up to date'}")
