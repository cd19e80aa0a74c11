"""A planned post as the saved page of Blogger's "Simple" template with threaded comments (blogger-formats.md §3.2,
§3.4): the markup importer/formats/html.py reads, inside a few KB of the head, sidebar and script boilerplate a
real page carries (real ones are 60-200 KB; most of that is CSS and scripts, kept short here).
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from urllib.parse import quote

from tests.perf import corpus_words as words
from tests.perf.corpus_boilerplate import BODY_TOP, FOOTER, HEAD, SHARE_BUTTONS, SKIN_CSS, THREADED_COMMENT_JS
from tests.perf.corpus_content import Block
from tests.perf.corpus_plan import Comment, Post, threads
from tests.perf.corpus_text import comment_header, date_line
from tests.perf.synthetic_export import BLOG_OFFSET, HOST, Author, Blog, _display_time

_URL = re.compile(r"https://[^\s<]+")
# The admin's delete link; Blogger renders it for everyone and hides it with CSS.
_DELETE = "https://www.blogger.com/delete-comment.g?blogID={blog}&amp;postID={comment}"


def attribute(text: str) -> str:
    return escape(text, quote=True).replace("&#x27;", "&#39;")


def comment_html(text: str, br: str = "<br>") -> str:
    """A comment's HTML as Blogger stores it: escaped text, <br> for line breaks, links made clickable."""
    escaped = attribute(text)
    return _URL.sub(lambda m: f'<a href="{m[0]}" rel="nofollow">{m[0]}</a>', escaped).replace("\n", br)


def body_html(blocks: list[Block]) -> str:
    parts = ['<div dir="ltr" style="text-align: left;" trbidi="on">']
    for block in blocks:
        if block.kind == "list":
            parts.append("<ul>" + "".join(f"<li>{attribute(item)}</li>" for item in block.items) + "</ul>")
        elif block.kind == "heading":
            parts.append(f"<p><b>{attribute(block.text)}</b></p>")
        elif block.kind == "quote":
            parts.append(f"<blockquote>{attribute(block.text)}</blockquote>")
        elif block.kind == "link":
            parts.append(
                f'<p>{attribute(block.text)} <a href="{block.href}">{attribute(block.anchor)}</a> '
                f"{attribute(block.after)}</p>"
            )
        else:
            parts.append(f"<p>{attribute(block.text)}</p>")
    return "".join(parts) + "</div>"


# --- Comments (Blogger-generated markup, the same on every template) ---------------------------------------------


def comment_li(
    comment: Comment, text: str, replies_html: str | None, *, blog_id: int, permalink: str, owner: Author | None
) -> str:
    """One li.comment. `replies_html` is None for a reply (no Reply link; an empty, hidden thread of its own).
    The blog's `owner` gets Blogger's blog-author icon."""
    cid = comment.comment_id
    reply_link = (
        "" if replies_html is None else (f'<a class="comment-reply" target="_self" data-comment-id="{cid}">Reply</a>')
    )
    body = f'<span class="deleted-comment">{attribute(text)}</span>' if comment.removed else comment_html(text)
    by_owner = " blog-author" if comment.author == owner else ""
    return (
        f'<li class="comment" id="c{cid}"><div class="avatar-image-container"><img src="{_avatar(comment.author)}" '
        f'alt=""/></div><div class="comment-block"><div class="comment-header">{_cite(comment.author)}'
        f'<span class="icon user{by_owner}"></span><span class="datetime secondary-text"><a rel="nofollow" '
        f'href="{attribute(permalink)}?showComment={comment.published_ms}#c{cid}">'
        f"{_display_time(comment.published_ms)}</a></span></div>"
        f'<p class="comment-content">{body}</p><span class="comment-actions secondary-text">{reply_link}'
        f'<span class="item-control blog-admin blog-admin pid-{comment.item_class}"><a target="_self" '
        f'href="{_DELETE.format(blog=blog_id, comment=cid)}">Delete</a></span></span></div>'
        f"{reply_thread(cid, replies_html or '')}"
        f'<div class="comment-replybox-single" id="c{cid}-ce"></div></li>'
    )


def reply_thread(cid: int, replies_html: str) -> str:
    """A comment's reply thread; Blogger renders it for every comment and hides the empty ones with CSS."""
    hidden = "" if replies_html else " hidden"
    return (
        f'<div class="comment-replies"><div id="c{cid}-rt" class="comment-thread inline-thread{hidden}">'
        '<span class="thread-toggle thread-expanded"><span class="thread-arrow"></span><span class="thread-count">'
        f'<a target="_self">Replies</a></span></span><ol id="c{cid}-ra" class="thread-chrome thread-expanded">'
        f'<div>{replies_html}</div><div id="c{cid}-continue" class="continue"><a class="comment-reply" '
        f'target="_self" data-comment-id="{cid}">Reply</a></div></ol></div></div>'
    )


