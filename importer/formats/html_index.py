"""CSS selection over one saved page, answered from an index of its elements instead of a walk per query.

soupsieve answers `tag.select(css)` by matching every element under the tag against the selector. A post page
asks a few dozen such questions of the post (whose element holds its comments: thousands of elements) and a few
of every comment, so parsing was mostly that walk, again and again. The index is made in one walk of the page:
each element's place in document order and the end of its subtree, and the elements under each tag name, class,
id and attribute name. A query takes, for each selector of its list, the shortest of these lists that the
selector's last compound requires (`abbr.published[title]`: the abbr elements, those of class published or those
with a title), keeps those inside the scope, and lets soupsieve match each of them. The result is what
`Tag.select` gives, element for element and in its order: the index only leaves out elements that cannot match,
and what soupsieve does not walk into (a <template> below the scope) is left out the same way. A selector with no
such requirement (`*`, a pseudo-class alone) is handed to soupsieve whole. The page must not change once indexed.

Pure: a BeautifulSoup tree in, its elements out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import soupsieve
from bs4 import BeautifulSoup, Tag
from soupsieve import css_types

_Key = tuple[str, str]  # ("tag" | "class" | "id" | "attr", lower-cased name)
# An attribute's name, the pattern its value fits, whether it is lower-cased first, and the case-sensitive pattern
# that SVG and MathML elements use instead (if any).
_Value = tuple[str, re.Pattern[str], bool, re.Pattern[str] | None]


class PageIndex:
    def __init__(self, soup: BeautifulSoup) -> None:
        self.soup = soup
        self._tags: list[Tag] = []  # document order; the soup itself first
        self._start: dict[int, int] = {}  # id(tag) -> its place in _tags
        self._end: list[int] = []  # place -> the place of the last element under it
        self._template: dict[int, int] = {}  # place -> the place of the innermost <template> it is in
        self._lists: defaultdict[_Key, list[int]] = defaultdict(list)
        self._walk(soup)

    def select(self, scope: Tag, css: str) -> list[Tag]:
        return list(self.iselect(scope, css))

    def select_one(self, scope: Tag, css: str) -> Tag | None:
        return next(self.iselect(scope, css), None)

    def iselect(self, scope: Tag, css: str) -> Iterator[Tag]:
        """What scope.select(css) gives, in its order, lazily."""
        compiled, needs = _plan(css)
        if needs is None:
            yield from compiled.iselect(scope)
            return
        start = self._start[id(scope)]
        places: set[int] = set()
        for need in needs:
            subject = self._shortest(need.subject)
            for low, high in self._ranges(start, need.within):
                found = subject[bisect_right(subject, low) : bisect_right(subject, high)]
                places.update(found if not need.values else (p for p in found if self._values_fit(p, need.values)))
        for place in sorted(places):
            tag = self._tags[place]
            if not self._hidden(place, start) and compiled.match(tag):
                yield tag

    def _shortest(self, keys: tuple[_Key, ...]) -> list[int]:
        return min((self._lists.get(key, []) for key in keys), key=len)

    def _values_fit(self, place: int, values: tuple[_Value, ...]) -> bool:
        """False when the element's attribute fails the selector's pattern, tested as soupsieve tests it (the
        value, a list joined by spaces, lower-cased for a case-insensitive one; on an SVG or MathML element, the
        case-sensitive pattern). lxml's HTML parser gives every
        attribute name in lower case, so the attribute under that name is the one soupsieve finds."""
        attrs = self._tags[place].attrs
        for name, pattern, ignore_case, exact in values:
            value = attrs.get(name)
            if value is None:
                continue  # soupsieve decides
            text = value if isinstance(value, str) else " ".join(value)
            if pattern.search(text.lower() if ignore_case else text) is None and not (exact and exact.search(text)):
                return False
        return True

    def _ranges(self, start: int, within: tuple[_Key, ...]) -> Iterator[tuple[int, int]]:
        """The ranges of places (first excluded, last included) under the scope, and under an element that has
        what the selector's ancestor requires: outside them no element can match."""
        end = self._end[start]
        if not within:
            yield start, end
            return
        reached = start  # an ancestor nested in one already taken adds nothing
        for ancestor in self._shortest(within):
            last = self._end[ancestor]
            if ancestor >= end:
                return
            if last > reached:
                yield max(ancestor, start), min(last, end)
                reached = last

    def _hidden(self, place: int, start: int) -> bool:
        """In a <template> below the scope: soupsieve does not walk into one (it may select from one)."""
        template = self._template.get(place)
        return template is not None and template > start

    def _walk(self, soup: BeautifulSoup) -> None:
        """Places and lists in one walk; an explicit stack, so no nesting depth exhausts Python's."""
        stack: list[tuple[Tag, int | None, bool]] = [(soup, None, False)]
        while stack:
            tag, template, closing = stack.pop()
            if closing:
                self._end[self._start[id(tag)]] = len(self._tags) - 1
                continue
            place = len(self._tags)
            self._tags.append(tag)
            self._start[id(tag)] = place
            self._end.append(place)
            if template is not None:
                self._template[place] = template
            if tag is not soup:
                self._add(tag, place)
            inner = place if tag.name.lower() == "template" else template
            stack.append((tag, template, True))
            stack.extend((child, inner, False) for child in reversed(tag.contents) if isinstance(child, Tag))

    def _add(self, tag: Tag, place: int) -> None:
        lists = self._lists
        lists["tag", tag.name.lower()].append(place)
        for name, value in tag.attrs.items():
            lists["attr", name.lower()].append(place)
            if name == "class":
                for word in value if isinstance(value, list) else str(value).split():
                    lists["class", word.lower()].append(place)
            elif name == "id":
                lists["id", str(value).lower()].append(place)


