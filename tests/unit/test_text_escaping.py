"""User and data text shown through Markdown is made inert (no links, images, HTML)."""
from wijk.localdata import escape_md
from wijk.ui.figures import md_escape

EVIL = "![x](http://evil.example/p.png) <img src=x onerror=alert(1)> [link](javascript:alert(1)) **bold**"


def test_md_escape_neutralises_links_images_and_html():
    out = md_escape(EVIL)
    assert "![" not in out  # image syntax broken
    assert "<img" not in out.replace("\\<img", "")  # every '<' escaped
    assert "[link]" not in out and "\\*\\*bold\\*\\*" in out
    assert md_escape("Oud-Zuid (1.2)") == "Oud-Zuid (1.2)"  # ordinary names stay readable


def test_escape_md_for_user_labels():
    out = escape_md(EVIL)
    assert "<img" not in out.replace("\\<img", "")
    assert "\\!\\[x\\]" in out
