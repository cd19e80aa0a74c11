"""The parts of a saved Blogger page (Simple template) around a post: head, navbar, header, footer and scripts.

Real saved pages are 60-200 KB, most of it CSS and JavaScript; these are shortened but keep their shape and the
marks importer/formats/html.py and sources.sniff look for. Placeholders are str.format fields ({{ and }} are
literal braces).
"""

from __future__ import annotations

HEAD = """<!DOCTYPE html>
<html class='v2' dir='ltr' lang='en-GB' xmlns='http://www.w3.org/1999/xhtml' \
xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' xmlns:expr='http://www.google.com/2005/gml/expr'>
<head>
<meta content='width=1100' name='viewport'/>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='{host}/favicon.ico' rel='icon' type='image/x-icon'/>
<link href='{permalink}' rel='canonical'/>
<link rel="alternate" type="application/atom+xml" title="{blog_title} - Atom" href="{host}/feeds/posts/default" />
<link rel="alternate" type="application/rss+xml" title="{blog_title} - RSS" href="{host}/feeds/posts/default?alt=rss" />
<link rel="service.post" type="application/atom+xml" title="{blog_title} - Atom" \
href="https://www.blogger.com/feeds/{blog_id}/posts/default" />
<link rel="alternate" type="application/atom+xml" title="{blog_title} - Atom" \
href="{host}/feeds/{post_id}/comments/default" />
<meta content='{permalink}' property='og:url'/>
<meta content='{title}' property='og:title'/>
<meta content='{description}' property='og:description'/>
<title>{blog_title}: {title}</title>
<link type='text/css' rel='stylesheet' href='https://www.blogger.com/static/v1/widgets/2975350028-css_bundle_v2.css' />
<link type='text/css' rel='stylesheet' \
href='https://www.blogger.com/dyn-css/authorization.css?targetBlogID={blog_id}&amp;\
zx=3f1e2a44-9c1b-4f57-8a0e-d2c1b7a6e0f4' />
<style id='page-skin-1' type='text/css'><!--
{css}
--></style>
<script type='text/javascript'>
        (function(i,s,o,g,r,a,m){{i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){{
        (i[r].q=i[r].q||[]).push(arguments)}},i[r].l=1*new Date();a=s.createElement(o),
        m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)
        }})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');
        ga('create', 'UA-00000000-1', 'auto', 'blogger');
        ga('blogger.send', 'pageview');
</script>
</head>
"""

BODY_TOP = """<body class='loading variant-simplysimple'>
<div class='navbar section' id='navbar' name='Navbar'><div class='widget Navbar' data-version='1' id='Navbar1'>\
<script type="text/javascript">
    function setAttributeOnload(object, attribute, val) {{
      if(window.addEventListener) {{
        window.addEventListener('load',
          function(){{ object[attribute] = val; }}, false);
      }} else {{
        window.attachEvent('onload', function(){{ object[attribute] = val; }});
      }}
    }}
  </script>
<div id="navbar-iframe-container"></div></div></div>
<div class='body-fauxcolumns'><div class='fauxcolumn-outer body-fauxcolumn-outer'><div class='cap-top'>\
<div class='cap-left'></div><div class='cap-right'></div></div><div class='fauxborder-left'>\
<div class='fauxborder-right'></div><div class='fauxcolumn-inner'></div></div></div></div>
<div class='content'><div class='content-fauxcolumns'></div><div class='content-outer'>
<header><div class='header-outer'><div class='header-cap-top cap-top'></div><div class='region-inner header-inner'>\
<div class='header section' id='header' name='Header'><div class='widget Header' data-version='1' id='Header1'>\
<div id='header-inner'><div class='titlewrapper'><h1 class='title'><a href='{host}/'>{blog_title}</a></h1></div>\
<div class='descriptionwrapper'><p class='description'><span>{description}</span></p></div></div></div></div>\
</div></div></header>
<div class='main-outer'><div class='main-inner columns fauxcolumns'><div class='columns-inner'>
<div class='column-center-outer'><div class='column-center-inner'><div class='main section' id='main' name='Main'>\
<div class='widget Blog' data-version='1' id='Blog1'><div class='blog-posts hfeed'>
"""

