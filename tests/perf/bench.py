"""Benchmark: how fast `blogimport import` loads a realistic blog, against floors measured in the same run.

    python -m tests.perf.bench --size M --db sqlite --db postgresql+psycopg://postgres@127.0.0.1/postgres [--json]

For each input format (text renderings, saved HTML pages, the Takeout feed.atom of the corpus that
tests/perf/corpus.py writes) and each engine (`--db sqlite` for a new file, or an admin URL of a server, on
which a new database is made for every import and dropped after), it measures:

* the first import, end to end (`blogimport import PATH --db URL --json --jobs J` as a child process): seconds,
  comments per second, and the peak resident memory of its largest process;
* the floors (tests/perf/floors.py): parse-only time of the same files, and a raw driver insert of the final rows;
  the floor rate is 1 / (1/parse-only rate + 1/raw-insert rate) and `ratio` is the import's rate over it;
* a no-op re-import, and a re-import after 1% of the sources changed (tests/perf/corpus.py change_sources), as
  fractions of the first import's time. An export is one source: a changed export is parsed again whole, so
  there the second figure is not measured (null).

HTML and the export are also imported with `--jobs 1`, to show what the parsing workers bring, or cost (not with
--no-single); HTML is measured against a second floor, lxml.html's parse of the same pages plus the raw insert
(`lxml_ratio`, issue 17). After them, the start-up figures (tests/perf/startup.py: medians of `--startup-times`
runs, 10 by default, of `blogimport --version` and of a no-op import of one source). The table and the start-up
line go to stdout, then (with --json, alone) one JSON object: {"size", "results": [{"format", "engine", "comments",
"seconds", "rate", "floor_rate", "ratio", "noop_fraction", "changed_fraction", "peak_rss_mb", "jobs", ...}, ...],
"startup": {"times", "version_seconds", "noop_seconds"} or null}.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import make_url

from blogimport.workers import default_jobs
from tests.perf import bench_web, floors, startup
from tests.perf.corpus import SIZES, change_sources, generate
from tests.perf.floor_lxml import lxml_parse_seconds

FORMATS = {"text": "text", "html": "html", "atom": "takeout"}  # benchmark format -> corpus form
CHANGED = 0.01


@dataclass
class Result:
    format: str
    engine: str
    jobs: int
    comments: int
    seconds: float
    rate: float
    parse_seconds: float
    insert_seconds: float
    floor_rate: float
    ratio: float
    noop_fraction: float | None
    changed_fraction: float | None
    peak_rss_mb: float
    download_seconds: float | None = None  # web: every response fetched again, nothing parsed or written
    requests: int | None = None  # web: what the import asked the server
    lxml_parse_seconds: float | None = None  # html only: lxml.html's parse of the pages (tests/perf/floor_lxml.py)
    lxml_ratio: float | None = None  # against that floor: (lxml parse + raw insert) / import


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    scratch = Path(tempfile.mkdtemp(prefix="blogimport-bench-", dir=args.scratch))
    try:
        corpus = args.corpus or scratch / "corpus"
        manifest = (
            None
            if args.corpus
            else generate(
                corpus,
                size=args.size,
                seed=args.seed,
                posts=args.posts,
                formats=[FORMATS[f] for f in args.formats if f in FORMATS],
            )
        )
        _log(
            f"corpus in {corpus}" + (f": {manifest.posts:,} posts, {manifest.comments:,} comments" if manifest else "")
        )
        results = [
            result
            for fmt in args.formats
            for db in args.db
            for result in (
                [_measure_web(db, args, scratch)]
                if fmt == "web"
                else _measure(fmt, db, corpus, scratch, args.jobs, args.single)
            )
        ]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # tests/perf/startup.py: the part of every import that no import design removes
    started = startup.measure(args.startup_times) if args.startup_times else None
    print(_table(results))
    if started:
        print(started.lines())
    if args.json:
        report = {"size": _size(args), "results": [asdict(r) for r in results]}
        print(json.dumps(report | {"startup": asdict(started) if started else None}))
    return 0


def _size(args: argparse.Namespace) -> str:
    """The corpus's size: as generated, or as the manifest of a given corpus says."""
    if args.corpus:
        manifest = args.corpus / "manifest.json"
        return str(json.loads(manifest.read_text())["size"]) if manifest.is_file() else "unknown"
    return str(args.size) if args.posts is None else f"{args.posts} posts"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="S")
    parser.add_argument("--posts", type=int, help="a corpus of this many posts instead of --size's")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--db",
        action="append",
        metavar="URL",
        help="'sqlite', or an admin URL of a PostgreSQL server (repeatable; default sqlite)",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=[*FORMATS, "web"],
        help="repeatable; default every file format (web, a blog fetched from a local server, only when asked)",
    )
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="--jobs of the imports (default: cores)")
    parser.add_argument(
        "--no-single",
        dest="single",
        action="store_false",
        help="skip the second import of html and atom with --jobs 1 (an L corpus takes half an hour more)",
    )
    parser.add_argument("--corpus", type=Path, help="use a corpus written by tests.perf.corpus instead")
    parser.add_argument("--scratch", type=Path, help="folder for the scratch files (default: the system's temp)")
    parser.add_argument(
        "--startup-times", type=int, default=10, help="runs of each start-up figure (default 10; 0: not measured)"
    )
    parser.add_argument("--json", action="store_true", help="also print one JSON object")
    args = parser.parse_args(argv)
    args.db = args.db or ["sqlite"]
    args.formats = args.formats or list(FORMATS)
    return args


