"""mypy on the `blogimport` package, read from the repository's folders:

    python .ci/typecheck.py [MYPY OPTIONS]       (in the project's virtual environment, with mypy installed)

The folders importer/, models/ and migrations/ install as blogimport, blogimport.models and blogimport.migrations
(pyproject.toml, [tool.setuptools] package-dir). mypy finds a module by its folder's name, so `mypy importer` would
check a package called `importer`, whose `from blogimport... import` lines lead nowhere; and `mypy -p blogimport`
cannot see an editable install, which maps the names with an import hook (mypy never runs code). So this names
every file by the module it installs as, from pyproject's own mapping, and hands mypy that list. Every mypy option
comes from [tool.mypy]; options given here are added to them. Exit codes are mypy's: 0 clean, 1 errors, 2 blocked.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from mypy import build
from mypy.errors import CompileError
from mypy.fscache import FileSystemCache
from mypy.main import process_options
from mypy.modulefinder import BuildSource

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"


def package_folders(pyproject: Path = PYPROJECT) -> dict[str, Path]:
    """Each top-level mapping of package-dir: the package name and its folder (relative to the repository)."""
    mapping: dict[str, str] = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    return {package: Path(folder) for package, folder in mapping.items()}


def module_name(package: str, relative: Path) -> str:
    """`store/rows.py` under `blogimport` is blogimport.store.rows; an __init__.py is its folder's package."""
    parts = relative.with_suffix("").parts
    return ".".join([package, *(parts[:-1] if parts[-1] == "__init__" else parts)])


def sources(root: Path = ROOT) -> list[BuildSource]:
    """Every .py file of every mapped folder (Alembic's revision files too: they are code that runs), by module."""
    found = []
    for package, folder in package_folders(root / "pyproject.toml").items():
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root / folder)
            found.append(BuildSource(str(folder / relative), module_name(package, relative)))
    return found


def main(argv: list[str]) -> int:
    os.chdir(ROOT)  # paths in messages relative to the repository, as mypy's own would be
    fscache = FileSystemCache()
    _, options = process_options(
        ["--config-file", str(PYPROJECT), *argv], require_targets=False, fscache=fscache, program="typecheck.py"
    )
    messages: list[str] = []

    def flush(_: str | None, new: list[str], serious: bool) -> None:
        messages.extend(new)
        for line in new:
            print(line, file=sys.stderr if serious else sys.stdout)

    checked = sources()
    try:
        build.build(checked, options, flush_errors=flush, fscache=fscache)
    except CompileError as error:
        print(*[line for line in error.messages if line not in messages], sep="\n", file=sys.stderr)
        return 2
    errors = [line for line in messages if ": error: " in line]
    files = {line.split(":", 1)[0] for line in errors}
    print(
        f"Found {_plural(len(errors), 'error')} in {_plural(len(files), 'file')} (checked {len(checked)} source files)"
        if errors
        else f"Success: no issues found in {len(checked)} source files"
    )
    return 1 if errors else 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
