"""What the commands print, besides errors: the import's summary line (and its JSON), a run's line, a search's
lines. Text only: the command line (cli/) decides when and where they go."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from blogimport.pipeline import RunResult
from blogimport.records import Counts, SourceRecord
from blogimport.report.search import Found, Hit
from blogimport.store import WAITING_END, RunSummary

# Bookkeeping the summary line leaves out (--json has it): comments pass through it on their way in.
INTERNAL_TABLES = {"pending_comments"}


def count_line(found: Found, limit: int | None) -> str:
    """`N posts, M comments` that match; when the limit left some out, also how many are shown."""
    line = f"{found.posts} posts, {found.comments} comments"
    shown_posts = sum(hit.kind == "post" for hit in found.hits)
    shown_comments = len(found.hits) - shown_posts
    if (shown_posts, shown_comments) == (found.posts, found.comments):
        return line
    return f"{line} match; showing {shown_posts} posts, {shown_comments} comments (--limit {limit})"


def hit_line(hit: Hit) -> str:
    """`post 12 2016-02-14 Title: excerpt` or `comment 345 post 12 0004.0002 Author: excerpt`, tab-separated."""
    if hit.kind == "post":
        return "\t".join(["post", str(hit.id), str(hit.when or ""), f"{hit.title or '(untitled)'}: {hit.excerpt}"])
    return "\t".join(
        ["comment", str(hit.id), f"post {hit.post_id}", hit.path or "", f"{hit.author or 'anonymous'}: {hit.excerpt}"]
    )


def summary_line(result: RunResult) -> str:
    """One line: what happened to the sources, then per table what changed; quiet parts are left out."""
    done = f"{len(result.sources)} of {result.total}" if result.stopped else f"{len(result.sources)}"
    parts = [_what_it_did(done, result.statuses, result.counts)]
    if result.waiting:
        parts.append(f"waiting: {result.waiting} comment{'s' if result.waiting != 1 else ''} for a post or parent")
    return "; ".join(parts)


def _what_it_did(done: str, statuses: Mapping[str, int], counts: Counts) -> str:
    """`5 sources: 5 imported, 0 unchanged, 0 failed; new: posts 7, ...; updated: none`: the summary line's core."""
    head = f"{done} sources: {statuses['imported']} imported, {statuses['unchanged']} unchanged, "
    head += f"{statuses['partial']} partial, " if statuses["partial"] else ""
    parts = [head + f"{statuses['failed']} failed"]
    for label, field in (("new", "inserted"), ("updated", "updated"), ("removed", "deleted"), ("skipped", "skipped")):
        listed = ", ".join(
            f"{name} {getattr(t, field)}"
            for name, t in counts.tallies.items()
            if getattr(t, field) and name not in INTERNAL_TABLES
        )
        if listed or label in ("new", "updated"):
            parts.append(f"{label}: {listed or 'none'}")
    return "; ".join(parts)


def run_line(run: RunSummary) -> str:
    """`12  2026-12-05 10:31:02  2026-12-05 10:31:09  succeeded  5 sources: ...`, tab-separated. A run counts what
    it did as it ends: one that has not ended shows its last heartbeat instead."""
    fields = [str(run.id), _moment(run.started_at), _moment(run.finished_at), run.state]
    if run.finished_at is None:
        fields.append(f"last heartbeat {_moment(run.heartbeat_at)}")
    else:
        fields.append(_what_it_did(str(sum(run.sources.values())), run.sources, run.counts))
    return "\t".join(fields)


def run_as_json(run: RunSummary) -> dict[str, Any]:
    ended = run.finished_at is not None
    return {
        "id": run.id,
        **{
            name: moment.isoformat(timespec="microseconds") if moment else None
            for name, moment in (
                ("started_at", run.started_at),
                ("finished_at", run.finished_at),
                ("heartbeat_at", run.heartbeat_at),
            )
        },
        "status": run.status,
        "state": run.state,
        "sources": run.sources if ended else None,
        "entities": {name: vars(tally) for name, tally in run.counts.tallies.items()} if ended else None,
    }


def _moment(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def stopped_line(result: RunResult) -> str:
    """Why the run stopped before its last source, and what to do: one line for stderr."""
    left = f"{result.remaining} of {result.total} sources left; run the same import again to finish"
    if result.interrupted:
        return f"interrupted by {result.stopped}: {left}"
    return f"Error: database error: {result.database_error} ({left})"


def result_as_json(result: RunResult) -> dict[str, Any]:
    statuses = result.statuses
    stopped = {"stopped": result.stopped, "remaining": result.remaining} if result.stopped else {}
    if result.database_error:
        stopped["database_error"] = result.database_error
    return {
        "run_id": result.run_id,
        "status": result.status,
        **stopped,
        "sources": {name: statuses[name] for name in ("imported", "unchanged", "partial", "failed")},
        "entities": {name: vars(tally) for name, tally in result.counts.tallies.items()},
        "waiting": result.waiting,
        "failures": [{"locator": s.locator, "error": s.error} for s in result.failed],
        "partial": [
            {"locator": s.locator, "waiting": s.waiting, "reason": s.error}
            for s in result.sources
            if s.status == "partial"
        ],
        "notes": [
            {"locator": s.locator, "note": s.error} for s in result.sources if s.status == "imported" and s.error
        ],
    }


def partial_line(source: SourceRecord) -> str | None:
    """For stderr: a source that holds less than it says (not one whose comments wait: the summary counts those)."""
    if source.status != "partial" or not source.error or source.error.endswith(WAITING_END):
        return None
    return f"partial: {source.locator}: {source.error}"