def _measure_web(db: str, args: argparse.Namespace, scratch: Path) -> Result:
    def importer(arguments: list[str], url: str) -> _Run:
        return _import_command([*arguments, "--db", url, "--json", "--jobs", str(args.jobs)])

    figures = bench_web.measure(
        db,
        args.size,
        args.posts,
        args.seed,
        scratch,
        _database,
        importer,
        _log,
    )
    return Result(jobs=args.jobs, **figures)


def _measure(fmt: str, db: str, corpus: Path, scratch: Path, jobs: int, single: bool) -> Iterator[Result]:
    engine = "sqlite" if db == "sqlite" else make_url(db).get_backend_name()
    work = scratch / f"{fmt}-{engine}"
    source = _working_copy(corpus, FORMATS[fmt], work)
    _log(f"{fmt} -> {engine}: parse-only ...")
    parse_seconds = floors.parse_only_seconds(source)
    lxml_seconds = lxml_parse_seconds(source) if fmt == "html" else None
    for job_count in [jobs, 1] if fmt in ("html", "atom") and jobs > 1 and single else [jobs]:
        with _database(db, work) as url, _database(db, work) as empty:
            result = _import_runs(fmt, engine, source, url, empty, job_count, parse_seconds, changes=job_count == jobs)
            yield _with_lxml_floor(result, lxml_seconds)
        if job_count == jobs and fmt != "atom":
            source = _working_copy(corpus, FORMATS[fmt], work)  # undo the changed sources for the next run


def _import_runs(
    fmt: str, engine: str, source: Path, url: str, empty: str, jobs: int, parse_seconds: float, changes: bool
) -> Result:
    _log(f"{fmt} -> {engine}, --jobs {jobs}: first import ...")
    first = _import(source, url, jobs)
    comments = first.report["entities"]["comments"]["inserted"]
    _log(f"{fmt} -> {engine}: raw insert of the final rows ...")
    floors.migrate(empty)
    insert_seconds = floors.raw_insert_seconds(url, empty)
    noop = changed = None
    if changes:
        noop = _import(source, url, jobs).seconds / first.seconds
        if fmt != "atom":
            change_sources(source, CHANGED)
            changed = _import(source, url, jobs).seconds / first.seconds
    floor_seconds = parse_seconds + insert_seconds
    return Result(
        format=fmt,
        engine=engine,
        jobs=jobs,
        comments=comments,
        seconds=round(first.seconds, 4),
        rate=round(comments / first.seconds),
        parse_seconds=round(parse_seconds, 4),
        insert_seconds=round(insert_seconds, 4),
        floor_rate=round(comments / floor_seconds),
        ratio=round(floor_seconds / first.seconds, 3),
        noop_fraction=None if noop is None else round(noop, 4),
        changed_fraction=None if changed is None else round(changed, 4),
        peak_rss_mb=round(first.peak_rss_mb, 1),
    )


