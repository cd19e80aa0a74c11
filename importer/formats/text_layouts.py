"""Comment sections of text renderings that are not numbered lists (blogger-formats.md §4.2 A, C and D).

* Control-word layouts (A: a browser's copy; C: plain text with the links stripped): Blogger's comment controls
  render as words between the comments. `ReplyDelete` ends a top-level comment and `Delete` a reply, `Replies`
  opens a comment's reply list and a bare `Reply` closes it; the words may run into the next comment's first line
  ("ReplyDeleteThis comment has been removed…"). A comment may open with its author and time glued together
  ("Ofer06 October, 2014 10:09").
* The old layout (D): "Name said..." (or the name, then "said..." on its own line) opens each comment, and the
  comment's last line is the time it was posted. It has no threads.

Pure functions of the section's lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from blogimport import identity
from blogimport.formats.dates import MONTHS, WEEKDAYS
from blogimport.formats.mentions import find_mentions
from blogimport.records import AuthorRecord, CommentRecord

_MONTH = "(?:" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r")\.?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?"
_DATE = rf"(?:\d{{1,2}}\.?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
_WEEKDAY = "(?:(?:" + "|".join(sorted(map(re.escape, WEEKDAYS), key=len, reverse=True)) + r"),?\s+)?"
_WHEN = rf"{_WEEKDAY}{_DATE}(?:,?\s+(?:at\s+|um\s+|à\s+|a las\s+|alle\s+|om\s+)?{_CLOCK})?"
# "Ofer06 October, 2014 10:09": a name, then a date (and time) to the end of the line.
_GLUED_HEADER = re.compile(rf"^(?P<name>\S.*?)\s*(?P<when>{_WHEN})$", re.IGNORECASE)
_TIME_LINE = re.compile(rf"^(?:{_WHEN}|{_CLOCK})$", re.IGNORECASE)
# A control word alone, or run into text that starts anew (not "Deleted", not "Replying").
_CONTROL = re.compile(r"^(ReplyDelete|Replies|Delete|Reply)(?=[^a-z\s]|$)")
_SAID = r"(?:said|sagte|dijo|disse|zei|a dit|ha detto|napisał|skrev)\s*(?:\.\.\.|…)"
_SAID_LINE = re.compile(rf"^(?:(?P<name>.+?)\s+)?{_SAID}$", re.IGNORECASE)
_AVATAR_ALT = re.compile(r"^Blogger\s+(?=\S)")  # a profile picture's alt text before the name


@dataclass
class _Draft:
    """A comment being read: its header, then its lines."""

    reply: bool
    name: str | None = None
    when: str | None = None
    lines: list[str] = field(default_factory=list)
    replies: list[_Draft] = field(default_factory=list)

    def record(self) -> CommentRecord:
        body = "\n".join(self.lines).strip("\n")
        return CommentRecord(
            body_text=body,
            author=AuthorRecord(name=self.name) if self.name else None,
            display_time=self.when,
            is_removed=identity.is_removed_marker(body),
            mentions=find_mentions(body),
            replies=tuple(reply.record() for reply in self.replies),
        )


def has_control_words(lines: list[str]) -> bool:
    return any(_CONTROL.match(line.strip()) for line in lines)


def has_said_lines(lines: list[str]) -> bool:
    return any(_SAID_LINE.match(line.strip()) for line in lines)


def control_word_comments(lines: list[str]) -> tuple[CommentRecord, ...]:
    """Layouts A and C: comments between Blogger's control words."""
    tops: list[_Draft] = []
    current: _Draft | None = None
    in_replies = False
    for text in _split_controls(lines):
        header = _GLUED_HEADER.match(text)
        if text in identity.CONTROL_WORDS:
            current, in_replies = _control(text, current, in_replies)
        elif header and _is_header(header):
            current = _open(tops, in_replies, header["name"], header["when"])
        elif text or current is not None:
            current = current or _open(tops, in_replies)
            current.lines.append(text)
    return tuple(top.record() for top in tops)


def _control(word: str, current: _Draft | None, in_replies: bool) -> tuple[_Draft | None, bool]:
    """What a control word does: (the comment still open, whether comments now are replies)."""
    if word == "Replies":
        return None, True
    if word == "Reply":
        return None, False
    if word == "ReplyDelete":  # closes a top-level comment: what follows is another one unless "Replies" says so
        return None, False
    return None, in_replies  # Delete closes a reply; the thread goes on until "Reply"


def _open(tops: list[_Draft], reply: bool, name: str | None = None, when: str | None = None) -> _Draft:
    draft = _Draft(reply=reply and bool(tops), name=name, when=when)
    (tops[-1].replies if draft.reply else tops).append(draft)
    return draft


def _is_header(match: re.Match[str]) -> bool:
    """A name glued to a time: a short name, and a time with a clock (a bare date is more often body text)."""
    return len(match["name"]) <= 80 and ":" in match["when"]


def _split_controls(lines: list[str]) -> list[str]:
    """Every control word on its own line, also where it runs into the next comment's text."""
    out: list[str] = []
    for line in lines:
        text = line.strip()
        while match := _CONTROL.match(text):
            out.append(match[1])
            text = text[match.end() :].strip()
        if text or not line.strip():  # a line that held only control words leaves no blank line
            out.append(text)
    return out


def said_comments(lines: list[str]) -> tuple[CommentRecord, ...]:
    """Layout D: "Name said...", the comment, and its time on the last line."""
    drafts: list[_Draft] = []
    for index, line in enumerate(lines):
        said = _SAID_LINE.match(line.strip())
        if said is None:
            if drafts:
                drafts[-1].lines.append(line.strip())
            continue
        name = said["name"]
        if name is None and drafts and drafts[-1].lines:  # the name stood on the line before "said..."
            name = _pop_last_text(drafts[-1].lines)
        elif name is None and not drafts:
            name = next((text.strip() for text in reversed(lines[:index]) if text.strip()), None)
        drafts.append(_Draft(reply=False, name=_AVATAR_ALT.sub("", name or "").strip() or None))
    for draft in drafts:
        _take_time_line(draft)
    return tuple(draft.record() for draft in drafts)


def said_section_start(lines: list[str]) -> int | None:
    """Where the old layout's comments start on a page without a "N comments:" header: the first "Name said..."
    (or its name's line, when "said..." stands alone) that opens a paragraph and names no more than a name."""
    for index, line in enumerate(lines):
        said = _SAID_LINE.match(line.strip())
        if said is None or line != line.lstrip():
            continue
        start = index if said["name"] else _previous_text(lines, index)
        name = said["name"] or (lines[start].strip() if start is not None else "")
        if start is not None and _a_name(name) and (start == 0 or not lines[start - 1].strip()):
            return start
    return None


def _previous_text(lines: list[str], index: int) -> int | None:
    return next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)


def _a_name(text: str) -> bool:
    """A commenter's name as the old layout shows it: a few words, not a sentence ("And then she" is not one)."""
    words = _AVATAR_ALT.sub("", text).split()
    # Lower-case handles ("4jb4igo", "der Michel") are names too, but short ones.
    most = 2 if words and words[0][0].islower() else 4
    return 0 < len(words) <= most and text.rstrip()[-1:] not in ".,;:!?"


def _pop_last_text(lines: list[str]) -> str | None:
    while lines and not lines[-1]:
        lines.pop()
    return lines.pop() if lines else None


def _take_time_line(draft: _Draft) -> None:
    while draft.lines and not draft.lines[-1]:
        draft.lines.pop()
    if draft.lines and _TIME_LINE.match(draft.lines[-1]):
        draft.when = draft.lines.pop()
