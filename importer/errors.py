"""The importer's expected failures. the command line (cli/) turns them into one-line messages."""

from __future__ import annotations


class ImporterError(Exception):
    """Base class: a failure the user can act on, reported without a traceback."""


class SourceError(ImporterError):
    """A source (file) could not be read or parsed. Names the file and, when known, the line."""

    def __init__(self, locator: str, reason: str, line: int | None = None) -> None:
        self.locator = locator
        self.reason = reason
        self.line = line
        where = f"{locator}:{line}" if line is not None else locator
        super().__init__(f"{where}: {reason}")


class UnsupportedFormat(SourceError):
    """The bytes are not any format we read (binary, empty, unknown)."""


class ParseError(SourceError):
    """The format was recognised but the content does not make sense."""


class SchemaError(ImporterError):
    """The database is not at the revision this version of blogimport writes."""


class DatabaseUnavailable(ImporterError):
    """The database could not be reached or opened. The message names it without its password."""


class DriverMissing(DatabaseUnavailable):
    """The database's driver is not installed. The message names the extra that installs one."""


class FetchError(SourceError):
    """A URL could not be fetched (refused, missing, private, too large, the network down). Names the URL."""
