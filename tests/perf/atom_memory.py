"""Benchmark: the peak memory of `blogimport import` on a big Blogger classic export, against a 300 MB budget.

The script writes a synthetic classic export (tests/perf/synthetic_export.py, 1 GB by default) into a scratch
folder, unless --export names an existing file. It then imports that file into a fresh SQLite database in the
same folder:

    blogimport import EXPORT --db sqlite:///SCRATCH/bench.db --json

The import runs as a child process, using the `blogimport` installed next to this Python. The script measures
the child's wall time and peak resident memory. The memory figure is `getrusage(RUSAGE_CHILDREN).ru_maxrss`, the
largest resident set of any finished child. This script starts no other child, so the figure belongs to the
import alone. The export is generated in this process, before the child starts, so it is not counted.

The output is a small table, then one JSON line, e.g.
    {"bytes": 1000034384, "posts": 16794, "comments": 135605, "imported_posts": 16794, "imported_comments": 135605,
     "seconds": 160.5, "peak_rss_mb": 105.6, "limit_mb": 300, "ok": true}
Memory is in MiB (2**20 bytes). The exit code is 1 when the import fails or its peak exceeds the limit, and 0
otherwise. The scratch folder is deleted at the end, unless --keep DIR names a folder to work in and keep.

Usage:
    python -m tests.perf.atom_memory [--bytes N] [--seed S] [--export PATH] [--keep DIR] [--limit-mb MB]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.perf.synthetic_export import write_export

DEFAULT_BYTES = 1_000_000_000
LIMIT_MB = 300
DB_NAME = "bench.db"
EXPORT_NAME = "export.xml"
STDOUT_NAME = "import.stdout.json"
STDERR_NAME = "import.stderr.txt"
STDERR_TAIL_LINES = 20
# The kind term, with either quote style: `term='http://schemas.google.com/blogger/2008/kind#post'`.
KIND_TERM = re.compile(rb"blogger/2008/kind#(post|comment)['\"]")
KIND_TERM_MAX_BYTES = len(b"blogger/2008/kind#comment'")
SCAN_CHUNK_BYTES = 16 << 20


@dataclass(frozen=True)
class ExportFile:
    path: Path
    size: int
    posts: int
    comments: int
    origin: str  # how the file came to be, for the table


@dataclass(frozen=True)
class ImportRun:
    exit_code: int
    seconds: float
    peak_rss_mb: float
    report: dict[str, Any] | None  # the command's --json output, when it printed one
    stderr_tail: str
    problem: str | None  # why the run counts as failed, or None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.perf.atom_memory", description=(__doc__ or "").split("\n")[0]
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--bytes",
        dest="target_bytes",
        type=int,
        default=DEFAULT_BYTES,
        metavar="N",
        help=f"size of the synthetic export to generate (default {DEFAULT_BYTES})",
    )
    source.add_argument(
        "--export", type=Path, metavar="PATH", help="import this existing file instead of generating one"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic export (default 0)")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="work in DIR (created if missing) and keep the export, database and logs there",
    )
    parser.add_argument(
        "--limit-mb",
        type=float,
        default=LIMIT_MB,
        metavar="MB",
        help=f"peak resident memory allowed, in MiB (default {LIMIT_MB})",
    )
    args = parser.parse_args(argv)
    if args.target_bytes <= 0:
        parser.error("--bytes must be positive")
    if args.export is not None and not args.export.is_file():
        parser.error(f"--export: no such file: {args.export}")
    if args.keep is not None and args.keep.exists() and not args.keep.is_dir():
        parser.error(f"--keep: not a folder: {args.keep}")
    return args


def blogimport_executable() -> Path:
    """The `blogimport` console script of the environment this Python belongs to (a venv's bin/ or Scripts/)."""
    folder = Path(sys.executable).parent
    for name in ("blogimport", "blogimport.exe"):
        if (folder / name).is_file():
            return folder / name
    return folder / "blogimport"  # missing: the run reports it as the failure


def generated_export(folder: Path, target_bytes: int, seed: int) -> ExportFile:
    path = folder / EXPORT_NAME
    log(f"generating a {target_bytes:,}-byte synthetic export (seed {seed}) in {path} ...")
    started = time.perf_counter()
    counts = write_export(path, target_bytes, seed)
    log(f"  done in {time.perf_counter() - started:.1f} s")
    return ExportFile(path, counts["bytes"], counts["posts"], counts["comments"], f"generated, seed {seed}")


def existing_export(path: Path) -> ExportFile:
    log(f"counting the posts and comments in {path} ...")
    counts = count_kinds(path)
    return ExportFile(path.resolve(), path.stat().st_size, counts["post"], counts["comment"], "given with --export")


def count_kinds(path: Path) -> dict[str, int]:
    """Posts and comments in a classic export, from the bytes of their kind terms: fast, and in constant memory."""
    counts = {"post": 0, "comment": 0}
    overlap = KIND_TERM_MAX_BYTES - 1
    carried = b""
    with open(path, "rb") as file:
        while chunk := file.read(SCAN_CHUNK_BYTES):
            data = carried + chunk
            # A match starting in the last `overlap` bytes may run into the next chunk: count it next time.
            limit = max(0, len(data) - overlap)
            for match in KIND_TERM.finditer(data, 0, len(data)):
                if match.start() < limit:
                    counts[match.group(1).decode()] += 1
            carried = data[limit:]
    for match in KIND_TERM.finditer(carried):
        counts[match.group(1).decode()] += 1
    return counts


def run_import(executable: Path, export: Path, folder: Path, limit_mb: float) -> ImportRun:
    """Run the import as a child; its output goes to files in `folder`, so a chatty child costs us no memory."""
    database = folder / DB_NAME
    for stale in folder.glob(f"{DB_NAME}*"):  # a kept folder's old database would make the import a no-op
        stale.unlink()
    command = [str(executable), "import", str(export), "--db", f"sqlite:///{database}", "--json"]
    log(f"running: {' '.join(command)}")
    if resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss:
        log("warning: this process already had a child; the peak below may be that child's")
    stdout_path, stderr_path = folder / STDOUT_NAME, folder / STDERR_NAME
    started = time.perf_counter()
    try:
        with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
            exit_code = subprocess.run(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL).returncode
    except OSError as error:
        return ImportRun(-1, 0.0, 0.0, None, "", f"could not start {executable}: {error.strerror}")
    seconds = time.perf_counter() - started
    peak_mb = peak_rss_mb_of_children()
    report = read_json_report(stdout_path)
    stderr_tail = tail(stderr_path, STDERR_TAIL_LINES)
    return ImportRun(
        exit_code, seconds, peak_mb, report, stderr_tail, failure_reason(exit_code, report, peak_mb, limit_mb)
    )


def peak_rss_mb_of_children() -> float:
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def read_json_report(path: Path) -> dict[str, Any] | None:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None
    return report if isinstance(report, dict) else None


def tail(path: Path, lines: int) -> str:
    try:
        with open(path, "rb") as file:
            file.seek(max(0, file.seek(0, 2) - 64 * 1024))  # the end is enough, however long the log grew
            text = file.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def failure_reason(exit_code: int, report: dict[str, Any] | None, peak_mb: float, limit_mb: float) -> str | None:
    if exit_code != 0:
        return f"the import failed (exit code {exit_code})"
    if report is None or report.get("status") != "succeeded":
        return "the import printed no --json report saying it succeeded"
    if peak_mb > limit_mb:
        return f"peak memory {peak_mb:.1f} MiB is over the {limit_mb:g} MiB limit"
    return None


def imported_counts(report: dict[str, Any] | None) -> dict[str, int]:
    """Rows the import inserted, per table, from its --json report."""
    entities = (report or {}).get("entities", {})
    return {name: tally.get("inserted", 0) for name, tally in entities.items() if isinstance(tally, dict)}


def result_line(export: ExportFile, run: ImportRun, limit_mb: float) -> dict[str, Any]:
    return {
        "bytes": export.size,
        "posts": export.posts,
        "comments": export.comments,
        "imported_posts": imported_counts(run.report).get("posts", 0),
        "imported_comments": imported_counts(run.report).get("comments", 0),
        "seconds": round(run.seconds, 1),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "limit_mb": int(limit_mb) if float(limit_mb).is_integer() else limit_mb,
        "ok": run.problem is None,
    }


def table(export: ExportFile, run: ImportRun, limit_mb: float) -> list[str]:
    inserted = imported_counts(run.report)
    rows = [
        ("export", f"{export.path} ({export.origin})"),
        ("size", f"{export.size:,} bytes"),
        ("in the file", f"{export.posts:,} posts, {export.comments:,} comments"),
        ("imported", ", ".join(f"{name} {count:,}" for name, count in inserted.items()) or "-"),
        ("exit code", str(run.exit_code)),
        ("wall time", f"{run.seconds:.1f} s"),
        ("peak RSS", f"{run.peak_rss_mb:.1f} MiB (limit {limit_mb:g} MiB)"),
        ("result", "OK" if run.problem is None else f"FAILED: {run.problem}"),
    ]
    if inserted and (inserted.get("posts"), inserted.get("comments")) != (export.posts, export.comments):
        # Not a failure: drafts or deleted comments may be left out by design. But a fast, lean import that drops
        # rows proves little, so say so.
        rows.append(("note", "the imported posts/comments differ from the file's"))
    width = max(len(name) for name, _ in rows)
    return [f"{name:<{width}}  {value}" for name, value in rows]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def benchmark(args: argparse.Namespace, folder: Path) -> int:
    export = existing_export(args.export) if args.export else generated_export(folder, args.target_bytes, args.seed)
    run = run_import(blogimport_executable(), export.path, folder, args.limit_mb)
    for line in table(export, run, args.limit_mb):
        print(line)
    if run.problem is not None and run.stderr_tail:
        print("last lines of the import's stderr:")
        print("\n".join(f"  | {line}" for line in run.stderr_tail.splitlines()))
    print(json.dumps(result_line(export, run, args.limit_mb)), flush=True)
    return 0 if run.problem is None else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        return benchmark(args, args.keep.resolve())
    folder = Path(tempfile.mkdtemp(prefix="blogimport-atom-memory-"))
    try:
        return benchmark(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
