"""The text parser on its own: bytes in, records out (issue 2, "Text parser")."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from blogimport.errors import ParseError, UnsupportedFormat
from blogimport.formats import text
from blogimport.records import AuthorRecord, CommentRecord, MentionRecord, ParseOptions, PostRecord
from tests.conftest import SEEDS


def parse_bytes(data: bytes, locator: str, options: ParseOptions = ParseOptions()) -> tuple[PostRecord, ...]:
    posts = tuple(text.parse(io.BytesIO(data), locator, options).entries)
    assert all(isinstance(post, PostRecord) for post in posts)
    return posts  # type: ignore[return-value]


def parse_seed(prefix: str, options: ParseOptions = ParseOptions()) -> tuple[PostRecord, ...]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return parse_bytes(path.read_bytes(), str(path), options)


def parse_text(source: str, options: ParseOptions = ParseOptions()) -> tuple[PostRecord, ...]:
    return parse_bytes(source.encode("utf-8"), "fixture.txt", options)


def shape(post: PostRecord) -> tuple[list[int | None], dict[int | None, int]]:
    """(top-level positions, replies per top-level position that has any)."""
    return [c.position for c in post.comments], {c.position: len(c.replies) for c in post.comments if c.replies}


# From the issue: date, title, top-level positions, replies under each comment.
SEED_POSTS = {
    "000": (date(2015, 2, 7), "Guest Blog 24", [*range(1, 14), *range(16, 22)], {5: 1, 6: 1, 7: 2}),
    "001": (date(2016, 2, 14), "Probation Masterclass", list(range(1, 15)), {4: 4, 5: 4, 8: 7, 9: 1, 10: 1, 13: 1}),
    "002": (date(2019, 1, 28), "TR - 'Read All About It!'", list(range(1, 13)), {3: 1, 7: 3, 8: 2, 10: 2, 11: 2}),
    "003": (date(2018, 1, 29), "Guest Blog 68", list(range(1, 9)), {2: 1, 3: 4, 5: 3, 7: 3}),
}


@pytest.mark.parametrize("prefix", sorted(SEED_POSTS))
def test_seed_post_pages(prefix: str) -> None:
    published_on, title, positions, replies = SEED_POSTS[prefix]
    (post,) = parse_seed(prefix)
    assert (post.published_on, post.title) == (published_on, title)
    assert shape(post) == (positions, replies)
    assert post.labels == ()


def test_seed_comment_counts_add_up_to_the_issue_figures() -> None:
    posts = [post for prefix in ("000", "001", "002", "003", "004") for post in parse_seed(prefix)]
    tops = [c for post in posts for c in post.comments]
    assert (len(posts), len(tops), sum(len(c.replies) for c in tops)) == (7, 53, 43)


def test_label_page_holds_three_posts_each_labelled() -> None:
    posts = parse_seed("004")
    assert [(p.published_on, p.title, p.labels, p.comments) for p in posts] == [
        (date(2019, 5, 21), "The Reality", ("groupwork",), ()),
        (date(2011, 4, 14), "The Leaving", ("groupwork",), ()),
        (date(2010, 9, 20), "Sex Offenders", ("groupwork",), ()),
    ]
    assert posts[0].body_text.startswith("I'm guessing there's been a certain air of smugness")
    assert posts[0].body_text.endswith("on the MoJ probation consultation website.\n\nRussell Webster")
    assert posts[2].body_text.endswith("the prognosis remains very poor indeed.\xa0Progress?")


def test_declared_comment_count_is_read_from_the_header() -> None:
    assert [parse_seed(p)[0].declared_comment_count for p in ("000", "001", "002", "003")] == [None, None, 22, None]


def test_control_words_never_reach_a_body() -> None:
    (post,) = parse_seed("002")
    bodies = [post.body_text] + [c.body_text for top in post.comments for c in (top, *top.replies)]
    control_line = re.compile(r"^\s*(ReplyDelete|Replies|Delete|Reply)\s*$", re.MULTILINE)
    assert [b for b in bodies if control_line.search(b)] == []


def test_a_numbered_list_typed_in_a_comment_is_its_text_not_replies() -> None:
    (post,) = parse_seed("000")
    (comment,) = [c for c in post.comments if c.position == 18]
    assert comment == CommentRecord(
        position=18,
        body_text=(
            "Here's an interesting article for a number of reasons.\n\n"
            "1. The Justice Minister has banged on for the last 18months about the lack of support for under "
            "12months offenders. Anyone appearing in court can now legitimately use this 'fact' as a form of "
            "mitigation. I'm sure solicitors will advise their clients as such.\n\n"
            "2. If the courts accept this, and why wouldn't they if the Justice Minister has said it's so, then "
            "whatever sentence handed down will be done with trying to incoperate the 'missing support', that the "
            "offender hasn't been getting and is in need of.\n\n"
            "3. When the offender appears in court again, the level of assistance extended by whatever CRC they're "
            "involved with will be open to scrutiny in court and by the public in general.\n"
            "I think the private profiteers will soon realise that they're walking a tightrope, and will be held "
            "to account frequently if not providing what their being 'brought in' to provide."
        ),
    )


def test_a_thread_with_replies_as_whole_records() -> None:
    (post,) = parse_seed("000")
    (comment,) = [c for c in post.comments if c.position == 7]
    assert comment == CommentRecord(
        position=7,
        body_text=(
            "Dear Purple Futures,\n"
            "I've been allocated a short custody case and I have to advise what the rehab elements will be for the "
            "post sentence supervision - the problem is that you haven't let us operational staff know who, what or "
            "how these will be delivered. Any information will be gratefully received."
        ),
        replies=(
            CommentRecord(
                position=1,
                body_text=(
                    "Dear OM,\n\n"
                    "Having asked around our office the general response was that we, quite literally, do not have "
                    "a fucking clue.\n\n"
                    "I also asked them your question and it would appear that you can use the above response as an "
                    "aswer.\n\n"
                    "In fact it would be fair to say that, as a company, we are as much use as mudguards on a "
                    "tortoise. However, and get this, we don't fucking care.\n\n"
                    "Purple Futures\n\n"
                    "(Well, not really PF, but you get my drift)"
                ),
            ),
            CommentRecord(
                position=2,
                body_text=(
                    "Dear OM, if I can signpost you to this previous posting by Mr Brown\n"
                    "it would be fair for me to posit that you are fucked."
                ),
            ),
        ),
    )


def test_a_comment_with_a_mention_as_a_whole_record() -> None:
    (post,) = parse_seed("002")
    assert post.comments[0] == CommentRecord(
        position=1,
        body_text=(
            "Perfect! No doubt Anon@00:25 from the previous blog will be incandescent with rage at this extensive "
            'bleat-fest from "you people".'
        ),
        mentions=(MentionRecord(text="Anon@00:25", hour=0, minute=25),),
    )


SEED_MENTIONS = {
    "000": ["Anon 9.11", "re 20:15"],
    "001": ["8 24", "10:25", "15:21", "re 11 34", "1525", "1134", "Anonymous 15:41", "Anon 1549", "Anon at 23:33"],
    "002": ["Anon@00:25"],
    "003": ["@8:41"],
    "004": [],
}


@pytest.mark.parametrize("prefix", sorted(SEED_MENTIONS))
def test_the_seed_mentions_are_found_and_nothing_else(prefix: str) -> None:
    comments = [c for post in parse_seed(prefix) for top in post.comments for c in (top, *top.replies)]
    assert [m.text for c in comments for m in c.mentions] == SEED_MENTIONS[prefix]


def test_guest_post_author_is_its_signature() -> None:
    assert parse_seed("003")[0].author == AuthorRecord(name="Andy Green")
    assert parse_seed("000")[0].author is None  # a guest post without a signature line has no known author


def test_blog_author_is_given_to_the_blogs_own_posts_only() -> None:
    options = ParseOptions(blog_author="Jim Brown")
    assert parse_seed("001", options)[0].author == AuthorRecord(name="Jim Brown")
    assert parse_seed("003", options)[0].author == AuthorRecord(name="Andy Green")
    assert parse_seed("000", options)[0].author is None
    assert parse_seed("001")[0].author is None


def test_text_comments_have_no_author_and_no_time() -> None:
    comments = [c for post in parse_seed("001") for top in post.comments for c in (top, *top.replies)]
    assert {(c.author, c.published_at) for c in comments} == {(None, None)}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Saturday, 7 February 2015", date(2015, 2, 7)),
        ("Monday 30 November 2015", date(2015, 11, 30)),
        ("Monday, December 17, 2007", date(2007, 12, 17)),
    ],
)
def test_date_line_variants(line: str, expected: date) -> None:
    (post,) = parse_text(f"{line}\n\nA title\n\nThe body.\n")
    assert (post.published_on, post.title, post.body_text) == (expected, "A title", "The body.")


def test_a_date_that_does_not_exist_is_body_text() -> None:
    (post,) = parse_text("Monday, 7 February 2015\n\nTitle\n\nMonday, 31 February 2015\nmore\n")
    assert post.body_text == "Monday, 31 February 2015\nmore"


@pytest.mark.parametrize(
    ("header", "declared"), [("1 comment:", 1), ("No comments:", 0), ("17 COMMENTS:", 17), ("One comment:", 1)]
)
def test_comment_header_variants(header: str, declared: int) -> None:
    comments = "\n  1. Only one.\n" if declared else ""
    (post,) = parse_text(f"Monday, 7 February 2015\n\nTitle\n\nBody.\n\n{header}\n{comments}")
    assert (post.body_text, post.declared_comment_count) == ("Body.", declared)
    assert [c.body_text for c in post.comments] == (["Only one."] if declared else [])


def test_footers_and_what_follows_them_are_ignored() -> None:
    source = (
        "Monday, 7 February 2015\n\nTitle\n\nBody.\n\n2 comments:\n\n"
        "  1. First.\n\n    ReplyDelete\n    Replies\n    1. A reply.\n\n      Delete\n    Reply\n"
        "  2. Second.\n\n    ReplyDelete\n\nPost a Comment\n\nNewer Post\nOlder Post\nHome\n"
        "Subscribe to: Post Comments (Atom)\nBlog Archive\n  1. not a comment\n"
    )
    (post,) = parse_text(source)
    assert post.comments == (
        CommentRecord(position=1, body_text="First.", replies=(CommentRecord(position=1, body_text="A reply."),)),
        CommentRecord(position=2, body_text="Second."),
    )


def test_label_status_line_labels_every_post_once() -> None:
    source = (
        "Showing posts with label tea. Show all posts\nShowing posts with label tea. Show all posts\n\n"
        "Tuesday, 21 May 2019\n\nOne\n\nFirst body.\n\nMonday, 20 May 2019\n\nTwo\n\nSecond body.\n"
        "Newer Posts Older Posts Home\n"
    )
    assert [(p.title, p.body_text, p.labels) for p in parse_text(source)] == [
        ("One", "First body.", ("tea",)),
        ("Two", "Second body.", ("tea",)),
    ]


def test_an_indented_list_inside_the_post_body_is_not_comments() -> None:
    source = "Monday, 7 February 2015\n\nTitle\n\nSteps:\n  1. one\n  2. two\nAfter the list.\n\n  1. A comment.\n"
    (post,) = parse_text(source)
    assert post.body_text == "Steps:\n  1. one\n  2. two\nAfter the list."
    assert [c.body_text for c in post.comments] == ["A comment."]


def test_removed_comments_are_kept_and_marked() -> None:
    source = "Monday, 7 February 2015\n\nT\n\nB\n\n  1. This comment has been removed by the author.\n  2. Hi\n"
    (post,) = parse_text(source)
    assert [(c.position, c.is_removed) for c in post.comments] == [(1, True), (2, False)]


def test_no_date_line_is_a_parse_error_naming_the_file_and_line() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text("just some notes\n\n  1. even a list\n")
    assert str(caught.value) == "fixture.txt:1: no post found: no date line such as 'Saturday, 7 February 2015'"


def test_a_date_line_with_nothing_after_it_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text("Monday, 7 February 2015\n\nT\n\nB\n\nTuesday, 8 February 2015\n\n")
    assert str(caught.value) == "fixture.txt:7: date line with no post after it"


def test_comments_in_a_layout_we_cannot_read_are_an_error_not_a_loss() -> None:
    with pytest.raises(ParseError) as caught:
        parse_text("Monday, 7 February 2015\n\nT\n\nB\n\n3 comments:\n\nOfer06 October, 2014 10:09\nHi\n")
    assert str(caught.value) == (
        "fixture.txt:9: comments in a layout not supported: not numbered ('  1. ...'), no "
        "Reply/Delete controls, no 'said...' lines"
    )


def test_damaged_utf8_is_refused_with_the_line_of_the_first_broken_byte() -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        parse_bytes(
            "Monday, 7 February 2015\n\nT\u2019s\nT\xff\n".encode().replace(b"\xc3\xbf", b"\xff"), "damaged.txt"
        )
    assert str(caught.value) == "damaged.txt:4: not UTF-8 text (invalid start byte: 0xff)"


@pytest.mark.parametrize(
    "name", ["Émile Zola", "Łukasz Nowak", "Дмитрий Орлов", "Jose\u0301 A\u0301lvarez", "Ǆemal Bijedić"]
)
def test_a_guest_post_signed_in_any_cased_script_is_by_its_signer(name: str) -> None:
    (post,) = parse_text(f"Monday, 7 February 2015\n\nGuest Blog 9\n\nThe body.\n\n{name}\n")
    assert post.author == AuthorRecord(name=name)


@pytest.mark.parametrize("last", ["Thanks for reading.", "李明", "andy green", "Andy"])
def test_a_guest_post_whose_last_line_is_no_name_has_no_author(last: str) -> None:
    (post,) = parse_text(f"Monday, 7 February 2015\n\nGuest Blog 9\n\nThe body.\n\n{last}\n")
    assert post.author is None


def test_numbers_in_other_digits_are_text_not_the_page_s_structure() -> None:
    source = (
        "Monday, 7 February 2015\n\nTitle\n\nMonday, 1\u0667 February 2015\n\u0663 comments:\n\n"
        "1 comment:\n\n  1. A list:\n    \u0661. first\n    \u0662. second\n"
    )
    (post,) = parse_text(source)
    assert (post.body_text, post.declared_comment_count) == ("Monday, 1\u0667 February 2015\n\u0663 comments:", 1)
    assert post.comments == (CommentRecord(position=1, body_text="A list:\n\u0661. first\n\u0662. second"),)


def test_the_largest_number_a_database_column_holds_is_read_and_leading_zeros_are_no_matter() -> None:
    source = f"Monday, 7 February 2015\n\nT\n\nB\n\n2147483647 comments:\n\n  2147483647. Hi\n  {'0' * 5000}7. Ho\n"
    (post,) = parse_text(source)
    assert (post.declared_comment_count, [c.position for c in post.comments]) == (2147483647, [2147483647, 7])


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("2147483648 comments:\n\n  1. Hi\n", "fixture.txt:7: comment count 2147483648 is larger than any page shows"),
        (
            "1 comment:\n\n  99999999999999999999. Hi\n",
            "fixture.txt:9: comment number 99999999999999999999 is larger than any page shows",
        ),
        (
            "1 comment:\n\n  1. Hi\n\n    " + "7" * 5000 + ". A reply\n",
            "fixture.txt:11: comment number 77777777777777777777… (5,000 digits) is larger than any page shows",
        ),
    ],
)
def test_a_number_no_page_shows_is_refused_with_its_line(lines: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_text(f"Monday, 7 February 2015\n\nT\n\nB\n\n{lines}")
    assert str(caught.value) == message