def _cite(author: Author) -> str:
    if author.uri is None:
        return f'<cite class="user">{attribute(author.name)}</cite>'
    return f'<cite class="user"><a href="{attribute(author.uri)}" rel="nofollow">{attribute(author.name)}</a></cite>'


def _avatar(author: Author) -> str:
    return "//resources.blogblog.com/img/blank.gif" if author.uri is None else f"//{author.image.lstrip('/')}"


def comments_block(blog: Blog, post: Post, comments: list[Comment], texts: list[str]) -> str:
    def li(comment: Comment, replies_html: str | None) -> str:
        return comment_li(
            comment,
            texts[comment.index],
            replies_html,
            blog_id=blog.blog_id,
            permalink=post.permalink,
            owner=blog.owner,
        )

    items = "".join(li(top, "".join(li(reply, None) for reply in replies)) for top, replies in threads(comments))
    return (
        f"<div class='comments' id='comments'><a name='comments'></a><h4>{comment_header(len(comments))}</h4>"
        f"<div class='comments-content'><script async='async' src='' type='text/javascript'></script>"
        f"<script type='text/javascript'>{THREADED_COMMENT_JS}</script><div id='comment-holder'>"
        f'<div class="comment-thread toplevel-thread"><ol id="top-ra">{items}</ol></div>'
        '<div class="continue" id="top-continue"><a class="comment-reply" target="_self">Add comment</a></div>'
        '<div class="comment-replybox-thread" id="top-ce"></div>'
        f'<div class="loadmore hidden" data-post-id="{post.post_id}"><a target="_self">Load more...</a></div>'
        "</div></div><p class='comment-footer'><a href='https://www.blogger.com/comment.g?blogID="
        f"{blog.blog_id}&amp;postID={post.post_id}&amp;isPopup=true'>Post a Comment</a></p></div>"
    )


# --- The page ----------------------------------------------------------------------------------------------------


def html_page(
    blog: Blog,
    post: Post,
    blocks: list[Block],
    comments: list[Comment],
    texts: list[str],
    *,
    neighbours: tuple[Post | None, Post | None],
    years: range,
) -> str:
    """The whole saved page. `neighbours` are the newer and older posts (for the pager), `years` the archive's."""
    title, link = attribute(post.title), attribute(post.permalink)
    description = attribute(blocks[0].text[:150] + "...") if blocks else ""
    head = HEAD.format(
        blog_id=blog.blog_id,
        post_id=post.post_id,
        host=HOST,
        permalink=link,
        title=title,
        blog_title=attribute(blog.title),
        description=description,
        css=SKIN_CSS,
    )
    return "".join(
        (
            head,
            BODY_TOP.format(host=HOST, blog_title=attribute(blog.title), description=attribute(words.BLOG_DESCRIPTION)),
            (
                f"<div class=\"date-outer\"><h2 class='date-header'><span>{date_line(post.published_ms)}</span></h2>"
                "<div class=\"date-posts\"><div class='post-outer'>"
            ),
            _post(blog, post, blocks),
            comments_block(blog, post, comments, texts),
            "</div></div></div></div>",
            _pager(*neighbours),
            _feeds(post),
            "</div></div></div></div>",
            _sidebar(blog, years),
            FOOTER.format(
                blog_id=blog.blog_id,
                host=HOST,
                host_bare=HOST.removeprefix("https://"),
                path=post.permalink[len(HOST) :],
                post_id=post.post_id,
            ),
        )
    )


