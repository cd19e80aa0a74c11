"""Records -> rows, and the database they live in. What the pipeline and the command line use is here; the rest is
the store's own: posts (blogs, posts, labels; a source's document), comments (reply trees), waiting (an export's
comments, parked and placed in sets), references (time-stamp mentions), rows (find by Blogger id or natural key,
merge), sql (each engine's statements), runs (the import's bookkeeping), db (URL, engines, connections, what errors
mean), schema (made or checked), rekeying (for revisions that change the identity rules).

The store knows records, never where they came from: no parser, no source, no terminal."""

from blogimport.store.db import (
    DatabaseURL,
    check_reachable,
    connected,
    drop,
    is_contention,
    is_fault,
    make_engine,
    new_engine,
    require_existing,
)
from blogimport.store.posts import save_source
from blogimport.store.runs import (
    WAITING_END,
    Heartbeat,
    LastImport,
    RunSummary,
    extend_lease,
    finish_run,
    last_imports,
    recent_runs,
    record_source,
    record_unchanged,
    refreshed,
    start_run,
)
from blogimport.store.schema import alembic_config, ensure_schema

__all__ = [
    "WAITING_END",
    "DatabaseURL",
    "Heartbeat",
    "LastImport",
    "RunSummary",
    "alembic_config",
    "check_reachable",
    "connected",
    "drop",
    "ensure_schema",
    "extend_lease",
    "finish_run",
    "is_contention",
    "is_fault",
    "last_imports",
    "make_engine",
    "new_engine",
    "recent_runs",
    "record_source",
    "record_unchanged",
    "refreshed",
    "require_existing",
    "save_source",
    "start_run",
]
