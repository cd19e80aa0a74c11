"""Reading a blog's sitemap (sources.sitemap), on literal bytes: Blogger's index and its pages, an older blog's
plain list, what is not a sitemap, XML attacks refused; and which of the listed addresses are followed."""

from __future__ import annotations

import pytest

from blogimport.errors import ParseError
from blogimport.sources.sitemap import POST_PATH, Location, Sitemap, on_host, parse

INDEX = (
    b"<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
    b"<sitemap><loc>https://name.blogspot.com/sitemap.xml?page=1</loc></sitemap>"
    b"<sitemap><loc>https://name.blogspot.com/sitemap.xml?page=2</loc></sitemap></sitemapindex>"
)
PAGE = b"""<?xml version='1.0' encoding='UTF-8'?>
<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>
  <url><loc>https://name.blogspot.com/2016/02/some-post.html</loc><lastmod>2016-02-14T10:00:00Z</lastmod></url>
  <url>
    <loc> https://name.blogspot.com/2016/01/an-older-one.html </loc>
    <lastmod>2016-01-30T08:15:00Z</lastmod>
  </url>
  <url><loc>https://name.blogspot.com/2015/12/no-lastmod.html</loc></url>
  <url><lastmod>2015-11-01T00:00:00Z</lastmod></url>
</urlset>"""


def test_blogger_s_sitemap_index_lists_its_pages() -> None:
    assert parse(INDEX, "https://name.blogspot.com/sitemap.xml") == Sitemap(
        index=True,
        locations=(
            Location("https://name.blogspot.com/sitemap.xml?page=1"),
            Location("https://name.blogspot.com/sitemap.xml?page=2"),
        ),
    )


def test_a_sitemap_page_lists_posts_with_their_lastmod() -> None:
    """Whitespace around a value is not part of it; a <url> without <loc> is nothing to follow."""
    assert parse(PAGE, "https://name.blogspot.com/sitemap.xml?page=1") == Sitemap(
        index=False,
        locations=(
            Location("https://name.blogspot.com/2016/02/some-post.html", "2016-02-14T10:00:00Z"),
            Location("https://name.blogspot.com/2016/01/an-older-one.html", "2016-01-30T08:15:00Z"),
            Location("https://name.blogspot.com/2015/12/no-lastmod.html", None),
        ),
    )


def test_an_older_blog_s_plain_list_without_a_namespace_and_an_empty_one() -> None:
    plain = b"<urlset><url><loc>http://old.blogspot.com/p/about.html</loc><lastmod>2010-05-01</lastmod></url></urlset>"
    assert parse(plain, "x") == Sitemap(False, (Location("http://old.blogspot.com/p/about.html", "2010-05-01"),))
    empty = b"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>"
    assert parse(empty, "x") == Sitemap(False, ())


# Entities that expand each other (the "billion laughs", two levels of ten here): refused at the DTD, unexpanded.
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY l0 "lol"><!ENTITY l1 "&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;">'
    b'<!ENTITY l2 "&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;">]><urlset><url><loc>&l2;</loc></url></urlset>'
)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"<html><body>Not a sitemap</body></html>", "U: not a sitemap: the document is <html>"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "U: not a sitemap: the document is <feed>"),
        (b"<urlset><url><loc>cut short", "U: not a sitemap: not well-formed XML: no element found"),
        (b"", "U: not a sitemap: not well-formed XML: no element found"),
        (LAUGHS, "U: refused: the sitemap declares a DTD (<!DOCTYPE>)"),
        (
            b'<!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]><urlset><url><loc>&x;</loc></url></urlset>',
            "U: refused: the sitemap declares a DTD (<!DOCTYPE>)",
        ),
    ],
    ids=["html", "atom", "cut", "empty", "laughs", "external-entity"],
)
def test_what_is_not_a_sitemap_is_one_line(data: bytes, line: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse(data, "U")
    assert str(raised.value) == line


def test_only_the_blog_s_own_host_is_followed_moved_onto_the_address_read() -> None:
    listed = (
        Location("https://name.blogspot.com/2016/02/a.html", "2016-02-14T10:00:00Z"),
        Location("http://NAME.blogspot.com/2016/02/b.html"),  # the other scheme, the host in capitals: the same host
        Location("https://name.blogspot.com:8443/2016/02/c.html"),  # another port: another server
        Location("https://other.blogspot.com/2016/02/d.html"),
        Location("https://name.blogspot.com.evil.example/2016/02/e.html"),
        Location("ftp://name.blogspot.com/2016/02/f.html"),
        Location("file:///etc/passwd"),
        Location("javascript:alert(1)"),
        Location("https://name.blogspot.com:notaport/2016/02/g.html"),
        Location("https://name.blogspot.com/2016/02/a.html", "2017-01-01T00:00:00Z"),  # listed twice: the first kept
        Location("https://name.blogspot.com/p/about.html", "2015-01-01T00:00:00Z"),
        Location("https://name.blogspot.com/search/label/News"),
        Location("https://name.blogspot.com/2016/02/"),
        Location("https://name.blogspot.com/2016_02_01_archive.html"),
        Location("https://name.blogspot.com/"),
    )
    assert on_host(listed, "http://name.blogspot.com", POST_PATH) == [
        Location("http://name.blogspot.com/2016/02/a.html", "2016-02-14T10:00:00Z"),
        Location("http://name.blogspot.com/2016/02/b.html"),
        Location("http://name.blogspot.com/p/about.html", "2015-01-01T00:00:00Z"),
    ]
    # Without a path to match (the sitemaps an index lists): every one on the host, its query kept.
    pages = (Location("https://name.blogspot.com/sitemap.xml?page=2"), Location("https://evil.example/sitemap.xml"))
    assert on_host(pages, "http://127.0.0.1:8080", None) == []
    assert on_host(pages, "https://name.blogspot.com", None) == [
        Location("https://name.blogspot.com/sitemap.xml?page=2")
    ]


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/2016/02/some-post.html", True),
        ("/p/about.html", True),
        ("/2016/02/some-post.html/x", False),
        ("/2016/2/some-post.html", False),
        ("/search/label/News.html", False),
        ("/2016_02_01_archive.html", False),
    ],
)
def test_which_paths_are_a_blog_s_pages(path: str, page: bool) -> None:
    assert bool(POST_PATH.match(path)) is page
