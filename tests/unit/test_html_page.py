"""HTML pages read as a browser builds them: text, title and evidence per chunk.

The pages here are invented. The real-page check reads the shared benchmark at test time
only and is skipped when it is not there.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from annotator.core.blocks import segment
from annotator.core.errors import InputError
from annotator.core.formats import parse
from annotator.core.html_page import Page, Region, read_page

BENCH = Path(__file__).resolve().parents[3] / "shared" / "ext-news-benchmark" / "pages.jsonl.gz"

ARTICLE = [
    "Engineers from the regional water board began lowering the Millbrook reservoir on "
    "Tuesday morning, opening two sluice gates for the first time since the dam was "
    "strengthened eleven years ago, after a week of heavy rain filled the basin faster "
    "than the spillway could carry the surplus downstream.",
    "The board said the controlled release would continue for at least four days and that "
    "the water level had already fallen by thirty centimetres overnight. Farmers along the "
    "lower valley were asked to move livestock away from the meadows that flood first, and "
    "two footbridges near the old mill were closed as a precaution.",
    "Residents of Harlow Green, the village closest to the dam, gathered at the community "
    "hall on Monday evening to question officials about the state of the embankment. Several "
    "said they had noticed damp patches on the grass slope below the crest, which engineers "
    "later described as seepage well within the limits the structure was designed to handle.",
    "An independent inspection is scheduled for next month, when surveyors will drill three "
    "new observation wells into the embankment and compare the readings with those taken "
    "during the last major repair. The results will be published on the board's website and "
    "presented at a public meeting in the village school before the end of the season.",
]


def _page() -> str:
    paragraphs = "\n".join(f"<p>{text}</p>" for text in ARTICLE)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reservoir lowered | The Valley Courier</title>
<script>window.dataLayer = ["<p>not text</p>"];</script><style>.x {{ color: red }}</style>
</head>
<body class="site">
<header class="siteHeader"><div class="brand"><a href="/">The Valley Courier</a></div></header>
<nav class="main-menu"><ul>
  <li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
  <li><a href="/weather">Weather</a></li><li><a href="/opinion">Opinion</a></li>
</ul></nav>
<main><article class="story-body">
<h1>Millbrook reservoir lowered after a week of rain</h1>
{paragraphs}
<figure><img src="dam.jpg" alt=""><figcaption>The sluice gates at Millbrook dam on Tuesday.
</figcaption></figure>
</article>
<aside class="relatedStories"><h2>Related stories</h2><ul>
  <li><a href="/a">Council approves new cycle lanes for the high street</a></li>
  <li><a href="/b">Bakery on Station Road celebrates its centenary</a></li>
</ul></aside>
<section id="comments" class="comment-list"><h2>Comments</h2>
  <article class="comment"><p>My grandmother remembers the flood of sixty-eight, glad they act early.</p></article>
  <article class="comment"><p>Who pays for the footbridge repairs afterwards?</p></article>
</section>
<form class="newsletter-signup" action="/subscribe"><label for="e">Get our morning briefing</label>
<input id="e" type="email"><button>Sign up</button></form>
</main>
<footer class="site-footer"><p>Copyright 2024 Courier Media Group. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>
</body></html>"""


def _chunks(page: Page) -> dict[str, Region]:
    return {page.text[r.start : r.end]: r for r in page.regions}


def _find(page: Page, start: str) -> Region:
    (region,) = [r for r in page.regions if page.text[r.start : r.end].startswith(start)]
    return region


def _check_offsets(page: Page) -> None:
    """Regions cover the chunks of the text in order, joined by exactly one blank line."""
    assert "\n\n".join(page.text[r.start : r.end] for r in page.regions) == page.text
    for before, after in zip(page.regions, page.regions[1:], strict=False):
        assert after.start == before.end + 2
    for region in page.regions:
        chunk = page.text[region.start : region.end]
        assert chunk and chunk == chunk.strip() and "\n\n" not in chunk


def test_article_page_text_title_and_offsets() -> None:
    page = read_page(_page())
    _check_offsets(page)
    assert page.title == "Millbrook reservoir lowered after a week of rain"
    assert "not text" not in page.text and "color: red" not in page.text
    for paragraph in ARTICLE:
        assert paragraph in _chunks(page)
    # Every block the project's segmentation makes lies inside one region.
    for block in segment(page.text):
        assert any(r.start <= block.start and block.end <= r.end for r in page.regions)
    json.dumps([r.evidence for r in page.regions])  # storable as is
    assert set(page.regions[0].evidence) == {
        "tag", "path", "depth", "landmarks", "link_share", "class_words", "hidden", "extracted",
    }


