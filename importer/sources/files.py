"""Files: which inputs a PATH argument means, and how to read them (once, hashing them as they are read).

A source is read as a stream, so a large export is never held in memory whole. A Takeout `.zip` is read in
place: its `feed.atom` members are opened from the archive, nothing is extracted, and member names are only
ever used as labels, never as paths.

Every source has a signature known without reading it, as rsync and make judge files: a file's size,
modification time and inode, a zip member's size and CRC-32 from the archive's directory. When it is what it was
at the last import, the content is taken to be unchanged (`--checksum` reads it regardless).
"""

from __future__ import annotations

import hashlib
import os
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from blogimport import interrupts
from blogimport.errors import UnsupportedFormat
from blogimport.sources.sniff import SNIFF_BYTES

TAKEOUT_FEED = "feed.atom"
# A file modified this recently may be written again within the resolution of its modification time (2 s on FAT)
# without the time changing: its signature is not trusted until it is older, as git treats "racily clean" files.
FRESH_NS = 3_000_000_000
# A zip member that would grow more than this many times its compressed size is refused unread: Blogger's XML
# compresses about ten times, a zip bomb thousands. Members up to SMALL_MEMBER bytes are read whatever their ratio.
MAX_EXPANSION = 100
SMALL_MEMBER = 1 << 20
# How a zip archive begins: its first member's header, an empty one's directory, or a spanned one's marker.
_ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


@dataclass(frozen=True)
class Source:
    """One input: a file, or a member of a zip archive."""

    locator: str  # what messages and the sources table call it
    open: Callable[[], AbstractContextManager[BinaryIO]]  # `with source.open() as stream:`
    signature: str | None = None  # changes when the content does, known without reading it; None: not known

    def head(self) -> bytes:
        with self.open() as stream:
            return stream.read(SNIFF_BYTES)

    def read(self, keep: int) -> Content:
        """The source read once, to the end: its hash and size, and its bytes when there are at most `keep` (they
        are parsed from memory then; a larger source is opened again to be parsed as a stream)."""
        digest, size, chunks = hashlib.sha256(), 0, []
        with self.open() as stream:
            while chunk := stream.read(1 << 20):
                interrupts.check()  # a large file takes a while to hash
                digest.update(chunk)
                size += len(chunk)
                if size <= keep:
                    chunks.append(chunk)
        return Content(b"".join(chunks) if size <= keep else None, digest.hexdigest(), size)


@dataclass(frozen=True, slots=True)
class Content:
    data: bytes | None  # None: larger than asked to keep
    sha256: str
    size: int


def discover(paths: Iterable[Path]) -> list[Source]:
    """Every input the paths name, each once, in a stable order.

    A folder means every file under it (hidden ones aside), except a Takeout folder, which means its
    `feed.atom` files; a `.zip` means the `feed.atom` files inside it.
    """
    found: list[Path] = []
    for path in paths:
        found.extend(_files_under(path) if path.is_dir() else [path.resolve()])
    sources: dict[str, Source] = {}
    for file in dict.fromkeys(found):
        for source in _zip_members(file) if _is_zip(file) else [_file_source(file)]:
            sources.setdefault(source.locator, source)
    return list(sources.values())


def _is_zip(path: Path) -> bool:
    """A zip archive, whatever its name: its first bytes say so, then its directory (an archive behind a prefix, as
    a self-extracting one, is not taken for one: no Takeout is). Four bytes from the start of a file cost an eighth
    of zipfile.is_zipfile, which looks for the directory at the end of every file."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False  # not readable: reading it will say so
    try:
        start = os.read(fd, 4)
    except OSError:
        return False
    finally:
        os.close(fd)
    return start in _ZIP_STARTS and zipfile.is_zipfile(path)


def _files_under(folder: Path) -> list[Path]:
    """The files under a folder, resolved (a link is followed to its file), in path order."""
    folder = folder.resolve()
    if _is_takeout(folder):
        return sorted(p.resolve() for p in folder.rglob(TAKEOUT_FEED) if p.is_file())
    return [path for _, path in sorted(_walk(folder, ()))]


def _walk(folder: Path, parts: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Path]]:
    """(path parts below the top, resolved path) of each file, hidden ones aside; links to folders are not entered,
    as Path.rglob does not enter them. A folder's entries tell their kind without a system call per file, and a
    file that is no link needs no resolving: its folder is resolved already."""
    try:
        entries = list(os.scandir(folder))
    except PermissionError:
        return  # as Path.rglob: a folder that cannot be listed holds nothing
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(folder / entry.name, (*parts, entry.name))
        elif entry.is_file(follow_symlinks=False):
            yield (*parts, entry.name), folder / entry.name
        elif entry.is_symlink() and _links_to_file(entry):
            yield (*parts, entry.name), Path(entry.path).resolve()


def _links_to_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:  # a loop of links
        return False


def _is_takeout(folder: Path) -> bool:
    """An unpacked Google Takeout: its Blogger part holds one feed.atom per blog, and much besides."""
    return any((folder / sub / "Blogger").is_dir() for sub in ("", "Takeout"))


def _file_source(path: Path) -> Source:
    return Source(locator=str(path), open=lambda: path.open("rb"), signature=file_signature(path))


def file_signature(path: Path) -> str | None:
    """Size, modification time and inode, from the file's metadata; None if they cannot be had or if the file was
    modified too recently to trust them (see FRESH_NS)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    if stat.st_mtime_ns > time.time_ns() - FRESH_NS:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"


def _zip_members(archive: Path) -> list[Source]:
    with zipfile.ZipFile(archive) as zipped:
        # By name, as zipped.open finds them: of a name written twice, the last.
        feeds = {
            info.filename: info
            for info in zipped.infolist()
            if not info.is_dir() and info.filename.rsplit("/", 1)[-1] == TAKEOUT_FEED
        }

    def opener(name: str, info: zipfile.ZipInfo) -> Callable[[], AbstractContextManager[BinaryIO]]:
        @contextmanager
        def open_member() -> Iterator[BinaryIO]:
            if info.file_size > max(MAX_EXPANSION * info.compress_size, SMALL_MEMBER):
                times = info.file_size / max(info.compress_size, 1)
                raise UnsupportedFormat(
                    f"{archive}!{name}",
                    f"refused: it would expand {times:,.0f} times its compressed size, as a zip bomb does",
                )
            with zipfile.ZipFile(archive) as zipped, zipped.open(name) as member:
                yield member  # type: ignore[misc]  # a ZipExtFile, a binary stream; typeshed says IO[bytes]

        return open_member

    # The CRC-32 of the member's content, from the archive's directory: a zip's modification times say little.
    return [
        Source(locator=f"{archive}!{name}", open=opener(name, info), signature=f"{info.file_size}:crc{info.CRC:08x}")
        for name, info in sorted(feeds.items())
    ]
