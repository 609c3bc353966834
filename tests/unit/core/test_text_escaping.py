"""User and data text shown through Markdown is made inert (no links, images, HTML)."""

from wijk.core.text import md

EVIL = "![x](http://evil.example/p.png) <img src=x onerror=alert(1)> [link](javascript:alert(1)) **bold**"


def test_md_neutralises_links_images_and_html():
    out = md(EVIL)
    assert "![" not in out  # image syntax broken
    assert "<img" not in out.replace("\\<img", "")  # every '<' escaped
    assert "[link]" not in out and "\\*\\*bold\\*\\*" in out
    assert "\\!\\[x\\]" in out


def test_md_label_is_inert_yet_readable_for_a_screen_reader():
    """A widget label's raw string is also its aria-label: keep ordinary punctuation as it is."""
    from markdown_it import MarkdownIt

    from wijk.core.text import md_label

    assert md_label("Hoeveel misdrijven per 1.000 inwoners (2024)?") == "Hoeveel misdrijven per 1.000 inwoners (2024)?"
    html = MarkdownIt("gfm-like").render(md_label(EVIL))
    assert "<a " not in html and "<img" not in html and "<strong>" not in html


# --- the one policy: wijk.core.text ----------------------------------------------------------------
import re  # noqa: E402

from markdown_it import MarkdownIt  # noqa: E402

from wijk.core.text import md_fmt, plain, unlink  # noqa: E402

HOSTILE = [
    "[Inloggen](https://evil.example/login)",
    "![p](https://evil.example/x.png)",
    '<img src="https://evil.example/y.png">',
    "www.evil.example",
    "mail@evil.example",
    "https://evil.example",
    ":red[x] :material/home: :smile:",
    "$x^2$",
    "**b** _i_ `c`",
    "# kop",
    "- lijst",
    "1. lijst",
    "| a | b |",
    "x\r\n=1+1",
    "\u202egnp.exe",
    "&lt;b&gt;",
]


def _render(text: str) -> str:
    """CommonMark + GFM autolinks (linkify), close to what Streamlit's react-markdown does."""
    return MarkdownIt("gfm-like").render(text)


def test_md_gives_no_link_image_or_html():
    for h in HOSTILE:
        html = _render(md(h))
        assert "<a " not in html and "<img" not in html and "<h1" not in html and "<li" not in html, (h, html)
        assert "<table" not in html and "<strong" not in html and "<em" not in html and "<code" not in html


def test_md_keeps_the_text_readable():
    html = _render(md("Oud-Zuid (1.2) [x]"))
    assert re.sub(r"<[^>]+>|\u2060", "", html).strip() == "Oud-Zuid (1.2) [x]"


def test_plain_removes_control_and_bidi_and_shortens():
    assert plain("a\r\nb\x00c\u202ed") == "a b c d"
    assert plain("x" * 50, 10) == "x" * 9 + "…" and plain(None) == ""


def test_unlink_and_md_fmt():
    assert "\u2060" in unlink("https://x.nl") and unlink("Bron: CBS") == "Bron: CBS"
    assert md_fmt(n=3, code="[a](b)") == {"n": 3, "code": "\\[a\\]\\(b\\)"}