def test_article_page_evidence_on_the_right_regions() -> None:
    page = read_page(_page())
    chunks = _chunks(page)
    menu = [chunks[name].evidence for name in ("News", "Sport", "Weather", "Opinion")]
    for evidence in menu:
        assert evidence["tag"] == "li" and "nav" in evidence["landmarks"]
        assert evidence["link_share"] >= 0.95
        assert evidence["class_words"][:2] == ["main", "menu"]
    brand = chunks["The Valley Courier"].evidence
    assert "header" in brand["landmarks"] and brand["class_words"][:3] == ["brand", "site", "header"]

    body = _find(page, "Engineers from the regional").evidence
    assert body["tag"] == "p" and body["path"] == "body>main>article>p" and body["depth"] == 4
    assert body["landmarks"] == ["article", "main"] and body["link_share"] == 0.0
    assert body["class_words"] == ["story", "body", "site"] and body["hidden"] is False
    for paragraph in ARTICLE:
        assert chunks[paragraph].evidence["extracted"] >= 0.9

    caption = chunks["The sluice gates at Millbrook dam on Tuesday."].evidence
    assert caption["tag"] == "figcaption"
    assert {"figure", "figcaption", "article"} <= set(caption["landmarks"])

    related = _find(page, "Council approves").evidence
    assert {"aside", "li"} <= set(related["landmarks"]) and related["link_share"] == 1.0
    assert related["class_words"][:2] == ["related", "stories"]

    comment = _find(page, "My grandmother").evidence
    assert {"comment", "comments", "list"} <= set(comment["class_words"])
    assert comment["class_words"].index("comment") < comment["class_words"].index("comments")

    signup = chunks["Get our morning briefing"].evidence
    assert signup["tag"] == "label" and {"form", "label"} <= set(signup["landmarks"])
    assert "newsletter" in signup["class_words"]
    assert chunks["Sign up"].evidence["tag"] == "button"

    for start in ("Copyright 2024", "Privacy policy"):
        footer = _find(page, start).evidence
        assert "footer" in footer["landmarks"] and footer["extracted"] is not None
        assert footer["extracted"] <= 0.2
    assert _find(page, "Privacy policy").evidence["link_share"] >= 0.9


def test_text_in_a_container_between_blocks_is_its_own_chunk() -> None:
    page = read_page(
        '<body><div class="card">Lead text<p>Inner <b>bold</b> words</p>tail text'
        "<br>after break</div>loose<pre>keep\n   these  lines\n\nsplit</pre></body>",
        extract=False,
    )
    _check_offsets(page)
    assert [(page.text[r.start : r.end], r.evidence["tag"]) for r in page.regions] == [
        ("Lead text", "div"), ("Inner bold words", "p"), ("tail text\nafter break", "div"),
        ("loose", "body"), ("keep\nthese lines\nsplit", "pre"),
    ]
    assert page.regions[0].evidence["class_words"] == ["card"]
    assert page.regions[3].evidence["path"] == "body" and page.regions[3].evidence["depth"] == 1
    assert all(r.evidence["extracted"] is None for r in page.regions)


def test_hidden_markup_and_link_share() -> None:
    page = read_page(
        "<body><div hidden><p>Attribute hidden</p></div>"
        '<p aria-hidden="true">Aria hidden</p>'
        '<section style="color: red; Display : None"><p>Style hidden</p></section>'
        '<p style="visibility:hidden">Invisible</p>'
        '<p><span style="display:none">All inline hidden</span></p>'
        '<p><span hidden>Half</span> shown</p>'
        '<p>Read <a href="/x">more here</a></p></body>',
        extract=False,
    )
    hidden = {page.text[r.start : r.end]: r.evidence["hidden"] for r in page.regions}
    assert hidden == {
        "Attribute hidden": True, "Aria hidden": True, "Style hidden": True,
        "Invisible": True, "All inline hidden": True, "Half shown": False,
        "Read more here": False,
    }
    assert _chunks(page)["Read more here"].evidence["link_share"] == round(8 / 12, 3)


def test_class_words_roles_path_and_depth() -> None:
    page = read_page(
        '<body><div id="pageWrapper2" class="HTMLParser x_y"><div role="navigation">'
        '<span class="relatedStories related-stories">menu</span></div>'
        '<div role="contentinfo banner"><p>small print</p></div></div>'
        + "<div>" * 12 + "<p>deep</p>" + "</div>" * 12 + "</body>",
        extract=False,
    )
    menu = _chunks(page)["menu"].evidence
    assert menu["tag"] == "div" and menu["landmarks"] == ["nav"]
    # Nearest first (class before id); the span is inline, so its words do not count.
    assert menu["class_words"] == ["html", "parser", "x", "y", "page", "wrapper"]
    assert _chunks(page)["small print"].evidence["landmarks"] == ["footer", "header"]
    deep = _chunks(page)["deep"].evidence
    assert deep["depth"] == 14 and deep["path"] == ">".join(["div"] * 7 + ["p"])

    many = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(60))
    page = read_page(f'<div class="{many}"><p class="camelCaseName">x</p></div>', extract=False)
    words = page.regions[0].evidence["class_words"]
    assert words[:3] == ["camel", "case", "name"] and len(words) == 30
    assert len(set(words)) == 30


