"""Issue 17: the page index (formats/html_index.py) selects what soupsieve selects, element for element and in its
order, for every selector the HTML parser asks, on every saved page of tests/fixtures, from the whole page, from
each post and from comments; and on markup made to trip it (templates, SVG attribute case, nested ancestors)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from blogimport.formats import html, html_comments, html_post
from blogimport.formats.html_index import PageIndex
from tests.html_golden import pages

SELECTORS = [
    html._POSTS,
    ".widget.Blog",
    "link[rel=canonical]",
    "meta[property='og:url']",
    "meta[itemprop=blogId]",
    *html_post._TITLES,
    *html_post._BODIES,
    html_post._ISO_DATES,
    html_post._SHOWN_DATES,
    *html_post._AUTHORS,
    ".post-labels a, a[rel=tag]",
    "script[type='application/ld+json']",
    "[id^=post-body-]",
    ".post[data-id]",
    ".post-title a[href], a.timestamp-link[href], h2.title a[href]",
    html_comments._COMMENT_MARKUP,
    "#comments h4",
    "#comments[data-num-comments]",
    "dl#comments-block",
    "cite.user",
    ".datetime a[href]",
    ".icon.blog-author",
    "*",  # nothing to narrow by: soupsieve's own walk
]
PAGES = pages()


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_selector_gives_what_soupsieve_gives(page) -> None:  # type: ignore[no-untyped-def]
    soup = BeautifulSoup(page.read_bytes(), "lxml")
    index = PageIndex(soup)
    scopes = [soup, *soup.select(html._POSTS)[:4], *soup.select("li.comment")[:4]]
    for scope in scopes:
        for css in SELECTORS:
            assert index.select(scope, css) == scope.select(css), css
            assert index.select_one(scope, css) is scope.select_one(css)


TRICKY = """<html><head><title>t</title></head><body>
<div class="Post-Labels"><a rel="TAG" href="x">one</a></div>
<div class="post-labels"><div class="post-labels"><a rel="tag nofollow">two</a></div><a rel="tag">three</a></div>
<template id="t"><div class="post-labels"><a rel="tag">hidden</a></div></template>
<svg viewBox="0 0 1 1"><a rel="tag">svg</a><linearGradient id="g"></linearGradient></svg>
<p id="C1" class="A b">x</p><p id="c1" class="a">y</p>
</body></html>"""
TRICKY_SELECTORS = [
    ".post-labels a, a[rel=tag]",
    "a[rel~=tag]",
    "a[rel=tag i]",
    "[viewBox]",
    "[viewbox]",
    "linearGradient",
    "#c1",
    "#C1",
    ".a",
    ".A",
    "p.b",
    "div > a",
    "div + div a",
    "template a",
    ":not(p)",
    "[rel!=tag]",
]


def test_markup_made_to_trip_it() -> None:
    soup = BeautifulSoup(TRICKY, "lxml")
    index = PageIndex(soup)
    template = soup.select_one("template")
    assert template is not None
    for scope in [soup, soup.body, template, soup.select_one("div.post-labels")]:
        for css in TRICKY_SELECTORS:
            assert index.select(scope, css) == scope.select(css), css
    labels = [a.get_text() for a in index.select(soup, ".post-labels a, a[rel=tag]")]
    assert labels == ["one", "two", "three", "svg"]
    assert len(index.select(template, "a")) == 1  # selected from its template, and from there only
