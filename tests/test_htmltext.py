"""Export content (HTML) as the text a browser shows: what fingerprints compare across formats."""

from __future__ import annotations

import pytest

from blogimport.formats.htmltext import html_to_text


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("Thanks bud! :)", "Thanks bud! :)"),
        ("Line one<br />Line two", "Line one\nLine two"),
        ("a<br><br>b", "a\n\nb"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("<div><br></div><div>Bad is misalignment</div>", "Bad is misalignment"),
        ("text<br></div>", "text"),
        ("<ul><li>one</li><li>two</li></ul>after", "one\ntwo\n\nafter"),
        ('Den messe ich sp&auml;ter. <a href="http://x" rel="nofollow">Hier</a> ok', "Den messe ich später. Hier ok"),
        ("x<script>alert(1)</script>y<style>p{}</style>z", "xyz"),
        ("x<!-- a comment -->y", "xy"),
        ("  spaced   out\n text ", "spaced out text"),
        ("a&amp;b &lt;c&gt;", "a&b <c>"),
        ("", ""),
        ("<b>bold</b> and <i>it</i>", "bold and it"),
    ],
)
def test_html_to_text(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


def test_deep_nesting_neither_crashes_nor_loses_text() -> None:
    assert html_to_text("<div>" * 1500 + "deep" + "</div>" * 1500) == "deep"
