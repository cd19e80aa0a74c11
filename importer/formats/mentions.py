"""Find time-stamp mentions in a comment: readers answering each other by the time a comment was posted.

Blogger shows each comment's time, and on busy threads readers reply across threads with "re 20:15",
"Anon@00:25", "to 1525" or "@8:41". What counts as a mention:

* H:MM (20:15, 8:41) anywhere in the comment;
* the looser forms H.MM (9.11), H MM (11 34) and HHMM (1525) only when addressed: after "re", "Anon",
  "Anonymous", "Anon at", "@", after "to"/"on" ("to 1525", "the comment on 1134"), or opening the comment
  ("8 24 is spot on"). After "to"/"on" and at the start, HHMM that reads as a year (19xx, 20xx) is a year.

Addressing words are part of the mention as written ("Anon 1549"); "to"/"on" are not ("1525").
Post bodies are never searched: only readers' comments address each other this way.
"""

from __future__ import annotations

import re

from blogimport.records import MentionRecord

_ADDRESS = r"(?P<address>re\b[\s:]*|anon(?:ymous)?\b(?:\s+at\b)?\s*@?\s*|@\s*)"
_TIME = (
    r"(?:(?P<h1>[01]?\d|2[0-3]):(?P<m1>[0-5]\d)"  # 20:15  (always a time)
    r"|(?P<h2>[01]?\d|2[0-3])[. ](?P<m2>[0-5]\d)"  # 9.11, 11 34
    r"|(?P<h3>[01]\d|2[0-3])(?P<m3>[0-5]\d))"  # 1525
)
_MENTION = re.compile(
    r"(?<![\w£$€#.,:/@])" + _ADDRESS + r"?" + _TIME + r"(?![\d%]|[.,:/]\d|[^\W\d_])",
    re.IGNORECASE,
)
_CUE_BEFORE = re.compile(r"(?:^|\W)(?:to|on)\s+$", re.IGNORECASE)
_CUE_REACH = 40  # characters before a time searched for its cue: each search is then short, however long the text
_WORD = re.compile(r"[^\W_]")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def find_mentions(comment_text: str) -> tuple[MentionRecord, ...]:
    """Every time-stamp mention in a comment's text, in order of appearance."""
    if not _DIGIT.search(comment_text):
        return ()  # every mention holds a time: most comments, without a digit, are done in one quick scan
    found = []
    first_word = _WORD.search(comment_text)  # a time before it opens the comment
    opening = first_word.start() if first_word else len(comment_text)
    for match in _MENTION.finditer(comment_text):
        if _qualifies(match, comment_text, opening):
            hour, minute = _hour_minute(match)
            found.append(MentionRecord(text=match.group(0).strip(), hour=hour, minute=minute))
    return tuple(found)


def _hour_minute(match: re.Match[str]) -> tuple[int, int]:
    n = next(n for n in "123" if match.group(f"h{n}") is not None)  # exactly one time form matched
    return int(match.group(f"h{n}")), int(match.group(f"m{n}"))


def _qualifies(match: re.Match[str], text: str, opening: int) -> bool:
    if match.group("h1") is not None or match.group("address"):
        return True
    # Searched in place, not in a copy of all that comes before: a long comment full of numbers stays linear.
    # (`^` matches only at the text's real start, and `$` at the search's end.)
    start = match.start()
    if not (start <= opening or _CUE_BEFORE.search(text, max(0, start - _CUE_REACH), start)):
        return False
    return not (match.group("h3") is not None and _YEAR.match(match.group(0)))


_CLOCK = re.compile(r"(?<!\d)(\d{1,2})[:.](\d{2})(?::\d{2})?\s*([AaPp])?\.?[Mm]?\.?(?![\w])")


def clock_of(display_time: str) -> tuple[int, int] | None:
    """The 24-hour (hour, minute) in a displayed time: "May 30, 2019 at 1:06 PM" -> (13, 6), "um 10:23" -> (10, 23)."""
    found = [m for m in _CLOCK.finditer(display_time) if int(m[1]) < 24 and int(m[2]) < 60]
    if not found:
        return None
    hour, minute, half = int(found[-1][1]), int(found[-1][2]), (found[-1][3] or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return hour, minute
