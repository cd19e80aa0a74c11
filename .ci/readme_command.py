"""Print the README command CI runs: the ```sh block on the line after the marker `<!-- ci: NAME -->`.

    python3 .ci/readme_command.py NAME [README]     (NAME: main-command or test-command; README: the repo's)

CI runs README's commands as README shows them, found by their marker, never by their position: an edit that adds
a block elsewhere changes nothing, and one that loses a marker stops CI. A missing or repeated marker, or one not
directly followed by a ```sh block, is one line on stderr and exit 1. Standard library only: CI runs this before
any virtual environment exists.
"""

from __future__ import annotations

import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE_OPEN, FENCE_CLOSE = "```sh", "```"


def marked_command(readme: str, name: str) -> str:
    """The lines of the ```sh block right under `<!-- ci: NAME -->`; LookupError says what is wrong."""
    marker = f"<!-- ci: {name} -->"
    lines = readme.splitlines()
    found = [number for number, line in enumerate(lines) if line.strip() == marker]
    if len(found) != 1:
        raise LookupError(
            f"{len(found)} lines hold {marker}; there must be exactly one" if found else f"no line holds {marker}"
        )
    block = lines[found[0] + 1 :]
    if not block or block[0].strip() != FENCE_OPEN:
        raise LookupError(f"the line after {marker} does not open a {FENCE_OPEN} block")
    if FENCE_CLOSE not in block[1:]:
        raise LookupError(f"the {FENCE_OPEN} block after {marker} is never closed")
    command = "\n".join(block[1 : block.index(FENCE_CLOSE, 1)]).strip()
    if not command:
        raise LookupError(f"the {FENCE_OPEN} block after {marker} is empty")
    return command


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or argv[0].startswith("-"):
        print("usage: python3 .ci/readme_command.py NAME [README]", file=sys.stderr)
        return 2
    path = Path(argv[1]) if len(argv) == 2 else README
    try:
        print(marked_command(path.read_text(encoding="utf-8"), argv[0]))
    except (OSError, UnicodeDecodeError, LookupError) as error:
        print(f".ci/readme_command.py: {path}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
