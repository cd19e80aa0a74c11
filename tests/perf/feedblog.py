"""A corpus blog (tests/perf/corpus.py) in the shapes of Blogger's public feeds (blogger-formats.md §7), for the
local HTTP server of tests/perf/blogserver.py: the same entries as the blog's classic export, without their kind
category, paged as the live feeds page them, as Atom or as JSON (`alt=json`), and its post pages.

The entries are cut from the classic export the corpus writes, so the feeds hold exactly what the export holds.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

from tests.perf.corpus import generate
from tests.perf.synthetic_export import FEED_NAMESPACES, FEEDS, HOST, KIND_SCHEME

ATOM = "http://www.w3.org/2005/Atom"
NAMESPACES = FEED_NAMESPACES + " xmlns:blogger='http://schemas.google.com/blogger/2008'"
PREFIXES = {
    ATOM: "",
    "http://a9.com/-/spec/opensearchrss/1.0/": "openSearch",
    "http://schemas.google.com/g/2005": "gd",
    "http://purl.org/syndication/thread/1.0": "thr",
    "http://www.georss.org/georss": "georss",
    "http://schemas.google.com/blogger/2008": "blogger",
}
ARRAYS = {"entry", "link", "category", "author", "gd$extendedProperty"}  # arrays in Blogger's JSON, even of one
_ENTRY = re.compile(r"<entry>.*?</entry>", re.DOTALL)
_KIND = re.compile(rf"<category scheme='{re.escape(KIND_SCHEME)}' term='[^']*#(\w+)'/>")
_ID = re.compile(r"<id>tag:blogger\.com,1999:blog-(\d+)\.post-(\d+)</id>")
_TIME = re.compile(r"<(published|updated)>([^<]+)</\1>")
_POST_REF = re.compile(r"ref='tag:blogger\.com,1999:blog-\d+\.post-(\d+)'")
_CONTENT = re.compile(r"<content type='html'>(.*?)</content>", re.DOTALL)
_PAGE_LINK = re.compile(r"<link rel='alternate' type='text/html' href='https?://[^/']+(/[^']+)'")
SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class FeedEntry:
    id: str  # the post's or comment's Blogger id
    xml: str  # the export's entry without its kind category
    published: datetime
    updated: datetime
    post_id: str | None = None  # a comment's post


@dataclass
class FeedBlog:
    blog_id: str
    title: str
    posts: list[FeedEntry]  # newest first
    comments: list[FeedEntry]  # newest first
    pages: dict[str, bytes] = field(default_factory=dict)  # post path -> its saved page
    export: Path | None = None  # the classic export the entries come from
    summary_only: bool = False  # posts with <summary> and no <content>: a feed set to "short"
    blogwide_limit: int | None = None  # the blog-wide comments feed lists only the newest this many
    _updated: dict[tuple[str, int, int], datetime] = field(default_factory=dict, repr=False)

    @classmethod
    def from_corpus(cls, folder: Path, posts: int, seed: int = 0, pages: bool = True) -> FeedBlog:
        """The corpus blog of `posts` posts; its post pages too, unless `pages` is False."""
        manifest = generate(folder, posts=posts, seed=seed, formats=["classic", "html"] if pages else ["classic"])
        export = manifest.paths["classic"]
        text = export.read_text(encoding="utf-8")
        blog = cls(
            blog_id=re.search(r"blog-(\d+)\.archive", text)[1],  # type: ignore[index]
            title=html.unescape(re.search(r"<title type='text'>([^<]*)</title>", text)[1]),  # type: ignore[index]
            posts=[],
            comments=[],
            export=export,
        )
        for match in _ENTRY.finditer(text):
            blog.add(match[0], sort=False)
        blog.posts.sort(key=lambda e: e.published, reverse=True)
        blog.comments.sort(key=lambda e: e.published, reverse=True)
        if pages:
            folder = manifest.paths["html"]
            blog.pages = {"/" + str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.html"))}
        return blog

    def add(self, entry_xml: str, sort: bool = True) -> None:
        """An export's entry (post or comment) joins the feeds; settings and templates are no part of them."""
        kind = _KIND.search(entry_xml)
        if kind is None or kind[1] not in ("post", "comment"):
            return
        times = dict(_TIME.findall(entry_xml))
        post = _POST_REF.search(entry_xml)
        entry = FeedEntry(
            id=_ID.search(entry_xml)[2],  # type: ignore[index]
            xml=_KIND.sub("", entry_xml),
            published=datetime.fromisoformat(times["published"]),
            updated=datetime.fromisoformat(times["updated"]),
            post_id=post[1] if kind[1] == "comment" and post else None,
        )
        (self.posts if entry.post_id is None else self.comments).append(entry)
        if sort:
            self.posts.sort(key=lambda e: e.published, reverse=True)
            self.comments.sort(key=lambda e: e.published, reverse=True)

    def entries(self, feed: str, orderby: str = "published", updated_min: datetime | None = None) -> list[FeedEntry]:
        """The entries of a feed: posts, pages (none), comments, or POSTID (one post's comments)."""
        newest = self.comments[: self.blogwide_limit] if self.blogwide_limit is not None else self.comments
        chosen = {"posts": self.posts, "pages": [], "comments": newest}.get(feed)
        if chosen is None:
            chosen = [entry for entry in self.comments if entry.post_id == feed]
        if updated_min is not None:
            chosen = [entry for entry in chosen if entry.updated >= updated_min]
        if orderby == "updated":
            chosen = sorted(chosen, key=lambda e: e.updated, reverse=True)
        return chosen

    def updated(self, feed: str) -> datetime:
        """The feed's <updated>: its newest entry's time (the posts feed's, for an empty one)."""
        key = (feed, len(self.posts), len(self.comments))
        if key not in self._updated:
            every = self.entries(feed) or self.posts
            self._updated[key] = max(entry.updated for entry in every)
        return self._updated[key]

    def entry_xml(self, entry: FeedEntry) -> str:
        if not self.summary_only or entry.post_id is not None:
            return entry.xml
        body = _CONTENT.search(entry.xml)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.unescape(html.unescape(body[1] if body else ""))))
        summary = f"<summary type='text'>{html.escape(text.strip()[:400])}</summary>"
        return _CONTENT.sub(lambda _: summary, entry.xml)

    def feed(self, feed: str, base: str, start: int, size: int, total_lie: int | None = None, **query: str) -> str:
        """One page of a feed as Atom: Blogger's header, openSearch's figures, `next` while more remain."""
        updated_min = datetime.fromisoformat(query["updated-min"]) if "updated-min" in query else None
        every = self.entries(feed, query.get("orderby", "published"), updated_min)
        page = every[start - 1 : start - 1 + size]
        path = {"posts": "posts/default", "pages": "pages/default", "comments": "comments/default"}.get(
            feed, f"{feed}/comments/default"
        )
        suffix = {"posts": "", "pages": "", "comments": ".comments"}.get(feed, f".post{feed}..comments")
        own = f"{base}/feeds/{path}"
        head = [
            f"<?xml version='1.0' encoding='UTF-8'?><feed {NAMESPACES}>",
            f"<id>tag:blogger.com,1999:blog-{self.blog_id}{suffix}</id>",
            f"<updated>{self.updated(feed).isoformat(timespec='milliseconds')}</updated>",
            f"<title type='text'>{html.escape(self.title)}</title>",
            f"<link rel='http://schemas.google.com/g/2005#feed' type='application/atom+xml' href='{own}'/>",
            f"<link rel='self' type='application/atom+xml' href='{FEEDS}/{self.blog_id}/{path}'/>",
            f"<link rel='alternate' type='text/html' href='{HOST}/'/>",
        ]
        if start - 1 + size < len(every) and page:
            nxt = f"{FEEDS}/{self.blog_id}/{path}?start-index={start + len(page)}&amp;max-results={size}"
            head.append(f"<link rel='next' type='application/atom+xml' href='{nxt}'/>")
        head += [
            "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>",
            f"<openSearch:totalResults>{len(every) if total_lie is None else total_lie}</openSearch:totalResults>",
            f"<openSearch:startIndex>{start}</openSearch:startIndex>",
            f"<openSearch:itemsPerPage>{size}</openSearch:itemsPerPage>",
        ]
        return "".join([*head, *(self.entry_xml(entry) for entry in page), "</feed>"])

    def one_post(self, post_id: str) -> str | None:
        found = [entry for entry in self.posts if entry.id == post_id]
        if not found:
            return None
        return self.entry_xml(found[0]).replace(
            "<entry>", f"<?xml version='1.0' encoding='UTF-8'?><entry {NAMESPACES}>", 1
        )

    def new_post(self, post_id: str, title: str, when: datetime) -> None:
        """A post written after the others: a copy of the newest with its own id, title and time, no labels."""
        model = self.posts[0]
        xml = re.sub(r"<category scheme='http://www\.blogger\.com/atom/ns#' term='[^']*'/>", "", model.xml)
        xml = re.sub(
            r"<title type='text'>[^<]*</title>", f"<title type='text'>{html.escape(title)}</title>", xml, count=1
        )
        xml = re.sub(r"<thr:total>\d+</thr:total>", "<thr:total>0</thr:total>", xml.replace(model.id, post_id))
        stamp = when.isoformat(timespec="milliseconds")
        xml = _TIME.sub(lambda m: f"<{m[1]}>{stamp}</{m[1]}>", xml)
        self.add(_with_kind(xml, "post"))

    def new_comment(self, comment_id: str, post_id: str, text: str, when: datetime) -> None:
        """A top-level comment on a post, written after the others: a copy of one of the post's own."""
        model = next(e for e in self.comments if e.post_id == post_id and "rel='related'" not in e.xml)
        xml = _CONTENT.sub(
            lambda _: f"<content type='html'>{html.escape(text)}</content>", model.xml.replace(model.id, comment_id)
        )
        xml = re.sub(
            r"<title type='text'>[^<]*</title>", f"<title type='text'>{html.escape(text[:50])}</title>", xml, count=1
        )
        stamp = when.isoformat(timespec="milliseconds")
        ms = int(when.timestamp() * 1000)
        xml = re.sub(r"showComment=\d+", f"showComment={ms}", _TIME.sub(lambda m: f"<{m[1]}>{stamp}</{m[1]}>", xml))
        xml = re.sub(r"name='blogger\.displayTime' value='[^']*'", "name='blogger.displayTime' value=''", xml)
        self.add(_with_kind(xml, "comment"))

    def sitemap_index(self, base: str, size: int) -> str:
        """`/sitemap.xml` as Blogger gives it: an index of its pages, `size` posts a page (150 on Blogger)."""
        count = max(1, -(-len(self.posts) // size))
        pages = "".join(f"<sitemap><loc>{base}/sitemap.xml?page={n}</loc></sitemap>" for n in range(1, count + 1))
        return f"<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='{SITEMAPS}'>{pages}</sitemapindex>"

    def sitemap(self, base: str, page: int = 1, size: int | None = None) -> str:
        """A `<urlset>` of the posts' pages, the newest first: one page of `size` of them, or all."""
        chosen = self.posts[(page - 1) * size : page * size] if size else self.posts
        urls = "".join(
            f"<url><loc>{base}{self.page_path(entry)}</loc>"
            f"<lastmod>{entry.updated.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}</lastmod></url>"
            for entry in chosen
        )
        return f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='{SITEMAPS}'>{urls}</urlset>"

    def pages_sitemap(self) -> str:
        """`/sitemap-pages.xml`, the static pages' list: the corpus has none."""
        return f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='{SITEMAPS}'></urlset>"

    def page_path(self, entry: FeedEntry) -> str:
        """A post's page's path, from its entry's alternate link."""
        return _PAGE_LINK.search(entry.xml)[1]  # type: ignore[index]

    def copy(self, **changes: object) -> FeedBlog:
        """Another blog to serve (and change), the same entries."""
        return replace(self, posts=list(self.posts), comments=list(self.comments), _updated={}, **changes)  # type: ignore[arg-type]


def _with_kind(xml: str, kind: str) -> str:
    category = f"<category scheme='{KIND_SCHEME}' term='http://schemas.google.com/blogger/2008/kind#{kind}'/>"
    return (
        xml.replace("</published>", "</published>" + category, 1)
        if "</updated>" not in xml
        else xml.replace("</updated>", "</updated>" + category, 1)
    )


def as_json(atom: str) -> str:
    """The JSON Blogger gives for a feed (`alt=json`): each element an object, `$t` its text, `prefix$name` for a
    namespaced name, attributes as plain keys, every value a string (blogger-formats.md §7.6)."""
    root = ElementTree.fromstring(atom.encode())
    top = "feed" if root.tag == f"{{{ATOM}}}feed" else "entry"
    body = _object(root)
    body.update({f"xmlns${prefix}" if prefix else "xmlns": uri for uri, prefix in PREFIXES.items()})
    return json.dumps({"version": "1.0", "encoding": "UTF-8", top: body}, ensure_ascii=False)


def _name(tag: str) -> str:
    uri, _, local = tag[1:].partition("}")
    prefix = PREFIXES.get(uri, "")
    return f"{prefix}${local}" if prefix else local


def _object(element: ElementTree.Element) -> dict[str, object]:
    out: dict[str, object] = {_name(k) if k.startswith("{") else k: v for k, v in element.attrib.items()}
    if (element.text and element.text.strip()) or (len(element) == 0 and not element.attrib):
        out["$t"] = element.text or ""
    for child in element:
        key = _name(child.tag)
        value = _object(child)
        if key in ARRAYS:
            out.setdefault(key, [])
            out[key].append(value)  # type: ignore[union-attr]
        else:
            out[key] = value
    return out