def test_unclosed_head_keeps_the_body() -> None:
    markup = (
        b"<html><head><title>Unclosed head page</title><meta charset=utf-8>"
        b"<link rel=stylesheet href=a.css>\n<p>The body text survives.</p>"
        b"<p>So does the second paragraph.</p></html>"
    )
    (doc,) = parse(markup, ".html", "unclosed.html")
    assert doc.text == "The body text survives.\n\nSo does the second paragraph."
    assert doc.title == "Unclosed head page"
    assert doc.regions is not None and [r[:2] for r in doc.regions] == [(0, 23), (25, 54)]


def test_second_head_and_stray_end_head_keep_the_body() -> None:
    second = (
        "<html><head><title>Two heads</title><head><meta name=x content=y>"
        "<style>p {}</style><body><p>Visible after a second head.</p></body></html>"
    )
    stray = (
        "<html><head><title>Stray</title></head></head><body>"
        "<p>Visible after a stray end tag.</p></head><p>And after another.</p></body></html>"
    )
    assert read_page(second, extract=False).text == "Visible after a second head."
    page = read_page(stray, extract=False)
    assert page.text == "Visible after a stray end tag.\n\nAnd after another."
    assert page.title == "Stray"


def test_deep_nesting_is_refused_quickly_and_moderate_nesting_read() -> None:
    deep = "<html><body>" + "<div>x" * 10_000 + "bottom" + "</div>" * 10_000 + "</body></html>"
    began = time.perf_counter()
    with pytest.raises(InputError, match=r"^deep\.html: HTML page nests elements more than"):
        parse(deep.encode(), ".html", "deep.html")
    assert time.perf_counter() - began < 2.0

    nested = "<body>" + "<span>" * 1500 + "bottom" + "</span>" * 1500 + "<p>after</p></body>"
    began = time.perf_counter()
    page = read_page(nested)
    assert time.perf_counter() - began < 2.0
    assert page.text == "bottom\n\nafter"
    assert page.regions[0].evidence["depth"] == 1  # owned by body


def test_entities_and_huge_attributes_take_bounded_time() -> None:
    began = time.perf_counter()
    page = read_page("<p>" + "&amp;&lt;&#x41;&eacute; " * 200_000 + "</p><p>end</p>")
    assert page.text.startswith("&<Aé &<Aé") and page.text.endswith("end")
    huge = '<div class="' + "relatedStories x1 " * 300_000 + '"><p>inside</p></div>'
    page = read_page(huge)
    assert page.text == "inside"
    assert page.regions[0].evidence["class_words"] == ["related", "stories", "x"]
    assert time.perf_counter() - began < 5.0

    # libxml2 checks every attribute against the earlier ones: refused before parsing.
    many = "<div " + " ".join(f'a{i}=">"' for i in range(100_000)) + "><p>x</p></div>"
    began = time.perf_counter()
    with pytest.raises(InputError, match="too many to read"):
        read_page(many)
    assert time.perf_counter() - began < 2.0


def test_encoding_declaration_does_not_redecode() -> None:
    data = '<meta charset="iso-8859-1"><p>Café owners welcome €5 fee</p>'.encode()
    (doc,) = parse(data, ".html", "c.html")
    assert doc.text == "Café owners welcome €5 fee"


def test_no_visible_text_is_refused_and_other_formats_have_no_regions() -> None:
    with pytest.raises(InputError, match=r"^blank\.html: HTML page has no visible text$"):
        parse(b"<html><head><title>T</title></head><body><script>x()</script>"
              b"<!-- c --><p hidden> </p></body></html>", ".html", "blank.html")
    assert read_page("").text == "" and read_page("<!-- only -->").regions == []
    (doc,) = parse(b"Plain text.", ".txt", "a.txt")
    assert doc.regions is None


def test_extracted_is_null_without_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import now raises ImportError
    page = read_page(_page())
    assert page.regions and all(r.evidence["extracted"] is None for r in page.regions)


def test_short_chunks_extracted_only_as_a_run() -> None:
    page = read_page(_page())
    chunks = _chunks(page)
    assert chunks["Sport"].evidence["extracted"] == 0.0
    assert chunks["Comments"].evidence["extracted"] == 0.0


def _bench_pages() -> list[dict[str, Any]]:
    with gzip.open(BENCH, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.mark.slow
@pytest.mark.skipif(not BENCH.is_file(), reason="shared news benchmark not present")
def test_real_pages_all_give_text_and_consistent_regions() -> None:
    empty = 0
    for row in _bench_pages():
        page = read_page(row["html"])
        if not page.text.strip():
            empty += 1
            continue
        _check_offsets(page)
        json.dumps([r.evidence for r in page.regions])
    assert empty == 0