FOOTER = """</div></div></div>
<footer><div class='footer-outer'><div class='region-inner footer-inner'><div class='foot section' id='footer-1'>\
<div class='widget Attribution' data-version='1' id='Attribution1'><div class='widget-content' \
style='text-align: center;'>Simple theme. Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.\
</div></div></div></div></div></footer>
</div></div>
<script type="text/javascript" src="https://www.blogger.com/static/v1/widgets/1529571102-widgets.js"></script>
<script type='text/javascript'>
window['__wavt'] = 'AOuZoY5vTQy1x7mJQ3yQ0c4N8rW1xuV1kg:1717171717171';
_WidgetManager._Init('//www.blogger.com/rearrange?blogID={blog_id}','//{host_bare}{path}','{blog_id}');
_WidgetManager._SetDataContext([{{'name': 'blog', 'data': {{'blogId': '{blog_id}', 'bloggerUrl': \
'https://www.blogger.com', 'canonicalHomepageUrl': '{host}/', 'enabledCommentProfileImages': true, \
'languageDirection': 'ltr', 'locale': 'en-GB', 'pageType': 'item', 'postId': '{post_id}'}}}}]);
_WidgetManager._RegisterWidget('_NavbarView', new _WidgetInfo('Navbar1', 'navbar', \
document.getElementById('Navbar1'), {{}}, 'displayModeFull'));
_WidgetManager._RegisterWidget('_HeaderView', new _WidgetInfo('Header1', 'header', \
document.getElementById('Header1'), {{}}, 'displayModeFull'));
_WidgetManager._RegisterWidget('_BlogView', new _WidgetInfo('Blog1', 'main', document.getElementById('Blog1'), \
{{'cmtInteractionsEnabled': false, 'lightboxEnabled': true, 'lightboxModuleUrl': \
'https://www.blogger.com/static/v1/jsbin/1666805145-lbx__en_gb.js', 'lightboxCssUrl': \
'https://www.blogger.com/static/v1/v-css/13464135-lightbox_bundle.css'}}, 'displayModeFull'));
_WidgetManager._RegisterWidget('_LabelView', new _WidgetInfo('Label1', 'sidebar-right-1', \
document.getElementById('Label1'), {{}}, 'displayModeFull'));
_WidgetManager._RegisterWidget('_BlogArchiveView', new _WidgetInfo('BlogArchive1', 'sidebar-right-1', \
document.getElementById('BlogArchive1'), {{'languageDirection': 'ltr', 'loadingMessage': 'Loading\\x26hellip;'}}, \
'displayModeFull'));
_WidgetManager._RegisterWidget('_ProfileView', new _WidgetInfo('Profile1', 'sidebar-right-1', \
document.getElementById('Profile1'), {{}}, 'displayModeFull'));
</script>
</body>
</html>
"""

SHARE_BUTTONS = (
    "<div class='post-share-buttons goog-inline-block'>"
    "<a class='goog-inline-block share-button sb-email' href='https://www.blogger.com/share-post.g?blogID={blog_id}"
    "&amp;postID={post_id}&amp;target=email' target='_blank' title='Email This'><span class='share-button-link-text'>"
    "Email This</span></a><a class='goog-inline-block share-button sb-blog' href='https://www.blogger.com/"
    "share-post.g?blogID={blog_id}&amp;postID={post_id}&amp;target=blog' onclick='window.open(this.href, "
    "\"_blank\", \"height=270,width=475\"); return false;' target='_blank' title='BlogThis!'><span class='share-"
    "button-link-text'>BlogThis!</span></a><a class='goog-inline-block share-button sb-twitter' href='https://www."
    "blogger.com/share-post.g?blogID={blog_id}&amp;postID={post_id}&amp;target=twitter' target='_blank' "
    "title='Share to X'><span class='share-button-link-text'>Share to X</span></a><a class='goog-inline-block "
    "share-button sb-facebook' href='https://www.blogger.com/share-post.g?blogID={blog_id}&amp;postID={post_id}"
    '&amp;target=facebook\' onclick=\'window.open(this.href, "_blank", "height=430,width=640"); return false;\' '
    "target='_blank' title='Share to Facebook'><span class='share-button-link-text'>Share to Facebook</span></a>"
    "</div>"
)

