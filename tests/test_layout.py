"""The layout of DESIGN.md holds (issue 14, points 2 and 3), checked on the source with `ast`, nothing imported.

The data goes one way: paths from the command line through sources, parsing (workers, formats) and the store, to
the database, and no part reaches back up. ALLOWED says which part of the package may import which; parsers never
import SQLAlchemy, click or an HTTP client, and the store never imports click.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PACKAGE_FOLDERS, REPO

PACKAGE = "blogimport"
# Each part of the package (a top-level module, or a subpackage with its modules), and the parts it may import.
# A part may always import itself and the package's own face (blogimport/__init__: its version). An entry with a
# dot allows that one module of another part, no more.
ALLOWED: dict[str, set[str]] = {
    "__main__": {"launch"},
    "launch": {"interrupts", "cli"},  # signals first, then the command line (and everything it loads)
    "cli": {
        "pipeline",
        "sources",
        "formats",
        "workers",
        "store",
        "report",
        "records",
        "summaries",
        "errors",
        "interrupts",
        "settings",
    },
    "summaries": {"pipeline", "store", "report", "records"},  # what the commands print
    "pipeline": {
        "sources",
        "workers",
        "transactions",
        "formats",
        "store",
        "records",
        "identity",
        "errors",
        "interrupts",
    },
    # A large source written whole is parsed again when its transaction is retried: its entries are read once.
    "transactions": {"sources", "formats", "store", "records", "errors", "interrupts"},
    "workers": {"formats", "records", "errors", "interrupts"},
    # A fetcher pages on what a feed page says (records.FeedPage); the parsers that read it are handed in.
    "sources": {"errors", "interrupts", "records"},
    # The text parser decodes bytes by the rule the sniffer reads a source's head with.
    "formats": {"records", "identity", "errors", "sources.decoding"},
    # pending_comments keeps a waiting comment's body, not its mentions: they are found again when it is placed.
    "store": {"records", "identity", "errors", "interrupts", "models", "formats.mentions"},
    "report": {"errors", "models"},
    "records": {"errors"},
    "identity": set(),
    "errors": set(),
    "interrupts": set(),
    "settings": set(),
    "models": set(),
    # Alembic loads them by path: env.py opens the database as the command line does, a revision may re-key.
    "migrations": {"models", "settings", "store"},
}
HTTP_CLIENTS = {"httpx", "requests", "urllib.request", "urllib3", "http.client", "aiohttp"}
FORBIDDEN = {  # libraries a part never imports
    "formats": {"sqlalchemy", "alembic", "click", *HTTP_CLIENTS},
    "store": {"click", *HTTP_CLIENTS},
    "sources": {"sqlalchemy", "alembic", "click"},
    "workers": {"sqlalchemy", "alembic", "click"},
    "records": {"sqlalchemy", "alembic", "click"},
    "identity": {"sqlalchemy", "alembic", "click"},
    "pipeline": {"click"},
    "summaries": {"click"},
    "transactions": {"click"},
    "report": {"click"},
}


def package_modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own), from the repository's folders."""
    found = {}
    for folder, package in PACKAGE_FOLDERS.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            parts = path.relative_to(REPO / folder).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            found[".".join((package, *parts))] = path
    return found


PARTS = {name.split(".")[1] for name in package_modules() if "." in name}


def imported(source: str, module: str, package: bool = False) -> Iterator[str]:
    """The dotted name of everything `module` (a `package`'s __init__, or not) imports: `from a import b` gives
    a.b, relative imports resolved; imports inside functions and TYPE_CHECKING blocks too."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                up = parts[: len(parts) - node.level + package]
                base = ".".join([*up, base] if base else up)
            yield from (f"{base}.{alias.name}" for alias in node.names)


def part_of(module: str) -> str | None:
    """The part of the package a dotted name belongs to; None for the package's own face and for other libraries."""
    parts = module.split(".")
    if parts[0] != PACKAGE or len(parts) < 2 or parts[1] not in PARTS:
        return None
    return parts[1]


def violations(source: str, module: str, package: bool = False) -> list[str]:
    """What `module` (its source given) imports that its part may not."""
    own = part_of(module)
    assert own is not None, module
    found = []
    for name in imported(source, module, package):
        if any(name == library or name.startswith(f"{library}.") for library in FORBIDDEN.get(own, ())):
            found.append(f"{module} imports {name}")
            continue
        target = part_of(name)
        if target is None or target == own:
            continue
        inside = name.removeprefix(f"{PACKAGE}.")
        if not any(inside == allowed or inside.startswith(f"{allowed}.") for allowed in ALLOWED[own]):
            found.append(f"{module} imports {name}")
    return found


