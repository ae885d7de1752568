"""Block segmentation on hard-wrapped wire copy in the shapes scrapers actually deliver.

The stories are invented (fictional places, people and agencies). Each is wrapped here
in several styles: clean ``textwrap`` at 64/72/80 columns, first-line indents of 2 or 4
spaces that a scraper stripped (or kept), ragged right (every line at the width ± 6),
CRLF, with and without blank lines between paragraphs, and paragraphs opening with a
short first line. Every style must come back as one block per paragraph, each block's
text (whitespace collapsed) equal to its paragraph. The one exception is pinned and
explained in :func:`expected_blocks`. The second half pins what must never be joined.
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass

import pytest

from annotator.core.blocks import segment
from annotator.core.model import Block
from annotator.core.text import normalise_newlines

HEADLINES = {
    "dam": "Engineers find cracks in Tessaly Ford dam as reservoir nears record level",
    "bank": "Caldera central bank raises rates for third time as lira slides",
    "fire": "Thousands flee Ombre Valley wildfire as winds shift overnight",
    "recount": "Valmark recount confirms opposition win by 312 votes",
}

STORIES: dict[str, list[str]] = {
    "dam": [
        "TESSALY FORD, April 9 (Northline) - Engineers inspecting the Tessaly Ford dam have "
        "found a series of hairline cracks in its eastern spillway, the regional water "
        "authority said on Tuesday, as heavy spring rain pushed the reservoir behind it close "
        "to its highest level in three decades.",
        "The authority said the cracks posed no immediate danger to the 14,000 people living "
        "in the valley below, but it ordered the spillway gates to be opened gradually to "
        "lower the water by about two metres over the coming week.",
        '"We are being careful, not alarmed," chief engineer Dr. Halvard Moen told reporters '
        'at the dam. "Concrete of this age moves a little every winter. What matters is '
        'whether the cracks are growing, and so far they are not."',
        "The dam, built in 1961 to supply drinking water and electricity to the towns of the "
        "lower Tessaly, was last fully inspected in 2017. A report at the time recommended "
        "repairs to the spillway that were postponed twice for lack of funds.",
        "Residents of Marrow Bend, the village closest to the dam, said they had not been "
        "told about the inspection until local radio reported it on Monday evening.",
        '"My grandparents watched them build it," said Ilsa Brandt, 58, who runs a bakery on '
        "the riverbank. \"Nobody here thinks it will fall down. But we would like to hear it "
        'from the authority first, not from the radio."',
        "Regional governor Piet Assink said an independent panel of three engineers would "
        "review the findings and report within ten days. He said the government had set aside "
        "4.2 million crowns for emergency repairs.",
        "Water levels in the reservoir stood at 97.8 percent of capacity on Tuesday morning, "
        "according to the authority's website, up from 81 percent a month ago.",
        "The national weather office forecast more rain for the weekend, with up to 40 "
        "millimetres expected in the hills above the reservoir.",
        "Reporting by Anneke Vos; Editing by Tomas Reyd",
    ],
    "bank": [
        "PORT CALDERA, Nov 14 (Northline) - The central bank of Caldera raised its main "
        "interest rate by 150 basis points to 21.5% on Thursday, its third increase since "
        "August, as it tried to halt a slide in the lira that has pushed inflation to a "
        "two-year high.",
        "The decision was larger than the 100 basis points expected by most of the 14 "
        "economists polled by Northline last week.",
        "Governor Maren Oskarsdottir said the bank would do whatever was necessary to bring "
        "inflation back towards its target of 5% by the end of next year, and did not rule "
        "out further increases.",
        '"Price stability is not negotiable," Oskarsdottir told a news conference in the '
        'capital. "A weak currency is a tax on every family that buys bread, fuel or medicine '
        'from abroad."',
        "The lira firmed 1.2% against the dollar after the announcement, recovering part of "
        "the 9% it has lost since the start of October.",
        "Consumer prices rose 38.4% in October from a year earlier, the statistics office said "
        "on Monday. Food and transport costs rose fastest.",
        "Business groups warned that higher borrowing costs would hurt small manufacturers "
        "already struggling with expensive imported materials. The Caldera Chamber of Industry "
        "said about one in five of its members had delayed investment plans this year.",
        "Finance Minister Jonas Arvelo welcomed the decision and said the government would "
        "present a budget next month that cuts spending on fuel subsidies by a quarter.",
        "Analysts at Westfield Capital said the bank was likely to pause in December to assess "
        "the impact of the three increases, but warned that another rise in the first quarter "
        "could not be ruled out if the lira weakened again.",
        "The bank's next policy meeting is scheduled for Dec. 19.",
        "Reporting by Lucia Ferran in Port Caldera; Writing by Ben Ostrow; Editing by Hana "
        "Kessel",
    ],
    "fire": [
        "OMBRE VALLEY, Aug 2 (Northline) - More than 6,000 people were ordered to leave their "
        "homes in the Ombre Valley on Saturday after a wildfire that had burned for three days "
        "in the hills above the town of Calvès jumped a firebreak when the wind shifted "
        "overnight.",
        "Firefighters said the blaze had destroyed at least 14 houses and a school on the "
        "northern edge of Calvès and was moving towards the villages of Sauret and Pontel, "
        "where evacuations began before dawn.",
        "About 900 firefighters, supported by eight water-bombing aircraft, were fighting the "
        "fire along a front of 11 kilometres, the regional civil protection agency said.",
        '"The wind turned at three in the morning and the fire came down the hill faster than '
        'anyone expected," said Captain Élodie Marrant of the Calvès fire brigade. "We pulled '
        'our crews back to protect the houses we could still save."',
        "No deaths have been reported. Two firefighters were treated in hospital for smoke "
        "inhalation and released, the agency said.",
        "Evacuees were sheltering in sports halls and schools in the regional capital of "
        "Montary, 30 kilometres to the south, where volunteers handed out water, blankets and "
        "food.",
        "Jeanne Albret, 71, said she had left her house in Sauret with only her cat and her "
        "medicines. \"I have lived there for fifty years. I do not know what I will find when "
        'we go back."',
        "The fire has burned about 4,300 hectares of pine forest and scrub since it started on "
        "Wednesday. Investigators said they were examining whether it had been caused by sparks "
        "from farm machinery.",
        "Temperatures in the valley reached 41 degrees Celsius on Friday, and weather "
        "forecasters said the hot, dry conditions would last until at least Tuesday.",
        "The interior ministry said it had asked neighbouring regions to send reinforcements "
        "and that two more aircraft would arrive on Sunday.",
        "Prime Minister Aurèle Vantier, who cut short a visit abroad, was due to visit the "
        "command post in Montary on Sunday afternoon.",
        "Last summer, fires in the same region burned more than 20,000 hectares, the worst "
        "season on record.",
    ],
    "recount": [
        "HALDEN, March 21 (Northline) - A full recount in the Valmark provincial election has "
        "confirmed that opposition candidate Teodor Anselm won the governorship by 312 votes, "
        "the provincial electoral commission said on Friday, ending a month of legal disputes.",
        "The recount of more than 1.4 million ballots, carried out by hand in 63 counting "
        "centres over nine days, changed the final margin by only 27 votes.",
        "Governor Katrin Lowe, who had asked for the recount, conceded in a short statement and "
        "said she would work with Anselm's team on an orderly transition.",
        '"The people of Valmark have spoken twice now," Lowe said. "I accept their decision, '
        'and I thank every volunteer who gave up their evenings to count the ballots."',
        "Anselm, a former mayor of Halden, ran on promises to expand rural bus services and to "
        "cut the provincial property tax by a tenth. He is due to take office on April 15.",
        "Turnout in the election was 68%, the highest in the province since 1994.",
        "Observers from the Civic Ballot Trust, an independent monitoring group, said the "
        "recount had been conducted fairly, though they criticised delays in publishing the "
        "results from four counting centres in the north of the province.",
    ],
}


# --------------------------------------------------------------------------- wrapping


def ragged_wrap(text: str, width: int, spread: int, rng: random.Random, indent: int = 0) -> list[str]:
    """Greedy wrap where every line gets its own width in ``width ± spread``."""
    lines: list[str] = []
    line = " " * indent
    limit = width + rng.randint(-spread, spread)
    for word in text.split():
        candidate = f"{line} {word}" if line.strip() else line + word
        if len(candidate) <= limit or not line.strip():
            line = candidate
        else:
            lines.append(line)
            line = word
            limit = width + rng.randint(-spread, spread)
    lines.append(line)
    return lines


@dataclass(frozen=True)
class Style:
    """How a wire system wrapped the story and what the scraper left of it."""

    blank: bool = True  # a blank line between paragraphs
    indent: int = 0  # first-line indent used when wrapping
    keep_indent: bool = False  # False: the scraper stripped it
    ragged: int = 0  # every line wrapped at width ± ragged

    @property
    def marked(self) -> bool:
        """Are paragraph ends visible at all (blank lines or kept indents)?"""
        return self.blank or (self.indent > 0 and self.keep_indent)

    def wrap(self, paragraphs: list[str], width: int, seed: int = 0) -> list[list[str]]:
        rng = random.Random(seed * 1000 + width)
        out = []
        for paragraph in paragraphs:
            if self.ragged:
                lines = ragged_wrap(paragraph, width, self.ragged, rng, self.indent)
            else:
                lines = textwrap.wrap(paragraph, width, initial_indent=" " * self.indent,
                                      break_on_hyphens=False)
            out.append(lines if self.keep_indent else [line.lstrip() for line in lines])
        return out

    def render(self, paragraphs: list[str], width: int, seed: int = 0) -> str:
        sep = "\n\n" if self.blank else "\n"
        return sep.join("\n".join(lines) for lines in self.wrap(paragraphs, width, seed)) + "\n"

    def expected(self, paragraphs: list[str], width: int, seed: int = 0) -> list[str]:
        return expected_blocks(self.wrap(paragraphs, width, seed), marked=self.marked)


SENTENCE_END = re.compile(r"""(?<!\bDr)(?<!\bDec)[.!?:]["'”’)]*$|["”]$""")


def expected_blocks(wrapped: list[list[str]], *, marked: bool) -> list[str]:
    """One block per paragraph, except where the layout cannot say.

    With neither blank lines nor kept indents, a sentence that ends exactly at a line
    end (the next sentence's first word did not fit) looks the same as a paragraph whose
    last line happened to be full. The segmenter then ends the paragraph: wire
    paragraphs are a sentence or two, so that is the likelier reading, and a split never
    puts two kinds of text in one block. Nothing else may differ from the paragraphs.
    """
    if marked:
        return [" ".join(" ".join(lines).split()) for lines in wrapped]
    out = []
    for lines in wrapped:
        current: list[str] = []
        for here, nxt in zip(lines, [*lines[1:], None], strict=True):
            current.append(here.strip())
            if nxt is None or (SENTENCE_END.search(here.rstrip()) and not nxt.lstrip()[0].islower()):
                out.append(" ".join(current))
                current = []
    return out


def wire(paragraphs: list[str], width: int, *, blank: bool = True) -> tuple[str, list[str]]:
    """Clean ``textwrap`` copy and the blocks it must give."""
    layout = Style(blank=blank)
    return layout.render(paragraphs, width), layout.expected(paragraphs, width)


STYLES: dict[str, Style] = {
    "blank-lines": Style(),
    "run-together": Style(blank=False),
    "indent-2-stripped": Style(blank=False, indent=2),
    "indent-4-stripped": Style(blank=False, indent=4),
    "indent-2-stripped-blank": Style(indent=2),
    "indent-4-stripped-blank": Style(indent=4),
    "indent-4-kept": Style(blank=False, indent=4, keep_indent=True),
    "ragged-blank-lines": Style(ragged=6),
    "ragged-run-together": Style(blank=False, ragged=6),
    "ragged-indent-kept": Style(blank=False, ragged=6, indent=4, keep_indent=True),
    "ragged-indent-stripped-blank": Style(ragged=6, indent=4),
}


def blocks_text(text: str) -> list[str]:
    """Each block's text, whitespace collapsed."""
    return [" ".join(text[b.start : b.end].split()) for b in segment(text)]


def assert_well_formed(text: str, blocks: list[Block]) -> None:
    """In order, disjoint, trimmed, with code-point offsets into ``text``."""
    previous = 0
    for i, block in enumerate(blocks):
        assert block.index == i
        assert previous <= block.start < block.end <= len(text)
        piece = text[block.start : block.end]
        assert piece == piece.strip()
        previous = block.end


def assert_blocks(text: str, expected: list[str]) -> None:
    blocks = segment(text)
    assert_well_formed(text, blocks)
    assert [" ".join(text[b.start : b.end].split()) for b in blocks] == expected


# --------------------------------------------------------------------------- one block per paragraph


@pytest.mark.parametrize("width", [64, 72, 80])
@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("story", sorted(STORIES))
def test_wire_story_one_block_per_paragraph(story: str, style: str, width: int) -> None:
    paragraphs, layout = STORIES[story], STYLES[style]
    assert 6 <= len(paragraphs) <= 20
    text = layout.render(paragraphs, width)
    assert_blocks(text, layout.expected(paragraphs, width))
    if layout.marked:
        assert len(segment(text)) == len(paragraphs)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("style", ["ragged-blank-lines", "ragged-indent-kept",
                                   "ragged-indent-stripped-blank", "ragged-run-together"])
@pytest.mark.parametrize("story", sorted(STORIES))
def test_ragged_right(story: str, style: str, seed: int) -> None:
    paragraphs, layout = STORIES[story], STYLES[style]
    text = layout.render(paragraphs, 70, seed)
    assert_blocks(text, layout.expected(paragraphs, 70, seed))


def test_stripped_indents_afp_style() -> None:
    """The reported failure: first lines a few columns short, no blank lines at all."""
    paragraphs = [p for story in ("dam", "fire") for p in STORIES[story]]
    assert len(paragraphs) == 22
    text = Style(blank=False, indent=4).render(paragraphs, 72)
    first_lines = [line for line in text.splitlines() if any(p.startswith(line) for p in paragraphs)]
    assert sum(len(line) < 68 for line in first_lines) >= 5  # the short first lines are there
    assert_blocks(text, Style(blank=False, indent=4).expected(paragraphs, 72))
    assert len(segment(text)) <= len(paragraphs) + 1


def test_sentence_ending_on_a_full_line_is_settled_by_the_layout() -> None:
    """The undecidable break: a paragraph end without blank lines, a wrap with them."""
    paragraphs = STORIES["dam"]
    wrapped = Style(blank=False).wrap(paragraphs, 64)
    k = next(k for k, lines in enumerate(wrapped)
             if any(SENTENCE_END.search(line) for line in lines[:-1]))
    halves = expected_blocks([wrapped[k]], marked=False)
    assert len(halves) == 2 and " ".join(halves) == paragraphs[k]
    run_together = blocks_text(Style(blank=False).render(paragraphs, 64))
    assert halves[0] in run_together and halves[1] in run_together
    for marked in (Style(), Style(blank=False, indent=4, keep_indent=True)):
        assert paragraphs[k] in blocks_text(marked.render(paragraphs, 64))


def test_run_together_paragraphs_come_out_whole_almost_always() -> None:
    """Without blank lines or indents, the undecidable break above is rare."""
    layout = STYLES["run-together"]
    whole = total = 0
    for paragraphs in STORIES.values():
        for width in range(60, 86):
            total += len(paragraphs)
            whole += len(set(paragraphs) & set(blocks_text(layout.render(paragraphs, width))))
    assert whole / total > 0.95, whole / total


@pytest.mark.parametrize("style", ["run-together", "indent-4-stripped", "blank-lines"])
@pytest.mark.parametrize("story", sorted(STORIES))
def test_crlf_wire_copy_normalised(story: str, style: str) -> None:
    paragraphs, layout = STORIES[story], STYLES[style]
    crlf = layout.render(paragraphs, 72).replace("\n", "\r\n")
    assert "\r" in crlf
    assert_blocks(normalise_newlines(crlf), layout.expected(paragraphs, 72))


@pytest.mark.parametrize("blank", [True, False])
@pytest.mark.parametrize("story", sorted(STORIES))
def test_paragraphs_opening_with_a_short_first_line(story: str, blank: bool) -> None:
    """A dateline on a line of its own, and lead-ins broken after a comma or a preposition."""
    paragraphs = STORIES[story]
    wrapped: list[list[str]] = []
    short_openers = 0
    for n, paragraph in enumerate(paragraphs):
        words = paragraph.split()
        cut = None
        if n == 0:
            cut = words.index("-") + 1  # "PORT CALDERA, Nov 14 (Northline) -"
        elif n % 2 == 1:
            cut = next((i for i, w in enumerate(words[:6], 1) if w.endswith(",")), None)
            cut = cut or next((i for i, w in enumerate(words[2:7], 2)
                               if w in ("of", "in", "the", "to", "that", "by")), None)
        if cut is None:
            lines = textwrap.wrap(paragraph, 72, break_on_hyphens=False)
        else:
            short_openers += 1
            lines = [" ".join(words[:cut]),
                     *textwrap.wrap(" ".join(words[cut:]), 72, break_on_hyphens=False)]
            assert len(lines[0]) < 40
        wrapped.append(lines)
    assert short_openers >= 3
    text = ("\n\n" if blank else "\n").join("\n".join(lines) for lines in wrapped) + "\n"
    assert_blocks(text, expected_blocks(wrapped, marked=blank))


def test_sections_with_blank_lines_and_run_together_paragraphs() -> None:
    """Blank lines between sections only; inside them paragraphs run together."""
    paragraphs = STORIES["fire"]
    sections = [paragraphs[:4], paragraphs[4:9], paragraphs[9:]]
    kept = STYLES["indent-4-kept"]
    text = "\n\n".join(kept.render(section, 72).rstrip("\n") for section in sections)
    assert blocks_text(text) == paragraphs
    plain = [wire(section, 72, blank=False) for section in sections]
    text = "\n\n".join(body.rstrip("\n") for body, _ in plain)
    assert blocks_text(text) == [block for _, expected in plain for block in expected]


def test_mid_sentence_breaks_join_whatever_the_width() -> None:
    """Plainly unfinished lines: a wrap even when short-ish or when the next is indented."""
    body, expected = wire(STORIES["bank"], 72)
    cases = [
        ('"The people of Valmark have spoken twice now,"', "Lowe said on Friday."),
        ("Engineers were led by chief engineer Dr.", "Halvard Moen of the water authority."),
        ("The inspection found cracks in the eastern spill-", "way of the dam on Tuesday."),
        ("The board said it would publish its findings before", "    the end of the month."),
        ("Reporting by Lucia Ferran in Port Caldera; Editing by", "Hana Kessel"),
    ]
    for here, nxt in cases:
        text = f"{body}\n{here}\n{nxt}\n"
        assert blocks_text(text) == [*expected, f"{here} {nxt.strip()}"], here


def test_dash_wrapped_to_the_start_of_a_line_is_not_a_list() -> None:
    paragraph = ("The regional water authority said the cracks posed no immediate danger "
                 "— a view its engineers shared after a week of tests — but ordered the "
                 "spillway gates to be opened gradually to lower the reservoir by two metres.")
    seen = 0
    for width in range(60, 90):
        lines = textwrap.wrap(paragraph, width)
        if not any(line.startswith("— ") for line in lines[1:]):
            continue
        seen += 1
        body, expected = wire(STORIES["dam"][:5], width)
        text = body + "\n" + "\n".join(lines) + "\n"
        assert blocks_text(text) == [*expected, paragraph], width
    assert seen >= 2


# --------------------------------------------------------------------------- heads of stories


@pytest.mark.parametrize("blank", [True, False])
@pytest.mark.parametrize("width", [64, 80])
def test_headline_byline_and_timestamp_stay_separate(width: int, blank: bool) -> None:
    paragraphs = STORIES["bank"]
    head = [HEADLINES["bank"], "By Lucia Ferran", "November 14, 2024 9:05 AM GMT"]
    body, expected = wire(paragraphs, width, blank=blank)
    text = "\n".join(head) + "\n" + ("\n" if blank else "") + body
    assert blocks_text(text) == head + expected


@pytest.mark.parametrize("style", ["blank-lines", "run-together", "indent-4-stripped",
                                   "ragged-blank-lines"])
@pytest.mark.parametrize("story", sorted(STORIES))
def test_headline_directly_above_wrapped_paragraphs(story: str, style: str) -> None:
    """No blank line under the headline; with and without a dateline; after a kicker."""
    layout, headline = STYLES[style], HEADLINES[story]
    for paragraphs in (STORIES[story], STORIES[story][1:]):
        for width in range(60, 86, 2):
            body, expected = layout.render(paragraphs, width), layout.expected(paragraphs, width)
            assert blocks_text(f"{headline}\n{body}") == [headline, *expected], width
            assert blocks_text(f"World\n\n{headline}\n{body}") == ["World", headline, *expected]


# --------------------------------------------------------------------------- never joined


def test_identical_consecutive_captions_stay_separate() -> None:
    caption = ("Firefighters watch the Ombre Valley wildfire from a ridge above Calves on "
               "Saturday. Northline")
    short = "Residents load cars in Sauret. Northline/Photo"
    for repeated in (caption, short):
        body, expected = wire(STORIES["fire"], 72)
        got = blocks_text("\n".join([repeated] * 4) + "\n\n" + body)
        assert got[:4] == [repeated] * 4
        assert got[4:] == expected == STORIES["fire"]


def test_captions_repeated_inside_a_wrapped_story_stay_separate() -> None:
    caption = "Evacuees rest in a sports hall in Montary, Aug 2. Northline"
    wrapped_caption = ["Firefighters watch the wildfire from a ridge above Calves on Saturday,",
                       "as the wind turns towards Sauret. Northline"]
    body, expected = wire(STORIES["fire"][:3], 72, blank=False)
    text = "\n".join([caption, caption, body, *wrapped_caption, *wrapped_caption])
    assert blocks_text(text) == [caption, caption, *expected, *[" ".join(wrapped_caption)] * 2]


def test_list_items_stay_separate() -> None:
    items = [
        "- The spillway gates will be opened gradually over the coming week, starting with",
        "- Residents of Marrow Bend will receive daily updates by text message and on the",
        "• Schools in the valley stay open",
        "* An independent panel of engineers reports within ten days to the governor and",
        "1. Emergency repairs funded with 4.2 million crowns from the regional budget, and",
        "2) A full inspection of the dam every five years instead of every ten years, with",
        "o Water levels published twice a day on the authority's website",
        "  ▪ Sandbags handed out at the fire station in Marrow Bend",
    ]
    intro, expected = wire(STORIES["dam"][:3], 80, blank=False)
    text = intro + "\n".join(["The authority's plan:", *items]) + "\n"
    assert blocks_text(text) == [*expected, "The authority's plan:",
                                 *[item.strip() for item in items]]


def test_menu_of_short_lines_stays_separate() -> None:
    menu = ["Home", "World", "Business", "Markets", "Sustainability", "Legal",
            "Breakingviews", "Technology", "Investigations", "More"]
    piped = "World | Business | Markets | Sustainability | Legal | Breakingviews | Sport"
    long_menu = "Home News Sport Business Culture Opinion Travel Climate Science Health"
    body, expected = wire(STORIES["bank"], 72, blank=False)
    text = "\n".join([*menu, piped, long_menu]) + "\n" + body
    assert blocks_text(text) == [*menu, piped, long_menu, *expected]


def test_chrome_between_wrapped_paragraphs_stays_separate() -> None:
    paragraphs = STORIES["recount"]
    wrapped = [wire([p], 72)[0].rstrip("\n") for p in paragraphs]
    chrome = ["Share X Facebook LinkedIn Email Link", "Advertisement · Scroll to continue",
              "ELECTION 2025", "Photo: Northline/Anneke Vos",
              "Our Standards: The Northline Trust Principles."]
    parts = [wrapped[0], chrome[0], *wrapped[1:3], chrome[1], *wrapped[3:5], chrome[2],
             wrapped[5], chrome[3], wrapped[6], chrome[4]]
    expected = [paragraphs[0], chrome[0], *paragraphs[1:3], chrome[1], *paragraphs[3:5],
                chrome[2], paragraphs[5], chrome[3], paragraphs[6], chrome[4]]
    assert blocks_text("\n".join(parts) + "\n") == expected


def test_text_browser_dump_keeps_one_block_per_line() -> None:
    """A web page dumped as text: one paragraph a line, indented by nesting depth."""
    lines: list[str] = []
    for story in ("dam", "bank", "fire"):
        for n, paragraph in enumerate(STORIES[story]):
            lines.append(" " * (3 * (n % 3)) + paragraph)
    # Short paragraphs that fit in 40-100 columns, several at about the same width.
    lines += [
        "   The bank's next policy meeting is scheduled for December 19 in the capital.",
        "   Turnout in the election was 68%, the highest in the province since 1994.",
        "      Last summer, fires in the same region burned more than 20,000 hectares.",
        "   Two firefighters were treated in hospital for smoke inhalation, officials said.",
        "Related coverage from our correspondents in the valley and the capital",
        "      Subscribe to the morning briefing",
        "   Evacuees were sheltering in sports halls and schools in the regional capital",
        "   Montary volunteers handed out water, blankets and food to the families.",
        "   Regional governor Piet Assink said an independent panel would report soon,",
        "   Water levels stood at 97.8 percent of capacity on Tuesday morning.",
    ]
    text = "\n".join(lines) + "\n"
    blocks = segment(text)
    assert_well_formed(text, blocks)
    assert [text[b.start : b.end] for b in blocks] == [line.strip() for line in lines]


def test_long_lines_are_never_joined() -> None:
    """Over 100 columns no tool wrapped the line, even when it ends mid-sentence."""
    first = ("The regional water authority said the cracks posed no immediate danger to the "
             "people living in the valley below, and")
    second = "it ordered the spillway gates to be opened over the coming week."
    assert len(first) > 100
    assert blocks_text(f"{first}\n{second}\n") == [first, second]


def test_short_lines_only_join_when_plainly_mid_sentence_in_a_wrapped_story() -> None:
    """Under 40 columns: only a plain mid-sentence break, only in a hard-wrapped story."""
    alone = "Photographs by\nRuaridh Galt\n"
    assert blocks_text(alone) == ["Photographs by", "Ruaridh Galt"]
    stub = "Officials said on Tuesday that\nthe inspection would continue.\n"
    assert blocks_text(stub) == ["Officials said on Tuesday that", "the inspection would continue."]
    body, expected = wire(STORIES["dam"], 72, blank=False)
    got = blocks_text(body + stub + "Photographs by\nRuaridh Galt\n")
    assert got == [*expected, "Officials said on Tuesday that the inspection would continue.",
                   "Photographs by", "Ruaridh Galt"]
