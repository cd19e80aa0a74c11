"""The declarative base every model shares: one naming convention, one way to store time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Date, DateTime, MetaData, Table, TypeDecorator
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

# Named constraints let Alembic (and its SQLite batch mode) address every one of them on every engine.
# Names stay under MySQL's 64-character limit for every table here.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC, stored without a zone (SQLite and MySQL keep none) and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # MySQL's DATETIME keeps whole seconds unless asked for more; exports carry milliseconds.
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


# MySQL/MariaDB: every character a blog holds (emoji too), and text that compares and searches as people expect
# there (case-insensitively); the natural-key columns compare byte by byte instead (models.blog.KEY).
MYSQL_TABLE = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}
ROW_ID = "Row id: a surrogate key, stable once the row is written."


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime(), date: Date()}

    if TYPE_CHECKING:
        # Every model here maps one table; SQLAlchemy types `__table__` as any FromClause (a model may map a join),
        # which would make each `Model.__table__` the store writes to a cast. Type checkers only: nothing changes.
        __table__: ClassVar[Table]


class Timestamps:
    """When a row was first written and last changed; an import that changes nothing leaves both alone."""

    created_at: Mapped[datetime] = mapped_column(comment="When blogimport first wrote this row (UTC).")
    updated_at: Mapped[datetime] = mapped_column(comment="When an import last changed this row (UTC).")
