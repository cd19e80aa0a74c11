"""Every relative link of README.md and docs/*.md leads somewhere: the file exists in the repository, and the
heading it names (`#anchor`) is one of that file's headings, by GitHub's rule for making anchors of headings.

Links to other sites (`https:`, `mailto:`) are not followed: a test must not depend on the network.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO

DOC_FILES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
LINK = re.compile(r"\]\(<?([^)\s>]+)>?(?:[ \t]+\"[^\"]*\")?\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:[ \t]+\"[^\"]*\")?[ \t]*$", re.MULTILINE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text (a link's text, no code marks) in lower case, every character but
    letters, digits, `_`, `-` and spaces dropped, each space a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a file's headings: a heading's slug, then slug-1, slug-2 for the same again."""
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCE.sub("", markdown)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    found |= set(re.findall(r"<a (?:id|name)=\"([^\"]+)\"", markdown))
    return found


def link_targets(markdown: str) -> list[str]:
    """Every link's target, outside code blocks and code spans (where brackets are only text)."""
    prose = CODE_SPAN.sub("", FENCE.sub("", markdown))
    return LINK.findall(prose) + REFERENCE.findall(prose)


def broken_links(document: Path, repo: Path) -> list[str]:
    """`FILE: TARGET (why)` for each relative link of the document that leads nowhere."""
    problems = []
    for target in link_targets(document.read_text(encoding="utf-8")):
        if SCHEME.match(target):
            continue
        path_part, _, anchor = target.partition("#")
        linked = (document.parent / path_part).resolve() if path_part else document
        if not linked.is_relative_to(repo.resolve()):
            problems.append(f"{document.name}: {target} (outside the repository)")
        elif not linked.exists():
            problems.append(f"{document.name}: {target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text(encoding="utf-8")):
            problems.append(f"{document.name}: {target} (no such heading)")
    return problems


def test_every_relative_link_of_the_docs_leads_somewhere() -> None:
    assert [problem for document in DOC_FILES for problem in broken_links(document, REPO)] == []


def test_readme_links_to_every_doc() -> None:
    targets = {target.partition("#")[0] for target in link_targets(DOC_FILES[0].read_text(encoding="utf-8"))}
    assert {f"docs/{path.name}" for path in DOC_FILES[1:]} <= targets


def test_a_broken_link_or_anchor_is_found(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text(
        "# Other\n\n## `blogimport import PATH...`\n\n## Same\n\n## Same\n", encoding="utf-8"
    )
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Top\n\n[fine](docs/other.md#blogimport-import-path) [fine](docs/other.md#same-1) [fine](#top)\n"
        "[web](https://example.org/nope.md) `[code](nope.md)`\n\n```text\n[code](nope.md)\n```\n\n"
        "[gone](docs/gone.md) [no heading](docs/other.md#same-2) [no heading](#nope) [outside](../../etc/passwd)\n",
        encoding="utf-8",
    )
    assert broken_links(readme, tmp_path) == [
        "README.md: docs/gone.md (no such file)",
        "README.md: docs/other.md#same-2 (no such heading)",
        "README.md: #nope (no such heading)",
        "README.md: ../../etc/passwd (outside the repository)",
    ]


def test_anchors_follow_githubs_rule() -> None:
    """Literal anchors as GitHub makes them for headings of these docs."""
    assert sorted(
        anchors(
            "# What happens to bad input\n## Ctrl-C and SIGTERM\n## `blogimport db upgrade|downgrade "
            "REV|current|history|check`\n## Blogger's exports\n## Views\n### Views\n```\n# not one\n```\n"
        )
    ) == [
        "bloggers-exports",
        "blogimport-db-upgradedowngrade-revcurrenthistorycheck",
        "ctrl-c-and-sigterm",
        "views",
        "views-1",
        "what-happens-to-bad-input",
    ]