@dataclass(frozen=True)
class _Need:
    """What an element must have to match one selector of a list (any one of `subject`), and what one of its
    ancestors must have (any one of `within`; empty: nothing known)."""

    subject: tuple[_Key, ...]
    within: tuple[_Key, ...]
    values: tuple[_Value, ...]  # patterns the subject's attribute values must fit


@lru_cache(maxsize=256)
def _plan(css: str) -> tuple[soupsieve.SoupSieve, tuple[_Need, ...] | None]:
    """The compiled selector and what each selector of its list needs; None when one of them requires nothing
    the index knows."""
    compiled = soupsieve.compile(css)
    needs = []
    for selector in compiled.selectors:
        subject = _required(selector)
        if not isinstance(selector, css_types.Selector) or not subject or "scope" in css or "&" in css:
            return compiled, None
        # "A B" and "A > B": soupsieve keeps A as B's relation; sibling combinators say nothing of ancestors.
        outer = selector.relation[0] if len(selector.relation) == 1 else None
        related = isinstance(outer, css_types.Selector) and outer.rel_type in (" ", ">")
        within = _required(outer) if related else ()
        needs.append(_Need(subject, within, _values(selector)))
    return compiled, tuple(needs)


def _values(selector: css_types.Selector) -> tuple[_Value, ...]:
    """The attribute patterns that hold on every element that matches (not `[a!=b]`, nor namespaced ones)."""
    return tuple(
        (attribute.attribute, attribute.pattern, attribute.ignore_case, attribute.xml_type_pattern)
        for attribute in selector.attributes
        if attribute.pattern is not None and not attribute.inverse and not attribute.prefix
    )


def _required(selector: object) -> tuple[_Key, ...]:
    """What a compound selector requires of an element, each of them alone enough to narrow the candidates."""
    if type(selector) is not css_types.Selector:
        return ()
    required: list[_Key] = [("id", value.lower()) for value in selector.ids]
    required += [("class", value.lower()) for value in selector.classes]
    if selector.tag is not None and selector.tag.name != "*":
        required.append(("tag", selector.tag.name.lower()))
    if any(attribute.prefix for attribute in selector.attributes):
        return ()  # a namespaced attribute: its name is not the index's
    # `[a!=b]` also matches an element without the attribute.
    required += [("attr", attribute.attribute.lower()) for attribute in selector.attributes if not attribute.inverse]
    return tuple(required)