def _post(blog: Blog, post: Post, blocks: list[Block]) -> str:
    local = datetime.fromtimestamp(post.published_ms / 1000, BLOG_OFFSET)
    owner = post.author
    labels = ", ".join(
        f"<a href='{HOST}/search/label/{quote(label)}' rel='tag'>{attribute(label)}</a>" for label in post.labels
    )
    return (
        "<div class='post hentry uncustomized-post-template' itemprop='blogPost' itemscope='itemscope' "
        "itemtype='http://schema.org/BlogPosting'>"
        f"<meta content='{blog.blog_id}' itemprop='blogId'/><meta content='{post.post_id}' itemprop='postId'/>"
        f"<a name='{post.post_id}'></a><h3 class='post-title entry-title' itemprop='name'>{attribute(post.title)}</h3>"
        "<div class='post-header'><div class='post-header-line-1'></div></div>"
        f"<div class='post-body entry-content' id='post-body-{post.post_id}' itemprop='description articleBody'>"
        f"{body_html(blocks)}<div style='clear: both;'></div></div>"
        "<div class='post-footer'><div class='post-footer-line post-footer-line-1'><span class='post-author vcard'>"
        "Posted by <span class='fn' itemprop='author' itemscope='itemscope' itemtype='http://schema.org/Person'>"
        f"<meta content='{owner.uri}' itemprop='url'/><a class='g-profile' href='{owner.uri}' rel='author' "
        f"title='author profile'><span itemprop='name'>{attribute(owner.name)}</span></a></span></span> "
        f"<span class='post-timestamp'>at <meta content='{attribute(post.permalink)}' itemprop='url'/>"
        f"<a class='timestamp-link' href='{attribute(post.permalink)}' rel='bookmark' title='permanent link'>"
        f"<abbr class='published' itemprop='datePublished' title='{local:%Y-%m-%dT%H:%M:%S}+01:00'>"
        f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}</abbr></a></span> "
        "<span class='post-comment-link'></span><span class='post-icons'><span class='item-control blog-admin "
        f"pid-1627463723'><a href='https://www.blogger.com/post-edit.g?blogID={blog.blog_id}&amp;postID="
        f"{post.post_id}&amp;from=pencil' title='Edit Post'><img alt='' class='icon-action' height='18' "
        "src='https://resources.blogblog.com/img/icon18_edit_allbkg.gif' width='18'/></a></span></span>"
        f"{SHARE_BUTTONS.format(blog_id=blog.blog_id, post_id=post.post_id)}</div>"
        f"<div class='post-footer-line post-footer-line-2'><span class='post-labels'>"
        f"{'Labels: ' + labels if labels else ''}</span></div>"
        "<div class='post-footer-line post-footer-line-3'><span class='post-location'></span></div></div></div>"
    )


def _pager(newer: Post | None, older: Post | None) -> str:
    parts = ["<div class='blog-pager' id='blog-pager'>"]
    if newer is not None:
        parts.append(
            f"<span id='blog-pager-newer-link'><a class='blog-pager-newer-link' href='"
            f"{attribute(newer.permalink)}' id='Blog1_blog-pager-newer-link' title='Newer Post'>Newer Post"
            "</a></span>"
        )
    if older is not None:
        parts.append(
            f"<span id='blog-pager-older-link'><a class='blog-pager-older-link' href='"
            f"{attribute(older.permalink)}' id='Blog1_blog-pager-older-link' title='Older Post'>Older Post"
            "</a></span>"
        )
    parts.append(f"<a class='home-link' href='{HOST}/'>Home</a></div><div class='clear'></div>")
    return "".join(parts)


def _feeds(post: Post) -> str:
    return (
        f"<div class='post-feeds'><div class='feed-links'>Subscribe to: <a class='feed-link' href='{HOST}/feeds/"
        f"{post.post_id}/comments/default' target='_blank' type='application/atom+xml'>Post Comments (Atom)</a>"
        "</div></div>"
    )


def _sidebar(blog: Blog, years: range) -> str:
    labels = "".join(
        f"<li><a dir='ltr' href='{HOST}/search/label/{quote(label)}'>{attribute(label)}</a></li>"
        for label in sorted(words.LABELS, key=str.lower)
    )
    archive = "".join(f"<option value='{HOST}/{year}/'>{year}</option>" for year in reversed(years))
    owner = blog.owner
    return (
        "<div class='column-right-outer'><div class='column-right-inner'><aside>"
        "<div class='sidebar section' id='sidebar-right-1'>"
        "<div class='widget HTML' data-version='1' id='HTML1'><h2 class='title'>About</h2><div class='widget-content'>"
        f"{attribute(words.BLOG_DESCRIPTION)}. Comments are moderated only for spam; please be civil.</div></div>"
        "<div class='widget Label' data-version='1' id='Label1'><h2>Labels</h2><div class='widget-content list-label-"
        f"widget-content'><ul>{labels}</ul></div></div>"
        "<div class='widget BlogArchive' data-version='1' id='BlogArchive1'><h2>Blog Archive</h2><div class='widget-"
        "content'><div id='ArchiveList'><div id='BlogArchive1_ArchiveList'><select id='BlogArchive1_ArchiveMenu'>"
        f"<option value=''>Blog Archive</option>{archive}</select></div></div></div></div>"
        "<div class='widget Profile' data-version='1' id='Profile1'><h2>About Me</h2><div class='widget-content'>"
        f"<a href='{owner.uri}'><img alt='My photo' class='profile-img' height='80' src='{owner.image}' width='60'/>"
        f"</a><dl class='profile-datablock'><dt class='profile-data'><a class='profile-name-link g-profile' "
        f"href='{owner.uri}' rel='author'>{attribute(owner.name)}</a></dt></dl><a class='profile-link' "
        f"href='{owner.uri}' rel='author'>View my complete profile</a></div></div>"
        "</div></aside></div></div>"
    )
