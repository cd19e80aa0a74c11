"""Full-text search over posts (title and text) and comments, in each engine's own way.

* SQLite: FTS5 tables search_posts and search_comments over the tables' own rows, kept in step by triggers on
  every insert, update and delete (so the importer's writes keep them current).
* PostgreSQL: GIN indexes over to_tsvector('simple', ...): 'simple' because blogs are in every language
  (no stemming, no stopwords).
* MySQL/MariaDB: FULLTEXT indexes, without a stopword list; words shorter than the server's
  innodb_ft_min_token_size (3) are not indexed, and importer/report/search.py looks for those in the text itself.

These live only in migrations: Alembic's comparison with the models leaves them out (migrations/env.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The text PostgreSQL indexes. Its parser reads 'that/it', 'www.example.com' or 'me@example.com' as one token
# (a path, a host, an address), in which no word would be found; with / @ . < > & made spaces, words are words
# there as on the other engines.
SEPARATED = "translate({}, '/@.<>&', '      ')"
POST_TEXT = SEPARATED.format("coalesce(title, '') || ' ' || body_text")
COMMENT_TEXT = SEPARATED.format("body_text")
SEARCHED = {"posts": ("title", "body_text"), "comments": ("body_text",)}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, columns in SEARCHED.items():
            _sqlite_index(table, columns)
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ft_posts ON posts USING gin (to_tsvector('simple', {POST_TEXT}))")
        op.execute(f"CREATE INDEX ft_comments ON comments USING gin (to_tsvector('simple', {COMMENT_TEXT}))")
    else:
        # Every word indexed, stopwords too ("the", "was"), as on the other engines: the setting in force when
        # an index is created stays with it.
        op.execute("SET SESSION innodb_ft_enable_stopword = OFF")
        # ALGORITHM=COPY: built in place, MariaDB 10.11 leaves a FULLTEXT index empty of the rows already there
        # when the table had one before (a downgrade and upgrade again); see MDEV-35183.
        op.execute("CREATE FULLTEXT INDEX ft_posts ON posts (title, body_text) ALGORITHM=COPY")
        op.execute("CREATE FULLTEXT INDEX ft_comments ON comments (body_text) ALGORITHM=COPY")
        op.execute("SET SESSION innodb_ft_enable_stopword = DEFAULT")


def _sqlite_index(table: str, columns: tuple[str, ...]) -> None:
    index = f"search_{table}"
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    # remove_diacritics 0: 'cafe' does not find 'café', as on PostgreSQL's 'simple' configuration.
    op.execute(
        f"CREATE VIRTUAL TABLE {index} USING fts5({names}, content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    op.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")  # what is already there
    op.execute(
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new}); END"
    )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in SEARCHED:
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER search_{table}_{trigger}")
            op.execute(f"DROP TABLE search_{table}")
    else:
        op.drop_index("ft_comments", table_name="comments")
        op.drop_index("ft_posts", table_name="posts")
