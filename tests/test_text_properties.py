"""Property tests of the text format (issue 8, point 2).

1. Any blog (posts with a date, a title, paragraphs and a signature; comments with replies; text in any script,
   with marks, symbols, emoji, quotes and the lines that mean something in a rendering), written out in the
   samples' numbered form by tests/render.py and parsed back, is the same blog.
2. No random edit of a sample page makes the parser fail otherwise than with a SourceError: one line that names
   the file and the line.

The generator leaves out only what the text form cannot say; each such rule is a comment where it is applied,
with the reason. Everything else that comes back different is a parser bug: fix the parser, and add a plain
regression test to tests/test_text_parser.py.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogimport import identity
from blogimport.errors import SourceError
from blogimport.formats import text
from blogimport.formats.mentions import find_mentions
from blogimport.records import AuthorRecord, CommentRecord, ParseOptions, PostRecord
from tests.conftest import SEED_FILES
from tests.render import render_page

# Deterministic for CI (the same examples every run, no example database written to the work tree), and small
# enough that the file runs in a few seconds on one core. BLOGIMPORT_PROPERTY_EXAMPLES=N hunts further: N fresh
# random examples per test.
_HUNT = int(os.environ.get("BLOGIMPORT_PROPERTY_EXAMPLES", "0"))
PROPERTY = settings(
    derandomize=not _HUNT,
    database=None,
    deadline=None,
    max_examples=_HUNT or 150,
    suppress_health_check=[HealthCheck.too_slow],
)

# ---------------------------------------------------------------------------------------------------------------
# What the text form reserves: lines that mean something to a reader of a rendering, stated here from
# ../shared/docs/blogger-formats.md §4 rather than taken from the parser, so that a parser reserving more than
# these is caught.

_WEEKDAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_LINE = re.compile(rf"{_WEEKDAY},? (?:[0-9]{{1,2}} {_MONTH},?|{_MONTH} [0-9]{{1,2}},?) [0-9]{{4}}")
_FOOTER = re.compile(
    r"Post a Comment|Newer Posts?|Older Posts?|(?:Newer Posts? )?(?:Older Posts? )?Home|Subscribe to: .+\(Atom\)"
)
_HEADER = re.compile(r"(?:[0-9]+|No|One) comments?:", re.IGNORECASE)
_GUEST = re.compile(r"guest blog\b", re.IGNORECASE)  # a guest post: its author signs it
_ITEM_TEXT = re.compile(r"[0-9]+\.(?: .*)?")  # "3. text": with the indentation of a list, a comment's number
# "Name said..." (Blogger's old layout, in the languages it was shown in): a comment's header, where no "N comments:"
# header came before it.
_SAID = re.compile(
    r"(?:.*\s)?(?:said|sagte|dijo|disse|zei|a dit|ha detto|napisał|skrev)\s*(?:\.\.\.|…)\s*", re.IGNORECASE
)


def _is_date_line(line: str) -> bool:
    """'Saturday, 7 February 2015' (of a day that exists): every such line opens a post, wherever it stands."""
    line = line.strip()
    if not _DATE_LINE.fullmatch(line):
        return False
    digits = re.findall("[0-9]+", line)
    month = re.search(_MONTH, line)
    assert month is not None
    try:
        datetime.strptime(f"{digits[0]} {month[0]} {digits[1]}", "%d %B %Y")
    except ValueError:
        return False
    return True


def _is_footer(line: str) -> bool:
    """The pager or "Post a Comment" at the start of a line: the post ends there, what follows is page furniture."""
    return _FOOTER.fullmatch(line) is not None


def _expressible_title(title: str) -> bool:
    # A title that is a date line opens another post, and one that is a footer ends the post before it begins.
    return not _is_date_line(title) and not _is_footer(title)


def _expressible_body(body: str) -> bool:
    # At the start of a line, "N comments:" opens the comments and a footer ends the post; a date line anywhere
    # opens the next post.
    return not any(_is_date_line(line) or _is_footer(line) or _HEADER.fullmatch(line) for line in body.split("\n"))


def _needs_header(post: PostRecord) -> bool:
    """Whether the post can only be written with its "N comments:" header."""
    # Without the header, the comments begin at the first numbered line after the body's last line at the margin:
    # a body that ends in an indented numbered list ("  1. one") would have that list read as comments.
    lines = post.body_text.split("\n")
    margin = max((i for i, line in enumerate(lines) if line.strip() and not line.startswith(" ")), default=-1)
    ends_in_a_list = any(re.fullmatch(r" +" + _ITEM_TEXT.pattern, line) for line in lines[margin + 1 :])
    # A post with no title, no body and no comments is nothing but its date line, unless the header follows it.
    empty = not (post.title or post.body_text or post.comments)
    # Without the header, a paragraph opening with "Name said..." starts the old layout's comments (§4).
    said = any(_SAID.fullmatch(line) for line in lines)
    return ends_in_a_list or empty or said


def _expressible_comment(body: str) -> bool:
    # After a comment's first line (which follows its number, "  1. "): a line that is a date line opens a post,
    # and one that is only a control word (Reply, Delete, Replies, ReplyDelete) is Blogger's button, dropped.
    rest = body.split("\n")[1:]
    return not any(_is_date_line(line) or line.strip() in identity.CONTROL_WORDS for line in rest)


def _expressible_top_comment(body: str) -> bool:
    # A line of a comment that is "3. text" is written at a reply's indentation ("    3. text"). It reads as the
    # comment's own text (a list typed in the comment) only when more of the comment follows it at the comment's
    # own indentation; at the comment's end it is a reply, and the text form cannot tell them apart.
    rest = body.split("\n")[1:]
    last_item = max((i for i, line in enumerate(rest) if _ITEM_TEXT.fullmatch(line)), default=None)
    if last_item is None:
        return True
    return any(
        line.strip() and not line.startswith("  ") and not _ITEM_TEXT.fullmatch(line) for line in rest[last_item + 1 :]
    )


# ---------------------------------------------------------------------------------------------------------------
# The blog generator.

# Every character a page can hold, except: surrogates (no UTF-8 for them), NUL (the decoder drops it: no database
# stores it in text) and the line breaks \r and \n (lines are made below; a lone \r would break a line too).
_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\r\n\x00")

# Lines that mean something in a rendering, or nearly do: these put the parser's line rules to the test, which
# random characters would almost never do. Where one cannot stand, the rules above leave it out.
_MEANINGFUL = st.sampled_from(
    [
        "Saturday, 7 February 2015",
        "Monday, December 17, 2007",
        "Monday 30 November 2015",
        "Saturday, 07 February 2015",
        "Monday, 31 February 2015",
        "Monday, 1٧ February 2015",
        "Saturday, 7 February 2015 was a Saturday",
        "Showing posts with label x. Show all posts",
        "22 comments:",
        "٣ comments:",
        "No comments:",
        "1 comment:",
        "One comment:",
        "17 COMMENTS:",
        "comments:",
        "Post a Comment",
        "Newer Post",
        "Older Posts",
        "Home",
        "Newer Posts Older Posts Home",
        "Home improvements",
        "Subscribe to: Post Comments (Atom)",
        "ReplyDelete",
        "Replies",
        "Delete",
        "Reply",
        "Replying",
        "Deleted",
        "ReplyDeleteThis comment has been removed by the author.",
        "This comment has been removed by the author.",
        "This post has been removed by a blog administrator.",
        "1.",
        "3. a list item",
        "12. twelve",
        "١٢. twelve",
        "٣. Arabic-Indic three",
        "1) not an item",
        "Ofer06 October, 2014 10:09",
        "Anonymous said...",
        "said...",
        "re 20:15",
        "Anon@00:25",
        "• a bullet",
        "--oo00oo--",
        "Labels: probation, groupwork",
        "Guest Blog 9",
        "Andy Green",
        "“Curly” ‘quotes’ £46 🙂 👍🏽 👨‍👩‍👧",
        "漢字, Ελληνικά, עברית, العربية",
        "e\u0301\u0323 Zalgo z̷̢͓a̶l̵g̸o",
    ]
)
_INDENT = st.sampled_from(["", "", "", "", " ", "  ", "    ", "      ", "\t", "\u3000", "\xa0"])
# A line: any characters, or a meaningful one, maybe indented. Trailing whitespace is not kept (every renderer
# trims it, and so does the parser): it is left out.
_LINE = st.builds(
    lambda indent, line: (indent + line).rstrip(),
    _INDENT,
    st.one_of(st.text(_CHAR, max_size=30), st.text(_CHAR, max_size=30), _MEANINGFUL),
)
# A text of lines, blank ones among them (runs of them too), its first line indented or not. Blank lines before
# and after it are layout, not kept: left out.
_TEXT = st.lists(_LINE, max_size=8).map(lambda lines: "\n".join(lines).strip("\n"))
# A comment's text does not start with a space: the rendering may put more than one after the comment's number
# ("  1.  text"), so the parser drops them.
_COMMENT_TEXT = _TEXT.map(lambda body: body.lstrip(" "))
# A title stands alone on its line, which the parser trims: its leading and trailing whitespace is not kept.
_ONE_LINE = st.one_of(st.text(_CHAR, max_size=40), _MEANINGFUL).map(str.strip)
# A label: any text on one line ("Showing posts with label X. Show all posts"), spaces around it included; not
# an empty one, which reads as no label at all.
_LABEL = st.one_of(st.text(_CHAR, min_size=1, max_size=30), _MEANINGFUL)

# A signature is a name: two to five words, each a capital letter (of any cased script) and then letters and
# marks. Names in scripts without capitals (Chinese, Arabic, ...) are not signatures: nothing tells them from the
# last line of a post, which is why the parser wants the capitals.
_NAME_WORD = st.builds(
    str.__add__,
    st.characters(categories=("Lu", "Lt")),
    st.text(st.characters(categories=("L", "M")), min_size=1, max_size=8),
)
_NAME = st.lists(_NAME_WORD, min_size=2, max_size=5).map(" ".join)


@st.composite
def _comments(draw: st.DrawFn, top: bool) -> tuple[CommentRecord, ...]:
    """A thread level: top-level comments (with replies), or the replies of one."""
    bodies = _COMMENT_TEXT.filter(_expressible_comment)
    if top:
        bodies = bodies.filter(_expressible_top_comment)
    count = draw(st.integers(0, 4 if top else 3))
    # The numbers as shown: usually 1, 2, 3 with gaps where comments were deleted; any number can be shown, up to
    # the largest a database column holds (the parser refuses a page with a larger one).
    positions = draw(
        st.one_of(
            st.lists(st.integers(1, 3), min_size=count, max_size=count).map(
                lambda steps: [sum(steps[: i + 1]) for i in range(len(steps))]
            ),
            st.lists(st.integers(0, text.MAX_NUMBER), min_size=count, max_size=count),
        )
    )
    return tuple(
        CommentRecord(body_text=draw(bodies), position=position, replies=draw(_comments(False)) if top else ())
        for position in positions
    )


@dataclass(frozen=True)
class Post:
    record: PostRecord  # what is written out
    header: bool  # with its "N comments:" line
    guest: bool  # a guest post: its author is its signature
    signature: str | None


@st.composite
def _posts(draw: st.DrawFn, label: str | None) -> Post:
    title = draw(
        st.one_of(_ONE_LINE, st.just(""), _ONE_LINE.map(lambda t: f"Guest Blog {t}".strip())).filter(_expressible_title)
    )
    signature = draw(st.none() | _NAME.filter(_expressible_body))
    paragraphs = draw(st.lists(_TEXT.filter(_expressible_body), max_size=4))
    body = "\n\n".join([*paragraphs, *([signature] if signature else [])]).strip("\n")
    record = PostRecord(
        title=title,
        published_on=draw(st.dates(date(1000, 1, 1))),  # the date line has a four-digit year: none before 1000
        body_text=body,
        labels=(label,) if label is not None else (),
        declared_comment_count=draw(st.none() | st.integers(0, text.MAX_NUMBER)),  # None: the count of comments
        comments=draw(_comments(True)),
    )
    header = draw(st.booleans()) or _needs_header(record)
    return Post(record, header, _GUEST.match(title) is not None, signature)


@dataclass(frozen=True)
class Page:
    label: str | None
    posts: tuple[Post, ...]
    controls: bool
    blog_author: str | None


@st.composite
def _pages(draw: st.DrawFn) -> Page:
    label = draw(st.none() | _LABEL)
    posts = draw(st.lists(_posts(label), min_size=1, max_size=3))
    return Page(label, tuple(posts), draw(st.booleans()), draw(st.none() | _NAME))


def _expected(post: Post, blog_author: str | None) -> PostRecord:
    """What the parser should read: the post as generated, with what the parser derives from it."""
    record = post.record
    declared = record.declared_comment_count
    if declared is None:
        declared = sum(1 + len(c.replies) for c in record.comments)
    return replace(
        record,
        author=_expected_author(post, blog_author),
        declared_comment_count=declared if post.header else None,
        comments=tuple(_derived(c) for c in record.comments),
    )


def _expected_author(post: Post, blog_author: str | None) -> AuthorRecord | None:
    if not post.guest:
        return AuthorRecord(blog_author) if blog_author else None
    if post.signature:
        return AuthorRecord(post.signature)
    return None


def _derived(comment: CommentRecord) -> CommentRecord:
    return replace(
        comment,
        is_removed=identity.is_removed_marker(comment.body_text),
        mentions=find_mentions(comment.body_text),
        replies=tuple(map(_derived, comment.replies)),
    )


def _parse(data: bytes, locator: str, options: ParseOptions = ParseOptions()) -> list[PostRecord]:
    entries = list(text.parse(io.BytesIO(data), locator, options).entries)
    assert all(isinstance(entry, PostRecord) for entry in entries)
    return entries  # type: ignore[return-value]


@PROPERTY
@given(_pages())
def test_any_blog_rendered_as_text_parses_back_the_same(page: Page) -> None:
    rendering = render_page(
        [post.record for post in page.posts],
        label=page.label,
        headers=[post.header for post in page.posts],
        controls=page.controls,
    )
    parsed = _parse(rendering.encode("utf-8"), "generated.txt", ParseOptions(blog_author=page.blog_author))
    expected = [_expected(post, page.blog_author) for post in page.posts]
    assert len(parsed) == len(expected)
    for post, got, want in zip(page.posts, parsed, expected, strict=True):
        if post.guest and not post.signature and got.author is not None:
            # Unsigned, the heuristic may still take a last line that looks like a name: only that line.
            lines = [line.strip() for line in post.record.body_text.split("\n") if line.strip()]
            assert lines and got.author == AuthorRecord(lines[-1])
            got = replace(got, author=None)
        assert got == want


# ---------------------------------------------------------------------------------------------------------------
# Random edits of the seed files.


@dataclass(frozen=True)
class Edit:
    kind: str
    at: int  # a line or byte index, taken modulo the length
    other: int = 0  # a second index, or a count
    data: bytes = b""


_RANDOM_BYTES = st.binary(max_size=12)
_EDIT_LINE = st.one_of(_LINE, _MEANINGFUL).map(lambda line: line.encode("utf-8"))
# Numbers as a page could show them, beyond any a database column holds, beyond what int() reads (4300 digits),
# with leading zeros, negative, in another script.
_NUMBER = st.one_of(
    st.integers(0, 10**12).map(str),
    st.integers(4290, 4310).map(lambda digits: "7" * digits),
    st.integers(4290, 4310).map(lambda zeros: "0" * zeros + "7"),
    st.text("0123456789", min_size=1, max_size=30),
    st.just("-1"),
    st.just("٣"),
).map(str.encode)
_INDEX = st.integers(0, 10**6)
_EDITS = st.lists(
    st.one_of(
        st.builds(Edit, st.just("delete"), _INDEX, st.integers(1, 40)),
        st.builds(Edit, st.just("insert"), _INDEX, st.just(0), _EDIT_LINE),
        st.builds(Edit, st.just("duplicate"), _INDEX, st.integers(1, 40)),
        st.builds(Edit, st.just("swap"), _INDEX, _INDEX),
        st.builds(Edit, st.just("indent"), _INDEX, st.integers(-6, 6)),
        st.builds(Edit, st.just("number"), _INDEX, st.just(0), _NUMBER),
        st.builds(Edit, st.just("characters"), _INDEX, _INDEX, st.text(_CHAR, min_size=1, max_size=8).map(str.encode)),
        st.builds(Edit, st.just("bytes"), _INDEX, st.just(0), _RANDOM_BYTES),
        st.builds(Edit, st.just("truncate"), _INDEX),
    ),
    min_size=1,
    max_size=6,
)


def _edited(data: bytes, edits: list[Edit]) -> bytes:
    for edit in edits:
        lines = data.split(b"\n")
        i = edit.at % len(lines)
        if edit.kind == "delete":
            del lines[i : i + edit.other]
        elif edit.kind == "insert":
            lines.insert(i, edit.data)
        elif edit.kind == "duplicate":
            lines[i:i] = lines[i : i + edit.other]
        elif edit.kind == "swap":
            j = edit.other % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif edit.kind == "indent":
            unindented = lines[i].lstrip(b" ")
            lines[i] = b" " * max(0, len(lines[i]) - len(unindented) + edit.other) + unindented
        elif edit.kind == "number":  # in a line that has one: the date line, "22 comments:", "  3. " items
            numbered = [n for n, line in enumerate(lines) if re.search(rb"[0-9]", line)] or [i]
            i = numbered[edit.at % len(numbered)]
            lines[i] = re.sub(rb"[0-9]+", lambda _, data=edit.data: data, lines[i], count=1)
        elif edit.kind == "characters":
            at = edit.other % (len(lines[i]) + 1)
            lines[i] = lines[i][:at] + edit.data + lines[i][at:]
        data = b"\n".join(lines)
        if edit.kind == "bytes":
            at = edit.at % (len(data) + 1)
            data = data[:at] + edit.data + data[at:]
        elif edit.kind == "truncate":
            data = data[: edit.at % (len(data) + 1)]
    return data


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda path: path.name[:3])
@PROPERTY
@given(edits=_EDITS)
def test_no_edit_of_a_seed_makes_the_parser_fail_but_with_a_one_line_refusal(seed: Path, edits: list[Edit]) -> None:
    data = _edited(seed.read_bytes(), edits)
    try:
        _parse(data, "edited.txt")
    except SourceError as refusal:  # every refusal of a text rendering knows its line
        assert refusal.line is not None
        assert str(refusal).startswith(f"edited.txt:{refusal.line}: ") and "\n" not in str(refusal)
