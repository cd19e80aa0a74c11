"""HTML fragments (an export's post and comment content) as the text a browser shows.

The text must normalise to the same fingerprint as a text rendering of the same page, so line breaks follow a
browser: `<br>` breaks a line, blocks start on a line of their own, paragraphs leave a blank line, and other
whitespace collapses to one space. Scripts and styles are not text. lxml rather than BeautifulSoup here: an
export is mostly content, and lxml turns it into text about ten times faster.
"""

from __future__ import annotations

import re

from lxml import etree, html

# Marks put between text while walking the tree, resolved into newlines at the end.
_BR, _BLOCK, _PARAGRAPH = "\x00", "\x01", "\x02"
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl", "table", "hr", "figure"}
_BLOCKS = _PARAGRAPHS | {
    "div",
    "li",
    "dt",
    "dd",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "figcaption",
    "address",
    "center",
    "form",
    "fieldset",
    "main",
}
_MARK_OF = dict.fromkeys(_BLOCKS, _BLOCK) | dict.fromkeys(_PARAGRAPHS, _PARAGRAPH)  # what a closing tag leaves
_NOT_TEXT = {"script", "style", "noscript", "template", "head", "title", "iframe", "object"}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_MARKS = re.compile(r"[\x00\x01\x02][ \x00\x01\x02]*")  # starts with a mark, so re can skip text quickly


# Deep nesting is legal HTML; without this libxml2 drops whatever sits below depth 256.
_PARSER = html.HTMLParser(huge_tree=True)


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, lines and paragraphs kept, everything else collapsed."""
    if "<" not in fragment and "&" not in fragment:
        return _SPACES.sub(" ", fragment).strip()
    try:
        root = html.fragment_fromstring(fragment, create_parent="div", parser=_PARSER)
    except (etree.ParserError, ValueError):  # nothing parseable left: keep the characters, drop the tags
        return _SPACES.sub(" ", re.sub(r"<[^>]*>", " ", fragment)).strip()
    return _resolve_marks(_SPACES.sub(" ", "".join(_pieces(root))))


def _pieces(root: etree._Element) -> list[str]:
    """Text and break marks in document order; an explicit stack, so no nesting depth exhausts Python's. The
    hottest loop of an export's import: locals for the methods and a dict for the marks, no call per element."""
    pieces: list[str] = []
    append, marks = pieces.append, _MARK_OF
    stack: list[tuple[etree._Element, str | None]] = [(root, None)]  # None: opening; else the mark it closes with
    push, pop = stack.append, stack.pop
    while stack:
        element, closing = pop()
        tag = element.tag
        if closing is not None:
            append(closing)
            append(element.tail or "" if element is not root else "")
        elif type(tag) is not str or tag in _NOT_TEXT:  # not str: a comment or instruction
            append(element.tail or "")  # only what follows it is text
        else:
            mark = marks.get(tag, "")
            append(_BR if tag == "br" else mark)
            append(element.text or "")
            push((element, mark))
            if len(element):
                stack.extend([(child, None) for child in reversed(element)])
    return pieces


def _resolve_marks(text: str) -> str:
    def newlines(match: re.Match[str]) -> str:
        run = match.group(0)
        count = max(run.count(_BR), 1 if _BLOCK in run else 0, 2 if _PARAGRAPH in run else 0)
        return "\n" * count

    # A space before a mark belongs to its run (spaces are single by now); taking it off first is faster than a
    # pattern that may start with a space.
    text = text.replace(" " + _BR, _BR).replace(" " + _BLOCK, _BLOCK).replace(" " + _PARAGRAPH, _PARAGRAPH)
    return _MARKS.sub(newlines, text).strip()
