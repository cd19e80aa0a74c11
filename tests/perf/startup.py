"""Start-up figures (issue 17): what a user waits for before blogimport does anything, which no import design removes.

    python -m tests.perf.startup [--times 10] [--json]

Prints the median wall time of `blogimport --version`, and of a no-op re-import of one source (the first seed into
a SQLite file that holds it already), each run `--times` times as a child process. The benchmark
(tests/perf/bench.py) prints the same figures after its table. Targets: 0.35 s and 0.5 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "seeds" / "000_39bd42de49eff3be.txt"  # one seed, a few dozen comments


@dataclass(frozen=True)
class Startup:
    times: int
    version_seconds: float  # median of `blogimport --version`
    noop_seconds: float  # median of a re-import of one unchanged source into SQLite

    def lines(self) -> str:
        return (
            f"start-up, median of {self.times}: `blogimport --version` {self.version_seconds:.3f} s, "
            f"no-op import of 1 source {self.noop_seconds:.3f} s"
        )


def measure(times: int = 10) -> Startup:
    blogimport = str(Path(sys.executable).with_name("blogimport"))
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'one.db'}"
        _run([blogimport, "import", str(SOURCE), "--db", db])  # the first import: the schema and the source
        noop = [blogimport, "import", str(SOURCE), "--db", db]
        return Startup(times, _median(times, [blogimport, "--version"]), _median(times, noop))


def _median(times: int, command: list[str]) -> float:
    _run(command)  # once before: the files in the page cache, as for a user's second command
    seconds = []
    for _ in range(times):
        started = time.perf_counter()
        _run(command)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, stdin=subprocess.DEVNULL, cwd=REPO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.startup", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--times", type=int, default=10, help="runs of each command (default 10)")
    parser.add_argument("--json", action="store_true", help="also print one JSON object")
    args = parser.parse_args(argv)
    figures = measure(args.times)
    print(figures.lines())
    if args.json:
        print(json.dumps(asdict(figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