def _with_lxml_floor(result: Result, lxml_seconds: float | None) -> Result:
    if lxml_seconds is not None:
        result.lxml_parse_seconds = round(lxml_seconds, 4)
        result.lxml_ratio = round((lxml_seconds + result.insert_seconds) / result.seconds, 3)
    return result


@dataclass
class _Run:
    seconds: float
    peak_rss_mb: float
    report: dict[str, Any]


def _import(path: Path, url: str, jobs: int) -> _Run:
    """The import as a child of tests/perf/peak.py, which times it and reaps it with wait4 for its own resource
    usage: ru_maxrss is the largest resident set of the import or of any parsing worker it waited for."""
    return _import_command([str(path), "--db", url, "--json", "--jobs", str(jobs)])


def _import_command(arguments: list[str]) -> _Run:
    command = [_blogimport(), "import", *arguments]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
        measured = Path(tmp) / "peak.json"
        done = subprocess.run(
            [sys.executable, "-m", "tests.perf.peak", str(measured), *command],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=Path(__file__).resolve().parents[2],
        )
        out.seek(0)
        err.seek(0)
        if done.returncode != 0:
            raise SystemExit(f"the import failed ({done.returncode}): {err.read().decode(errors='replace')[-2000:]}")
        figures = json.loads(measured.read_text())
        return _Run(figures["seconds"], figures["peak_rss_mb"], json.loads(out.read()))


def _blogimport() -> str:
    return str(Path(sys.executable).with_name("blogimport"))


def _working_copy(corpus: Path, form: str, work: Path) -> Path:
    """A copy of one form of the corpus that the run may change; an export is used where it lies."""
    original = corpus / form
    if form == "takeout":
        return next(original.rglob("feed.atom"))
    copy = work / form
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(original, copy)
    return copy


@contextmanager
def _database(db: str, work: Path) -> Iterator[str]:
    """A new, empty database: a file for 'sqlite', else one made on the server and dropped after."""
    if db == "sqlite":
        work.mkdir(parents=True, exist_ok=True)
        path = work / f"{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}"
        return
    name = f"blogimport_bench_{uuid.uuid4().hex[:12]}"
    floors.execute_admin(db, f"CREATE DATABASE {name}")
    try:
        yield make_url(db).set(database=name).render_as_string(hide_password=False)
    finally:
        floors.execute_admin(db, f"DROP DATABASE {name} WITH (FORCE)")


def _table(results: list[Result]) -> str:
    head = (
        "format",
        "engine",
        "jobs",
        "comments",
        "seconds",
        "comments/s",
        "parse s",
        "insert s",
        "floor/s",
        "ratio",
        "lxml ratio",
        "no-op",
        "1% changed",
        "peak MB",
    )
    rows = [
        (
            r.format,
            r.engine,
            r.jobs,
            f"{r.comments:,}",
            f"{r.seconds:.1f}",
            f"{r.rate:,}",
            f"{r.parse_seconds:.1f}",
            f"{r.insert_seconds:.1f}",
            f"{r.floor_rate:,}",
            f"{r.ratio:.2f}",
            "-" if r.lxml_ratio is None else f"{r.lxml_ratio:.2f}",
            _percent(r.noop_fraction),
            _percent(r.changed_fraction),
            f"{r.peak_rss_mb:.0f}",
        )
        for r in results
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(head, *rows, strict=True)]
    return "\n".join("  ".join(str(x).rjust(w) for x, w in zip(row, widths, strict=True)) for row in [head, *rows])


def _percent(fraction: float | None) -> str:
    return "-" if fraction is None else f"{fraction:.1%}"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
