"""blogimport: load a Blogger blog into a SQL database, idempotently."""

__version__ = "0.1.0"
