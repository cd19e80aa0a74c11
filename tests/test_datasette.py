"""Datasette on the imported seeds, looked at in a real browser (issue 6, point 3), and its metadata up to date.

The test starts `datasette` exactly as docs/querying.md says, on 127.0.0.1, and points headless Chromium (Debian's
`chromium` package) at the post_summary view and at a canned query: Chromium prints the page as it rendered it
and saves a screenshot in the test's temporary folder. Without Chromium the test skips, naming the program; with
BLOGIMPORT_REQUIRE_SERVERS set (as .ci/run sets it, after installing chromium) it fails instead.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from blogimport.report.datasette import METADATA_FILE, as_text
from tests.conftest import REPO, REQUIRE_SERVERS, SEEDS, run
from tests.test_readme import DOCS
from tests.test_views import SEED_POSTS

STARTUP_SECONDS = 60
BROWSER_SECONDS = 90
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def test_the_metadata_file_is_generated_from_the_models() -> None:
    assert METADATA_FILE.read_text(encoding="utf-8") == as_text(), (
        "run: python -m blogimport.report.datasette > importer/report/datasette-metadata.json"
    )


@pytest.fixture
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "headless Chromium (`chromium`, Debian's package) is not on PATH"
        if os.environ.get(REQUIRE_SERVERS):
            pytest.fail(f"{message} ({REQUIRE_SERVERS} is set)")
        pytest.skip(message)
    return path


def readme_datasette_command() -> list[str]:
    (command,) = re.findall(r"```sh\n(datasette .*?)\n```", DOCS)
    return shlex.split(command)


@pytest.fixture
def datasette(tmp_path: Path) -> Iterator[str]:
    """The docs' datasette command on a fresh import of the seeds into blog.db; yields the server's address."""
    database = tmp_path / "blog.db"
    assert run("import", SEEDS, "--db", f"sqlite:///{database}").exit_code == 0
    port = free_port()
    program, *arguments = readme_datasette_command()
    arguments = [str(database) if a == "blog.db" else str(REPO / a) if a.endswith(".json") else a for a in arguments]
    command = [shutil.which(program) or program, *arguments, "--host", "127.0.0.1", "--port", str(port)]
    log = (tmp_path / "datasette.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    address = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(address, server)
        yield address
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(address: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "datasette exited; see datasette.log in the test's folder"
        try:
            with urllib.request.urlopen(f"{address}/-/versions.json", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"datasette did not answer on {address} within {STARTUP_SECONDS} s")


def browse(chromium: str, url: str, screenshot: Path) -> BeautifulSoup:
    """The page as Chromium rendered it, and a screenshot of it."""
    profile = screenshot.parent / "chromium-profile"
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=BROWSER_SECONDS)
    assert dom.returncode == 0, dom.stderr
    shot = subprocess.run(
        [*common, "--window-size=1400,1600", f"--screenshot={screenshot}", url],
        capture_output=True,
        text=True,
        timeout=BROWSER_SECONDS,
    )
    assert shot.returncode == 0, shot.stderr
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return BeautifulSoup(dom.stdout, "html.parser")


def column(page: BeautifulSoup, name: str) -> list[str]:
    return [cell.get_text(strip=True) for cell in page.select(f"table.rows-and-columns td.col-{name}")]


def test_post_summary_and_a_canned_query_in_a_browser(chromium: str, datasette: str, tmp_path: Path) -> None:
    titles = [title for title, *_ in SEED_POSTS]
    page = browse(chromium, f"{datasette}/blog/post_summary?_sort=published_on", tmp_path / "post_summary.png")
    assert page.h1 is not None and page.h1.get_text(strip=True) == "post_summary (view)"
    assert column(page, "title") == titles
    assert "One row per post: who wrote it, its labels, and how much discussion it drew." in page.get_text()

    page = browse(chromium, f"{datasette}/blog/most_discussed", tmp_path / "most_discussed.png")
    assert page.h1 is not None and page.h1.get_text(strip=True) == "Most discussed posts"
    by_comments = sorted(SEED_POSTS, key=lambda post: (-post[3], post[1]))
    assert column(page, "title") == [title for title, *_ in by_comments]
    assert column(page, "comments") == [str(post[3]) for post in by_comments]


def test_posts_and_comments_have_a_search_box(chromium: str, datasette: str, tmp_path: Path) -> None:
    page = browse(chromium, f"{datasette}/blog/comments?_search=Interserve", tmp_path / "search.png")
    assert column(page, "path") == ["0014", "0007", "0007.0001"]
