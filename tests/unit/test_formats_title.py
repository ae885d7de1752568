import json

import pytest

from annotator.core.blocks import segment
from annotator.core.errors import InputError
from annotator.core.formats import parse
from annotator.core.title import pick_title

HTML = b"""<!doctype html><html><head><title>Site | Story</title>
<style>body { color: red }</style><script>var x = "<p>not text</p>";</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li>World</li></ul></nav>
<h1>Coalition talks &amp; the future</h1>
<p>BAGHDAD: Officials said on Thursday
   that talks would begin.</p>
<p>Second<br>paragraph &lt;b&gt; stays text</p>
<aside><h3>Related Articles</h3><ul><li>Other story</li></ul></aside>
<noscript>Enable JS</noscript></body></html>"""


def test_html_visible_blocks_kept_scripts_dropped() -> None:
    (doc,) = parse(HTML, ".html", "page.html")
    blocks = [doc.text[b.start : b.end] for b in segment(doc.text)]
    assert blocks == [
        "Home", "World", "Coalition talks & the future",
        "BAGHDAD: Officials said on Thursday that talks would begin.",
        "Second", "paragraph <b> stays text", "Related Articles", "Other story",
    ]
    assert doc.title == "Coalition talks & the future"
    assert "var x" not in doc.text and "Enable JS" not in doc.text


def test_jsonl_records_and_errors_name_the_line() -> None:
    good = b'{"text": "One article.", "id": "a1", "meta": {"title": "T"}}\n\n{"text": "Two"}\n'
    docs = parse(good, ".jsonl", "in.jsonl")
    assert [(d.text, d.title, d.line) for d in docs] == [("One article.", "T", 1), ("Two", "", 3)]
    assert docs[0].meta == {"title": "T", "id": "a1"}
    with pytest.raises(InputError, match=r"^in\.jsonl:2: not valid JSON"):
        parse(b'{"text": "ok"}\n{"text": oops}\n', ".jsonl", "in.jsonl")
    with pytest.raises(InputError, match=r'^in\.jsonl:1: record has no "text" string'):
        parse(json.dumps({"body": "x"}).encode(), ".jsonl", "in.jsonl")


def test_unsupported_suffix() -> None:
    with pytest.raises(InputError, match="unsupported file type .pdf"):
        parse(b"%PDF", ".pdf", "x.pdf")


def test_title_skips_section_label_captions_and_switchers(samples) -> None:  # type: ignore[no-untyped-def]
    titles = {}
    for path in samples:
        (doc,) = parse(path.read_bytes(), ".txt", str(path))
        titles[path.stem] = pick_title(doc.text, segment(doc.text))
    assert titles["the-national-coalition-talks"] == (
        "Talks set to end anti-ISIS coalition in Iraq but security concerns linger")
    assert titles["al-fassel-commission-review"] == (
        "As joint US-Iraqi commission reviews partnership, experts point to its successes")
    # No headline: the first sentence stands in, cut at a word boundary.
    assert titles["dawn-coalition-committee"].startswith("BAGHDAD: Baghdad and Washington")
    assert len(titles["dawn-coalition-committee"]) <= 121


def test_title_skips_menus_furniture_and_cookie_banners() -> None:
    text = (
        "We use cookies to improve your experience on our site and to show you relevant "
        "advertising. By continuing to browse, you agree to our use of cookies and our "
        "privacy policy, which you can read at any time.\n\n"
        "Skip to main content\n\nHome › Regions › North Coast\n\n"
        "Latest | Gulf | World | Business\n\n🎧 Listen to this article\n\n"
        "Mobile clinic brings eye surgery to mountain villages\n\n"
        "Doctors from the capital arrived on Monday with a truck fitted as an operating "
        "theatre, and by Friday they had treated more than two hundred patients in the "
        "three villages of the upper valley, officials said.\n\n"
        "The clinic will return in autumn, when the roads are still open and the weather "
        "allows the team to cross the pass, the health ministry said in a statement."
    )
    assert pick_title(text, segment(text)) == "Mobile clinic brings eye surgery to mountain villages"
