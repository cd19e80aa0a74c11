"""Issue 17: the HTML parser gives the same records, byte for byte, on every real saved page (tests/fixtures/ and
its copies of ../shared/formats/) as the golden files say; those were written by the parser before it was made
to do less work (`python -m tests.html_golden` writes them again, docs/development.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.html_golden import golden_path, pages, serialised

PAGES = pages()


def test_every_real_page_has_its_golden_file() -> None:
    assert len(PAGES) == 12  # 9 copied from ../shared/formats, 3 hand-made (fixtures/README.md)
    assert sorted(path.name for path in golden_path(PAGES[0]).parent.iterdir()) == sorted(
        golden_path(page).name for page in PAGES
    )


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_parse_is_byte_identical_to_its_golden_file(page: Path) -> None:
    assert serialised(page) == golden_path(page).read_text(encoding="utf-8")
