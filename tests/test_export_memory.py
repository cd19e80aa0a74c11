"""A 1 GB export imports in flat memory (issue 3, point 6), measured by the benchmark script, not by timing.

The export is generated in the test's run (tests/perf/synthetic_export.py) and deleted after. It takes a few
minutes; BLOGIMPORT_MEMORY_TEST_BYTES sets a smaller size for a quick local run (CI always uses 1 GB).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO

SIZE = int(os.environ.get("BLOGIMPORT_MEMORY_TEST_BYTES", 1_000_000_000))
LIMIT_MB = 300


def test_a_large_export_imports_in_flat_memory() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.perf.atom_memory", "--bytes", str(SIZE), "--limit-mb", str(LIMIT_MB)],
        cwd=REPO, capture_output=True, text=True, timeout=1800,
    )
    print(done.stdout)  # the benchmark's figures, shown with pytest -s or on failure
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 0, done.stdout + done.stderr
    assert report["ok"] and report["peak_rss_mb"] < LIMIT_MB
    assert report["bytes"] >= 0.9 * SIZE
    assert (report["imported_posts"], report["imported_comments"]) == (report["posts"], report["comments"])
