"""The stress run (issue 13, point 1): the tests that stop, kill, race and cut imports, again and again, while a full
test suite runs beside them for load; prints how often each test failed.

    python -m tests.stress [--rounds 20] [--moments 10] [--workers 0] [--no-load] [--json]

Each round runs tests/test_crash.py, test_interrupts.py, test_signal_moments.py, test_concurrency.py and
test_database_faults.py once (one process, one test at a time); `--moments` is the signals per engine that
test_signal_moments.py sends each round (20 rounds of 10 on two engines: 400), at moments drawn with the round's
number as seed. The load is `pytest -q` over the whole suite, started again whenever it ends and stopped with the last
round. Set the server variables as for the tests (README, development notes). Exit code 0 when every test passed in
every round.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STRESSED = [
    "tests/test_crash.py",
    "tests/test_interrupts.py",
    "tests/test_signal_moments.py",
    "tests/test_concurrency.py",
    "tests/test_database_faults.py",
]
MOMENTS_VAR = "BLOGIMPORT_SIGNAL_MOMENTS"  # read by tests/test_signal_moments.py
SEED_VAR = "BLOGIMPORT_SIGNAL_SEED"  # its random moments: round N uses seed N, so each round tries new ones


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.stress", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="times each test runs (default 20)")
    parser.add_argument("--moments", type=int, default=10, help="signals per engine per round (default 10)")
    parser.add_argument("--workers", type=int, default=0, help="pytest-xdist workers per round (default 0: in turn)")
    parser.add_argument("--no-load", action="store_true", help="without the full suite running beside")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")
    args = parser.parse_args()
    runs, failures = Counter[str](), Counter[str]()
    started = time.monotonic()
    with _load(not args.no_load) as suites:
        for number in range(1, args.rounds + 1):
            outcomes = _round(number, args.moments, args.workers)
            runs.update(outcomes.keys())  # each test once; update(dict) would add the booleans
            failures.update(name for name, ok in outcomes.items() if not ok)
            failed = sorted(name for name, ok in outcomes.items() if not ok)
            print(
                f"round {number}/{args.rounds}: {len(outcomes)} tests, {len(failed)} failed "
                f"({time.monotonic() - started:.0f} s, full suites beside: {suites[0]}) {' '.join(failed)}",
                flush=True,
            )
    report = {
        "rounds": args.rounds,
        "moments_per_engine": args.moments,
        "load": not args.no_load,
        "seconds": round(time.monotonic() - started),
        "runs": dict(runs),
        "failures": dict(failures),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for name in sorted(runs):
            print(f"{failures[name]:3d} of {runs[name]:3d} failed  {name}")
    return 1 if failures else 0


def _round(number: int, moments: int, workers: int) -> dict[str, bool]:
    """One run of the stressed tests: each test's id -> passed."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "junit.xml"
        log = REPO / ".stress" / f"round-{time.strftime('%H%M%S')}.log"  # what pytest said, for the failures
        log.parent.mkdir(exist_ok=True)
        with log.open("w") as out:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "-n",
                    str(workers),
                    f"--junitxml={report}",
                    *STRESSED,
                ],
                cwd=REPO,
                env={**os.environ, MOMENTS_VAR: str(moments), SEED_VAR: str(number)},
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if not report.exists():
            return {"(pytest did not run)": False}
        return {
            f"{case.get('classname')}::{case.get('name')}": not case.findall("failure") + case.findall("error")
            for case in ET.parse(report).iter("testcase")
            if not case.findall("skipped")
        }


@contextmanager
def _load(wanted: bool) -> Iterator[list[int]]:
    """The full suite, over and over, in a process group of its own; yields [suites started so far]."""
    started = [0]
    if not wanted:
        yield started
        return
    stop = threading.Event()
    suite: list[subprocess.Popen[bytes]] = []

    def keep_running() -> None:
        while not stop.is_set():
            if not suite or suite[-1].poll() is not None:
                started[0] += 1
                suite.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                        cwd=REPO,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                )
            stop.wait(1)

    keeper = threading.Thread(target=keep_running, daemon=True)
    keeper.start()
    try:
        yield started
    finally:
        stop.set()
        keeper.join()
        if suite and suite[-1].poll() is None:
            os.killpg(suite[-1].pid, signal.SIGTERM)
            suite[-1].wait()


if __name__ == "__main__":
    sys.exit(main())
