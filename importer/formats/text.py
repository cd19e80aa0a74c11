"""Text renderings of Blogger pages, in the samples' numbered form (blogger-formats.md §4).

A page is an optional preamble ("Showing posts with label X. Show all posts"), then one block per post, each
opened by a date line. In a block: the title, the body (at column 0), an optional "N comments:" header, then
the comments as a numbered list: "  K. " opens a top-level comment, "    K. " one of its replies, and
continuation lines sit two spaces deeper than their item. Blogger's control words (ReplyDelete, Replies,
Delete, Reply) stand on lines of their own and are dropped. A pager or "Post a Comment" footer ends a block.

Pure: bytes in, a Document out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from blogimport import identity
from blogimport.errors import ParseError
from blogimport.formats import numbers, text_layouts
from blogimport.formats.mentions import find_mentions
from blogimport.records import AuthorRecord, CommentRecord, Document, ParseOptions, PostRecord
from blogimport.sources import decoding

_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
# Numbers on a page are in ASCII digits, as Blogger and the renderers write them: "1٧ February" or "٣ comments:" is
# somebody's text (\d would take them, and strptime and int() read them).
_DATE_LINES = (
    # Saturday, 7 February 2015 / Monday, December 17, 2007; what follows on the line is looked at by _runs_on.
    re.compile(rf"^{_WEEKDAY},? (?P<day>[0-9]{{1,2}}) {_MONTH},? (?P<year>[0-9]{{4}})(?![0-9])"),
    re.compile(rf"^{_WEEKDAY},? {_MONTH} (?P<day>[0-9]{{1,2}}),? (?P<year>[0-9]{{4}})(?![0-9])"),
)
_COMMENT_HEADER = re.compile(r"^(?P<count>[0-9]+|No|One) comments?:$", re.IGNORECASE)
_LABEL_PAGE = re.compile(r"^Showing posts with label (?P<label>.+?)\. Show all posts$")
_FOOTER = re.compile(
    r"^(?:Post a Comment|Newer Posts?|Older Posts?|(?:Newer Posts? )?(?:Older Posts? )?Home"
    r"|Subscribe to: .+\(Atom\))$"
)
_ITEM = re.compile(r"^(?P<indent> +)(?P<number>[0-9]+)\.(?: (?P<text>.*))?$")
_GUEST_POST = re.compile(r"^guest blog\b", re.IGNORECASE)

INDENT_STEP = 2  # a reply sits this much deeper than its comment; continuation lines too
# The largest number a page's comment count or comment number can be: what an INTEGER column holds on every engine.
# A page never shows more; a bigger one is damage, refused with its line rather than failing in the database. (The
# other formats drop such a number instead: there it is one detail of an entry, here the thread's structure.)
MAX_NUMBER = numbers.MAX_COUNT


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based, for messages
    text: str

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def parse(stream: BinaryIO, locator: str, options: ParseOptions = ParseOptions()) -> Document:
    """Every post (with its comments) in one text rendering."""
    lines = [_Line(n, text.rstrip()) for n, text in enumerate(_split_lines(decoding.decode(stream.read(), locator)), 1)]
    dated = [(i, found) for i, line in enumerate(lines) if (found := _date_of(line.text)) is not None]
    if not dated:
        raise ParseError(locator, "no post found: no date line such as 'Saturday, 7 February 2015'", line=1)
    labels = tuple(m["label"] for line in lines[: dated[0][0]] if (m := _LABEL_PAGE.match(line.text.strip())))
    labels = tuple(dict.fromkeys(labels))  # the status line is often rendered twice
    spans = _spans([i for i, _ in dated], len(lines))
    posts = tuple(
        _parse_post(lines[s:e], day, run_on, labels, options, locator)
        for (s, e), (_, (day, run_on)) in zip(spans, dated, strict=True)
    )
    return Document(format="text", entries=posts)


def _split_lines(text: str) -> list[str]:
    # Not str.splitlines(): it also breaks at form feeds and U+2028, which can sit inside a comment.
    return re.split(r"\r\n|\r|\n", text)


def _date_of(text: str) -> tuple[date, str] | None:
    """The date a date line shows, and what runs on after it on the same line ('' for a line of its own; only a
    line at column 0 runs on: an indented one is a comment's)."""
    indented = text[:1].isspace()
    text = text.strip()
    for pattern in _DATE_LINES:
        if (m := pattern.match(text)) and (not (rest := text[m.end() :]) or (not indented and _runs_on(rest))):
            try:
                return datetime.strptime(f"{m['day']} {m['month']} {m['year']}", "%d %B %Y").date(), rest.strip()
            except ValueError:  # "31 February": not a date line
                return None
    return None


def _runs_on(rest: str) -> bool:
    """Does the rest of a line after a date leave it a date line? Nothing; or a post's first sentence where the
    renderer lost the break between the date header and the text: glued to the year ("2007Today"), or after one
    space with a capital ("2007 Today"). A sentence that merely starts with a date goes on otherwise (", the")."""
    return rest[0].isalpha() or (rest[0] == " " and rest[1:2].isupper())


def _parse_post(
    block: list[_Line], published_on: date, run_on: str, labels: tuple[str, ...], options: ParseOptions, locator: str
) -> PostRecord:
    content = _before_footer(block[1:])
    if run_on:  # the text ran into the date line: an untitled post whose body starts there
        content = [_Line(block[0].number, run_on), *content]
    title_at = next((i for i, line in enumerate(content) if not line.blank), None)
    if title_at is None:
        raise ParseError(locator, "date line with no post after it", line=block[0].number)
    # An untitled post leaves the title's line empty: two blank lines or more stand between date and text.
    untitled = title_at >= 2 or bool(run_on)
    title = "" if untitled else content[title_at].text.strip()
    rest = content[title_at:] if untitled else content[title_at + 1 :]
    body_lines, declared, comment_lines = _split_comment_section(rest, locator)
    body = _join(body_lines, dedent=0)
    return PostRecord(
        title=title,
        published_on=published_on,
        body_text=body,
        author=_post_author(title, body, options),
        labels=labels,
        declared_comment_count=declared,
        comments=_parse_comments(comment_lines, locator),
    )


def _before_footer(lines: list[_Line]) -> list[_Line]:
    """Everything up to the pager / "Post a Comment" footer; what follows it is page furniture."""
    end = next((i for i, line in enumerate(lines) if line.indent == 0 and _FOOTER.match(line.text)), len(lines))
    return lines[:end]


def _split_comment_section(lines: list[_Line], locator: str) -> tuple[list[_Line], int | None, list[_Line]]:
    """(body lines, declared comment count, comment lines)."""
    for i, line in enumerate(lines):
        if line.indent == 0 and (m := _COMMENT_HEADER.match(line.text)):
            count = m["count"].lower()
            declared = {"no": 0, "one": 1}.get(count)
            declared = _number(count, "comment count", line, locator) if declared is None else declared
            return lines[:i], declared, lines[i + 1 :]
    start = _comment_list_start(lines)
    if start == len(lines):  # no numbered list: the old layout's "Name said..." comments, if they follow the body
        start = text_layouts.said_section_start([line.text for line in lines]) or start
    return lines[:start], None, lines[start:]


def _comment_list_start(lines: list[_Line]) -> int:
    """Without a header, comments are the numbered items after the body's last line at column 0."""
    last_body = max((i for i, line in enumerate(lines) if not line.blank and line.indent == 0), default=-1)
    return next((i for i in range(last_body + 1, len(lines)) if _ITEM.match(lines[i].text)), len(lines))


def _parse_comments(lines: list[_Line], locator: str) -> tuple[CommentRecord, ...]:
    """The comments in whichever layout the section shows: numbered (the samples'), or see text_layouts."""
    first = next((line for line in lines if not line.blank and not _is_control(line)), None)
    if first is None:
        return ()
    if opening := _ITEM.match(first.text):
        numbered = [line for line in lines if not _is_control(line)]
        return _numbered_comments(numbered, len(opening["indent"]), locator)
    texts = [line.text for line in lines]
    if text_layouts.has_said_lines(texts):
        return text_layouts.said_comments(texts)
    if text_layouts.has_control_words(texts):
        return text_layouts.control_word_comments(texts)
    raise ParseError(
        locator,
        "comments in a layout not supported: not numbered ('  1. ...'), no Reply/Delete controls, no 'said...' lines",
        line=first.number,
    )


def _numbered_comments(lines: list[_Line], top: int, locator: str) -> tuple[CommentRecord, ...]:
    """The samples' layout: "  K. " (at indentation `top`) opens a comment, "    K. " one of its replies."""
    first = next(i for i, line in enumerate(lines) if not line.blank)
    starts = [i for i, line in enumerate(lines) if i >= first and _item(line, top)]
    return tuple(_parse_thread(lines[s:e], top, locator) for s, e in _spans(starts, len(lines)))


def _parse_thread(lines: list[_Line], indent: int, locator: str) -> CommentRecord:
    """A top-level comment and its replies.

    The replies are the items one step deeper that come after the comment's own last line: an item list
    typed inside a comment is followed by more of the comment at its own indentation (seed 000, comment 18),
    while a real reply's continuation lines sit a further step deeper.
    """
    reply_indent = indent + INDENT_STEP
    rest = lines[1:]
    own_last = max(
        (
            i
            for i, line in enumerate(rest)
            if not line.blank and not _item(line, reply_indent) and line.indent < reply_indent + INDENT_STEP
        ),
        default=-1,
    )
    starts = [i for i in range(own_last + 1, len(rest)) if _item(rest[i], reply_indent)]
    own_end = starts[0] if starts else len(rest)
    replies = tuple(_comment(rest[s:e], reply_indent, (), locator) for s, e in _spans(starts, len(rest)))
    return _comment([lines[0], *rest[:own_end]], indent, replies, locator)


def _comment(lines: list[_Line], indent: int, replies: tuple[CommentRecord, ...], locator: str) -> CommentRecord:
    """`lines[0]` is the comment's item line ("  K. first line"); the rest continue it."""
    item = _ITEM.match(lines[0].text)
    number = _number(item["number"], "comment number", lines[0], locator) if item else None
    first_text = (item["text"] or "") if item else lines[0].text
    body = _join([_Line(lines[0].number, first_text), *lines[1:]], dedent=indent + INDENT_STEP)
    return CommentRecord(
        body_text=body,
        position=number,
        is_removed=identity.is_removed_marker(body),
        mentions=find_mentions(body),
        replies=replies,
    )


def _number(digits: str, what: str, line: _Line, locator: str) -> int:
    """A number the page shows; a ParseError naming the line for one beyond MAX_NUMBER."""
    significant = digits.lstrip("0") or "0"  # int() reads no more than 4,300 digits, leading zeros included
    if len(significant) <= len(str(MAX_NUMBER)) and int(significant) <= MAX_NUMBER:
        return int(significant)
    shown = significant if len(significant) <= 20 else f"{significant[:20]}… ({len(significant):,} digits)"
    raise ParseError(locator, f"{what} {shown} is larger than any page shows", line=line.number)


def _spans(starts: list[int], end: int) -> list[tuple[int, int]]:
    """(start, end) of each part, given where the parts start and where the last one ends."""
    return list(zip(starts, [*starts[1:], end], strict=True)) if starts else []


def _item(line: _Line, indent: int) -> bool:
    """Is this line a list item ("K. ") at exactly this indentation?"""
    return line.indent == indent and _ITEM.match(line.text) is not None


def _is_control(line: _Line) -> bool:
    return line.text.strip() in identity.CONTROL_WORDS


def _join(lines: list[_Line], dedent: int) -> str:
    """The lines as text: each dedented by up to `dedent` spaces, outer blank lines dropped."""
    texts = [line.text[min(line.indent, dedent) :] for line in lines]
    return "\n".join(texts).strip("\n")


def _post_author(title: str, body: str, options: ParseOptions) -> AuthorRecord | None:
    """A guest post is by whoever signs it; the blog's other posts are by --blog-author, if given."""
    if _GUEST_POST.match(title):
        last = next((line.strip() for line in reversed(body.split("\n")) if line.strip()), "")
        return AuthorRecord(name=last) if _is_signature(last) else None
    return AuthorRecord(name=options.blog_author) if options.blog_author else None


def _is_signature(line: str) -> bool:
    """A name, no sentence: two to five words, each a capital of any cased script ("Andy Green", "Émile Zola",
    "Łukasz Nowak", "Дмитрий Орлов") followed by letters, marks, digits or ' ’ - (and . after the first word)."""
    words = line.split(" ")
    return 2 <= len(words) <= 5 and all(_is_name_word(word, "'’-." if i else "'’-") for i, word in enumerate(words))


def _is_name_word(word: str, punctuation: str) -> bool:
    return (
        bool(word)
        and unicodedata.category(word[0]) in ("Lu", "Lt")
        and all(
            char.isalnum() or char == "_" or char in punctuation or unicodedata.category(char).startswith("M")
            for char in word[1:]
        )
    )
