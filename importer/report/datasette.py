"""Datasette's metadata for a blogimport database, generated from the models so it cannot drift from them.

`python -m blogimport.report.datasette [NAME]` prints it; the repository keeps the one for `blog.db` in
importer/report/datasette-metadata.json (a test fails when that file is out of date). Datasette names a database
after its file, so a file called otherwise wants its own: `python -m blogimport.report.datasette NAME > NAME.json`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Table

from blogimport import models
from blogimport.models.views import VIEWS

METADATA_FILE = Path(__file__).with_name("datasette-metadata.json")
DEFAULT_DATABASE = "blog"  # blog.db, the importer's default

# Datasette shows a search box on these tables, backed by the full-text tables of migration 0005.
SEARCHABLE = {"posts": "search_posts", "comments": "search_comments"}

QUERIES = {
    "thread": {
        "title": "A post's comments in reading order",
        "description": "Every comment on one post, threads and replies as the blog shows them.",
        "sql": "SELECT path, depth, author, published_at, display_time, replies, body_text\n"
        "FROM comment_threads\nWHERE post_id = :post_id\nORDER BY path",
    },
    "most_discussed": {
        "title": "Most discussed posts",
        "description": "Posts by number of comments, replies included.",
        "sql": "SELECT title, published_on, comments, threads, replies, labels, url\n"
        "FROM post_summary\nORDER BY comments DESC, published_on\nLIMIT 50",
    },
    "commenter_history": {
        "title": "A commenter's history",
        "description": "Everything one author wrote in comments, oldest first, with the post it is on.",
        "sql": "SELECT ct.published_at, ct.display_time, ct.post_title, ct.path, ct.replies, ct.body_text\n"
        "FROM comment_threads ct\nJOIN posts p ON p.id = ct.post_id\nWHERE ct.author = :author\n"
        "ORDER BY p.published_on, ct.post_id, ct.path",
    },
}


def metadata(database: str = DEFAULT_DATABASE) -> dict[str, Any]:
    tables = {table.name: _describe(table) for table in models.Base.metadata.sorted_tables}
    for table, fts_table in SEARCHABLE.items():
        tables[table] |= {"fts_table": fts_table, "fts_pk": "id"}
    tables |= {name: {"hidden": True} for name in SEARCHABLE.values()}
    tables |= {view.name: _describe(view) for view in VIEWS.tables.values()}
    return {
        "title": "blogimport",
        "description": "A Blogger blog as tables: posts, comments and their threads, authors, labels, and views "
        "for reports.",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }


def _describe(table: Table) -> dict[str, Any]:
    return {
        "description": _plain(table.comment),
        "columns": {column.name: _plain(column.comment) for column in table.columns},
    }


def _plain(description: str | None) -> str:
    """Datasette shows descriptions as plain text: no Markdown code marks."""
    return (description or "").replace("`", "")


def as_text(database: str = DEFAULT_DATABASE) -> str:
    return json.dumps(metadata(database), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m blogimport.report.datasette",
        description=("Print Datasette's metadata (JSON) for a blogimport database on stdout; writes no file."),
    )
    parser.add_argument(
        "name",
        nargs="?",
        default=DEFAULT_DATABASE,
        metavar="NAME",
        help=f"the database as Datasette names it, its file name without .db (default: {DEFAULT_DATABASE})",
    )
    sys.stdout.write(as_text(parser.parse_args(argv).name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