SKIN_CSS = """/*
-----------------------------------------------
Blogger Template Style
Name:     Simple
Designer: Blogger
URL:      www.blogger.com
----------------------------------------------- */
body { font: normal normal 12px Arial, Tahoma, Helvetica, FreeSans, sans-serif; color: #222222;
  background: #66bbdd none repeat scroll top left; padding: 0 40px 40px 40px; }
html body .region-inner { min-width: 0; max-width: 100%; width: auto; }
h2 { font-size: 22px; }
a:link { text-decoration:none; color: #2288bb; }
a:visited { text-decoration:none; color: #888888; }
a:hover { text-decoration:underline; color: #33aaff; }
.body-fauxcolumn-outer .fauxcolumn-inner { background: transparent none repeat scroll top left;
  _background-image: none; }
.body-fauxcolumn-outer .cap-top { position: absolute; z-index: 1; height: 400px; width: 100%; }
.content-inner { padding: 10px 10px; }
.content-inner { background-color: #ffffff; }
.header-inner .Header .titlewrapper, .header-inner .Header .descriptionwrapper { padding-left: 20px;
  padding-right: 20px; }
.Header h1 { font: normal normal 60px Arial, Tahoma, Helvetica, FreeSans, sans-serif; color: #3399bb;
  text-shadow: -1px -1px 1px rgba(0, 0, 0, .2); }
.Header .description { font-size: 140%; color: #777777; }
.main-inner .column-center-inner { padding: 0 15px; }
.main-inner .column-center-inner .section { margin: 0 15px; }
.post { margin: 0 0 25px 0; }
h3.post-title, .comments h4 { font: normal normal 22px Arial, Tahoma, Helvetica, FreeSans, sans-serif;
  margin: .75em 0 0; }
.post-body { font-size: 110%; line-height: 1.4; position: relative; }
.post-body img, .post-body .tr-caption-container { padding: 5px; }
.post-body blockquote { margin: 1em 20px; font-style: italic; }
.post-header { margin: 0 0 1.5em; line-height: 1.6; font-size: 90%; }
.post-footer { margin: 20px -2px 0; padding: 5px 10px; color: #666666; background-color: #f9f9f9;
  border-bottom: 1px solid #eeeeee; line-height: 1.6; font-size: 90%; }
#comments .comment-author { padding-top: 1.5em; border-top: 1px solid #eeeeee; background-position: 0 1.5em; }
#comments .comment-author:first-child { padding-top: 0; border-top: none; }
.avatar-image-container { margin: .2em 0 0; }
#comments .avatar-image-container img { border: 1px solid #eeeeee; }
.comments .comments-content .icon.blog-author { background-repeat: no-repeat;
  background-image: url(https://resources.blogblog.com/img/icon_author.png); }
.comments .comments-content .loadmore a { border-top: 1px solid #eeeeee; border-bottom: 1px solid #eeeeee; }
.comments .continue { border-top: 2px solid #eeeeee; }
.blog-pager { background: transparent none no-repeat scroll top center; }
.blog-pager-older-link, .home-link, .blog-pager-newer-link { background-color: #ffffff; padding: 5px; }
.footer-outer { border-top: 0 dashed #bbbbbb; }
.sidebar .widget { margin: 30px 0; }"""

THREADED_COMMENT_JS = """
    (function() {
      var items = null;
      var msgs = null;
      var config = {};
// <![CDATA[
      var cursor = null;
      if (items && items.length > 0) {
        cursor = parseInt(items[items.length - 1].timestamp) + 1;
      }
      var bodyFromEntry = function(entry) {
        var text = (entry && ((entry.content && entry.content.$t) || (entry.summary && entry.summary.$t))) || '';
        if (entry && entry.gd$extendedProperty) {
          for (var k in entry.gd$extendedProperty) {
            if (entry.gd$extendedProperty[k].name == 'blogger.contentRemoved') {
              return '<span class="deleted-comment">' + text + '</span>';
            }
          }
        }
        return text;
      }
      var parse = function(data) {
        cursor = null;
        var comments = [];
        if (data && data.feed && data.feed.entry) {
          for (var i = 0, entry; entry = data.feed.entry[i]; i++) {
            var comment = {};
            var id = /blog-(\\d+).post-(\\d+)/.exec(entry.id.$t);
            comment.id = id ? id[2] : null;
            comment.body = bodyFromEntry(entry);
            comment.timestamp = Date.parse(entry.published.$t) + '';
            comments.push(comment);
          }
        }
        return comments;
      };
      var paginator = function(callback) {
        if (hasMore()) {
          var url = config.feed + '?alt=json&v=2&orderby=published&reverse=false&max-results=50';
          if (cursor) { url += '&published-min=' + new Date(cursor).toISOString(); }
          window.bloggercomments = function(data) { var parsed = parse(data); cursor = parsed.cursor;
            hasMore = parsed.hasMore; callback(parsed.comments); };
          url += '&callback=bloggercomments';
          var script = document.createElement('script');
          script.type = 'text/javascript';
          script.src = url;
          document.getElementsByTagName('head')[0].appendChild(script);
        }
      };
      var hasMore = function() { return !!cursor; };
// ]]>
    })();
  """
