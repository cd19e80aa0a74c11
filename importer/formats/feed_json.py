"""Blogger's public feeds as JSON (`?alt=json`) and JSONP (`?alt=json-in-script`): blogger-formats.md §7.6.

The JSON is a mechanical mapping of the Atom document: `prefix$name` for `prefix:name`, `$t` for an element's text,
plain keys for attributes, arrays for repeated elements, every value a string. So it is mapped back onto Atom's
elements and read by formats.feed_atom, which makes the same records from either. JSONP is the same JSON wrapped in
a call (`// API callback` then `name({...});`); the wrapper is taken off, never evaluated.

Pure: a byte stream in, a Document out.
"""

from __future__ import annotations

import json
import re
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element

from blogimport.errors import ParseError
from blogimport.formats import feed_atom
from blogimport.formats.atom import ATOM
from blogimport.records import Document, FeedPage, ParseOptions
from blogimport.sources import decoding

# Prefixes Blogger's feeds use, for JSON that leaves a declaration out (a comments feed declares thr nowhere).
KNOWN_NAMESPACES = {
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "gd": "http://schemas.google.com/g/2005",
    "thr": "http://purl.org/syndication/thread/1.0",
    "blogger": "http://schemas.google.com/blogger/2008",
    "georss": "http://www.georss.org/georss",
    "media": "http://search.yahoo.com/mrss/",
    "app": "http://purl.org/atom/app#",
    "feedburner": "http://rssnamespace.org/feedburner/ext/1.0",
}
_COMMENT_LINES = re.compile(r"\A(?:\s*//[^\n]*\n)*\s*")  # `// API callback` before the call
_CALL = re.compile(r"\A([A-Za-z_$][\w$.]*)\s*\((.*)\)\s*;?\s*\Z", re.DOTALL)
MAX_DEPTH = 64  # a feed nests five deep; anything near Python's recursion limit is not one


def parse(stream: BinaryIO, locator: str, options: ParseOptions = ParseOptions()) -> Document:
    return feed_atom.read(_root(stream.read(), locator), "feed_json", locator)


def read_page(data: bytes, locator: str) -> FeedPage:
    """What a fetcher pages on (formats.feed_atom.read_page)."""
    return feed_atom.page(_root(data, locator), locator)


def _root(data: bytes, locator: str) -> Element:
    """The Atom element the JSON document stands for."""
    document = load(data, locator)
    if not isinstance(document, dict) or not isinstance(document.get("feed", document.get("entry")), dict):
        raise ParseError(locator, 'JSON, but not a Blogger feed: no "feed" (or "entry") object at the top')
    name = "feed" if "feed" in document else "entry"
    namespaces = {**KNOWN_NAMESPACES, **_declared(document[name])}
    return _element(name, document[name], namespaces, 0, locator)


def load(data: bytes, locator: str) -> Any:
    """The JSON of a file, bare or wrapped in a JSONP call; one line saying why when it is neither."""
    text = _COMMENT_LINES.sub("", decoding.decode(data, locator), count=1)  # as the sniffer read it: BOMs, UTF-16
    call = _CALL.match(text) if not text.startswith(("{", "[")) else None
    body = call[2] if call else text
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        line = error.lineno + (text[: call.start(2)].count("\n") if call else 0)
        raise ParseError(locator, f"not well-formed JSON: {error.msg}", line=line) from None
    except RecursionError:
        raise ParseError(locator, "not a Blogger file: JSON nested too deeply") from None


def _declared(feed: dict[str, Any]) -> dict[str, str]:
    """The namespaces the feed declares (`"xmlns$gd": "http://..."`)."""
    return {
        key.split("$", 1)[1]: value
        for key, value in feed.items()
        if key.startswith("xmlns$") and isinstance(value, str)
    }


def _element(key: str, value: dict[str, Any], namespaces: dict[str, str], depth: int, locator: str) -> Element:
    """The Atom element a JSON object stands for: `$t` its text, strings its attributes, objects its children."""
    if depth > MAX_DEPTH:
        raise ParseError(locator, "not a Blogger feed: JSON nested too deeply")
    element = Element(_name(key, namespaces))
    for name, item in value.items():
        if name == "$t":
            element.text = _text(item)
        elif name == "xmlns" or name.startswith("xmlns$"):
            continue
        elif isinstance(item, dict):
            element.append(_element(name, item, namespaces, depth + 1, locator))
        elif isinstance(item, list):
            element.extend(
                _element(name, member, namespaces, depth + 1, locator) for member in item if isinstance(member, dict)
            )
        elif item is not None:
            element.set(_name(name, namespaces) if "$" in name else name, _text(item))
    return element


def _name(key: str, namespaces: dict[str, str]) -> str:
    """`thr$total` is {thr's namespace}total; a plain name is Atom's; an undeclared prefix keeps its name."""
    prefix, _, local = key.rpartition("$")
    if not prefix:
        return f"{ATOM}{local}"
    return f"{{{namespaces[prefix]}}}{local}" if prefix in namespaces else f"{prefix}_{local}"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
