"""Which inputs a PATH argument means (blogimport.sources.discover): every file under a folder once, in path order,
hidden ones aside, links followed to their files but never into folders."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from blogimport.sources import discover


def _tree(top: Path) -> Path:
    for name in ("b/2.txt", "b/10.txt", "a/deep/x.txt", "z.txt", ".hidden/h.txt", "b/.h.txt", "c/.git/config"):
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(name)
    os.symlink(top / "z.txt", top / "a" / "same-as-z.txt")  # a file linked: the file itself, once
    os.symlink(top / "b", top / "linked-folder")  # a folder linked: not entered
    os.symlink(top / "nowhere", top / "broken")
    os.symlink(top / "loop-b", top / "loop-a")
    os.symlink(top / "loop-a", top / "loop-b")
    return top


def _names(top: Path, paths: list[Path]) -> list[str]:
    return [str(Path(source.locator).relative_to(top.resolve())) for source in discover(paths)]


def test_a_folder_means_its_files_in_path_order_each_once(tmp_path: Path) -> None:
    top = _tree(tmp_path / "crawl")
    assert _names(top, [top]) == ["a/deep/x.txt", "z.txt", "b/10.txt", "b/2.txt"]


def test_paths_are_resolved_so_one_file_named_twice_is_one_source(tmp_path: Path) -> None:
    top = _tree(tmp_path / "crawl")
    assert _names(top, [top / "a" / ".." / "z.txt", top / "a" / "same-as-z.txt", top / "b"]) == [
        "z.txt",
        "b/10.txt",
        "b/2.txt",
    ]


def test_a_zip_is_known_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    top = tmp_path / "crawl"
    top.mkdir()
    with zipfile.ZipFile(top / "export.bin", "w") as archive:
        archive.writestr("Takeout/Blogger/Blogs/A blog/feed.atom", "<feed/>")
        archive.writestr("Takeout/Blogger/Blogs/A blog/notes.txt", "not a feed")
    assert [s.locator for s in discover([top])] == [
        f"{top.resolve()}/export.bin!Takeout/Blogger/Blogs/A blog/feed.atom"
    ]
