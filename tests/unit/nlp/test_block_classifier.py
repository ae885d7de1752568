"""The shipped block classifier on articles written for these tests."""

from __future__ import annotations

from annotator.core.blocks import segment
from annotator.nlp import block_classifier as bc
from annotator.nlp.block_model import default_model

COUNCIL = """\
Skip to main content
Home
News
Sport
Business
Weather

Council approves new waste depot on Mill Road

By Hana Okafor

The Brenford council voted six to three on Wednesday night to build a waste depot on the \
old Mill Road quarry site, ending two years of argument over where the town's recycling \
trucks should be kept.

The depot will cost 4.2 million pounds and is due to open in the spring of 2028, the \
council's finance officer told the meeting. The money will come from the capital reserve \
rather than from council tax, she said.

Opponents said the cost had risen by a third since the plan was first put to the council, \
and that the Mill Road site was too close to the primary school on Quarry Lane.

Residents near the site told the Gazette they feared lorries would use Quarry Lane at \
school times. The council said lorries would be barred from the lane between 8am and 4pm.

Councillor Dev Pillai, who voted against, said the decision would be challenged at the \
next full meeting of the Brenford council in March.

Share this article
Facebook
Twitter
Email

12 Comments
Log in to comment

Most read
Brenford swimmers win county relay
Police appeal after Market Street break-in

Privacy policy
Terms of use
© 2026 Brenford Gazette. All rights reserved.
"""

CONTENT_STARTS = ("Council approves", "By Hana", "The Brenford council", "The depot will",
                  "Opponents said", "Residents near", "Councillor Dev")


def _suggest(text: str) -> dict[str, str]:
    blocks = [(b.start, b.end) for b in segment(text)]
    found = bc.suggest(text, bc.BlockInput(blocks), default_model())
    return {text[blocks[s.block_index][0] : blocks[s.block_index][1]]: s.label for s in found}


def test_a_short_council_article_keeps_every_paragraph_and_loses_its_furniture() -> None:
    flagged = _suggest(COUNCIL)
    for start in CONTENT_STARTS[2:]:
        assert not [t for t in flagged if t.startswith(start)], f"content flagged: {start}"
    for furniture in ("Skip to main content", "Share this article", "Log in to comment",
                      "Privacy policy", "© 2026 Brenford Gazette. All rights reserved."):
        assert furniture in flagged, furniture
    assert flagged["Log in to comment"] == "comment"
    assert flagged["12 Comments"] == "comment"


def test_a_paragraph_sharing_the_articles_names_is_never_unrelated() -> None:
    text = COUNCIL
    blocks = [(b.start, b.end) for b in segment(text)]
    i = next(k for k, (s, _e) in enumerate(blocks) if text[s:].startswith("Residents near"))
    assert bc._on_topic(text, blocks, i, set())
    kite = ("The annual kite festival on Pellow beach drew record crowds, with flyers "
            "arriving from as far away as Norway and Chile for the weekend.")
    text2 = text.replace("Share this article", kite + "\n\nShare this article")
    blocks2 = [(b.start, b.end) for b in segment(text2)]
    j = next(k for k, (s, _e) in enumerate(blocks2) if text2[s:].startswith("The annual kite"))
    assert not bc._on_topic(text2, blocks2, j, set())


def test_a_document_of_one_block_gets_no_suggestion() -> None:
    assert _suggest("Advertisement") == {}


def test_suggestions_name_the_rule_that_fired() -> None:
    blocks = [(b.start, b.end) for b in segment(COUNCIL)]
    for hit in bc.suggest(COUNCIL, bc.BlockInput(blocks)):
        assert hit.rule and 0.0 < hit.score <= 1.0