FORMATS, STORE = "blogimport.formats.example", "blogimport.store.example"  # modules the checker is shown


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        (FORMATS, "import click\n", ["click"]),
        (FORMATS, "from sqlalchemy import select\n", ["sqlalchemy.select"]),
        (
            FORMATS,
            "import httpx\nfrom urllib import request\nimport urllib.request as r\n",
            ["httpx", "urllib.request", "urllib.request"],
        ),
        (
            FORMATS,
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sqlalchemy import Engine\n",
            ["sqlalchemy.Engine"],
        ),
        (FORMATS, "from ..store import sql\n", ["blogimport.store.sql"]),
        (FORMATS, "from blogimport.sources import files\n", ["blogimport.sources.files"]),
        (
            FORMATS,
            "from blogimport.records import Document\nfrom urllib.parse import urlsplit\n"
            "from blogimport.sources.decoding import decode\nfrom . import numbers\n",
            [],
        ),
        (STORE, "def write():\n    import click\n", ["click"]),
        (STORE, "from blogimport.pipeline import run_import\n", ["blogimport.pipeline.run_import"]),
        (STORE, "from blogimport import __version__, store, sources\n", ["blogimport.sources"]),
        (
            "blogimport.sources.example",
            "from blogimport.store import record_source\n",
            ["blogimport.store.record_source"],
        ),
        ("blogimport.store", "from .db import connected\nfrom ..models import Post\n", []),
    ],
)
def test_the_checker_finds_what_a_part_may_not_import(module: str, source: str, expected: list[str]) -> None:
    """The checker itself, on small sources that break the rules (and two that keep them)."""
    package = module == "blogimport.store"
    assert violations(source, module, package) == [f"{module} imports {name}" for name in expected]


@pytest.mark.parametrize("module", sorted(name for name in package_modules() if part_of(name)))  # all but the root
def test_every_module_imports_only_what_its_part_may(module: str) -> None:
    path = package_modules()[module]
    assert violations(path.read_text(encoding="utf-8"), module, path.name == "__init__.py") == []


def test_the_parts_are_these() -> None:
    """A new part of the package gets its line in ALLOWED (and this list) on purpose."""
    assert (
        sorted(PARTS)
        == sorted(ALLOWED)
        == [
            "__main__",
            "cli",
            "errors",
            "formats",
            "identity",
            "interrupts",
            "launch",
            "migrations",
            "models",
            "pipeline",
            "records",
            "report",
            "settings",
            "sources",
            "store",
            "summaries",
            "transactions",
            "workers",
        ]
    )


def test_the_parts_import_each_other_without_cycles() -> None:
    """The data's way is one way: following imports from any part never comes back to it."""
    graph: dict[str, set[str]] = {part: set() for part in PARTS}
    for module, path in package_modules().items():
        own = part_of(module)
        for name in imported(path.read_text(encoding="utf-8"), module):
            if (target := part_of(name)) and own and target != own:
                graph[own].add(target)
    done: set[str] = set()

    def visit(part: str, path: tuple[str, ...]) -> None:
        assert part not in path, " -> ".join((*path, part))
        if part not in done:
            for target in sorted(graph[part]):
                visit(target, (*path, part))
            done.add(part)

    for part in sorted(graph):
        visit(part, ())


def test_nothing_imports_the_folders_by_their_own_names() -> None:
    """`importer`, `models` and `migrations` are folders of the repository, not packages: code and tests import
    blogimport (blogimport.models, blogimport.migrations)."""
    wrong = []
    for path in sorted([*package_modules().values(), *(REPO / "tests").rglob("*.py")]):
        for name in imported(path.read_text(encoding="utf-8"), "tests.example"):
            if name.split(".")[0] in PACKAGE_FOLDERS:
                wrong.append(f"{path.relative_to(REPO)}: {name}")
    assert wrong == []


def stem(name: str) -> str:
    """A name without its English ending: writer and writing, parse and parsing, report and reporting are one."""
    return re.sub(r"(?:ers|er|ings|ing|ions|ion|e?s|e)$", "", name)


def test_no_two_names_differ_only_by_an_ending() -> None:
    """Among the modules and subpackages of importer/ (the models name tables, the migrations revisions)."""
    names = sorted(
        {
            part
            for module in package_modules()
            for part in module.split(".")[1:]
            if part_of(module) not in ("models", "migrations")
        }
    )
    stems: dict[str, list[str]] = {}
    for name in names:
        stems.setdefault(stem(name), []).append(name)
    assert [group for group in stems.values() if len(group) > 1] == []
    assert [stem(name) for name in ("writer", "writing", "parse", "parsing", "report", "reporting")] == [
        "writ",
        "writ",
        "pars",
        "pars",
        "report",
        "report",
    ]
