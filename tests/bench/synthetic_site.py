"""Invented news sites for benchmarks: one page template per outlet, fresh articles per page,
and the gold label of every line the generator wrote.

A :class:`Site` is a fictional outlet with its own furniture: a masthead and tagline, a
header menu, a "Most read" box whose teaser sentences change from page to page, a
newsletter box and a footer (a legal sentence and an about-the-site sentence). Several of
these read like prose on purpose: that is the furniture the rules cannot know and a
project's own labels have to teach. Each :func:`page` gets a fresh article body of 6-12
paragraphs, built from invented vocabulary with a seeded :class:`random.Random`, so the
same seed always gives the same pages.

Pages are plain text the way a scraper saves it (one block per line or paragraph, blank
lines between boxes). The gold is kept as character spans (``Part``), so it survives any
segmentation: a block takes the label of the span holding its first character, content
where none does (as ``tools/build_block_model.py`` reads ``tests/data/clutter``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

# --------------------------------------------------------------------------- vocabulary
PLACES = ["Tollen", "Marrow Ness", "Quillby", "Sarn Avel", "Fennick", "Ostrey", "Lowen Cross",
          "Brisca", "Hallam Reach", "Corve", "Dunmere", "Orlane", "Eskeby", "Pellow Cove",
          "Ardwick Fen", "Vessa Bay"]
REGIONS = ["Vessmark", "the Tollen coast", "Upper Caldry", "the Brannock valley", "Norrow",
           "the Skarn islands", "West Idris", "the Fenmoor"]
FIRST = ["Ilsa", "Teodor", "Renna", "Calder", "Mirela", "Joss", "Anneke", "Bastien", "Orla",
         "Ferris", "Yusra", "Kestrin", "Halvard", "Noor", "Talia", "Emrys", "Sunniva", "Dov"]
LAST = ["Marrick", "Strand", "Oyelaran", "Quist", "Delacourt", "Brenn", "Thorsby", "Ancell",
        "Pyke", "Vantongeren", "Soler", "Maddox", "Ekwueme", "Haldane", "Ruskin-Vale", "Ostrova"]
ORGS = ["port board", "water authority", "district council", "teachers' union", "harbour trust",
        "health board", "transport agency", "fisheries office", "housing cooperative",
        "regional assembly", "grain exchange", "lifeboat society"]
ROLES = ["the chair of", "a senior engineer at", "a spokesperson for", "the treasurer of",
         "a former director of", "a long-serving member of", "the chief executive of"]
TOPICS = [  # (plural noun, singular noun)
    ("ferry crossings", "timetable"), ("rent increases", "rent review"),
    ("school closures", "closure plan"), ("night shifts", "rota"),
    ("grain prices", "price index"), ("flood barriers", "barrier scheme"),
    ("clinic waiting lists", "waiting-list target"), ("bus routes", "route map"),
    ("wind turbines", "turbine licence"), ("fishing quotas", "quota deal"),
    ("harbour fees", "fee schedule"), ("library hours", "opening-hours plan"),
]
CHANGES = ["rise", "fall", "be cut", "be raised"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
MOODS = ["angry", "subdued", "tense", "surprisingly hopeful", "weary", "divided"]
GROUPS = ["Harbour pilots", "Night nurses", "Grain hauliers", "Ferry crews", "Parents",
          "Shopkeepers", "Allotment holders", "Retired miners", "Student tenants",
          "Lifeboat volunteers", "Market traders", "Bus drivers"]
ACTIONS = ["vote to strike", "win a reprieve", "lose their appeal", "march on the town hall",
           "threaten legal action", "call for an inquiry", "accept a new offer"]
EVENTS = ["talks with the {org} collapse", "a vote at the {org} is delayed",
          "the {org} publishes its accounts", "a second winter of storms",
          "a leaked memo from the {org} surfaces", "the {org} changes its mind again"]
QUOTES = [
    "We were told this would never happen, and now it is happening in a single season",
    "Nobody from the {org} has come here to explain the numbers to us",
    "The figures only work if you never have to live with the result",
    "We have asked for the same thing for ten years and we will keep asking",
    "If the {org} had listened in the spring, none of this would be necessary",
    "People here are not against change, they are against being ignored",
]
BIOS = ["has lived in {place} all her life", "runs a small boatyard near the pier",
        "has taught at the village school for twenty years",
        "stood for the {org} at the last election", "drives the early bus to {place}",
        "organised the petition that was handed in last month"]

SENTENCES = [
    "Officials at the {org} in {place} said on {weekday} that {plural} would {change} by "
    "{pct} per cent before {month}.",
    "{person}, {role} the {org}, said the plan had been discussed for {years} years and that "
    "residents deserved a clearer answer.",
    '"{quote}," said {person2}, who {bio}.',
    "The {org} has published figures showing that {plural} in {place} have fallen by {pct} "
    "per cent since {month}.",
    "Critics argue that the decision leaves {place} worse off than at any time in the past "
    "decade, and that the {singular} was drawn up without a proper study.",
    "A spokesperson for the {org} declined to comment on the {singular} but said a review "
    "was under way and that no final decision had been taken.",
    "In {place}, where about {count} families depend on the {singular}, the mood at a public "
    "meeting on {weekday} evening was {mood}.",
    "The proposal will go before the {org} at its next sitting in {month}, when members are "
    "expected to vote on an amended version.",
    "Residents said they had not been consulted and that the {org} had given them only "
    "{small} days to respond to a document of more than {pages} pages.",
    "{person} said the {org} had already spent {money} on consultants and that the money "
    "would have been better used on {plural2}.",
    "Similar disputes over {plural2} have divided {place2} and {place3} in recent years, "
    "and both ended with a compromise reached late at night.",
    "According to minutes of a meeting in {month}, members of the {org} were warned that "
    "the {singular} could face a legal challenge.",
    "{person2} said she would wait to see the final {singular} before deciding whether to "
    "join the appeal.",
    "The {org} is expected to publish its response by the end of {month}.",
    "Opposition members on the {org} called the {singular} rushed and said it had been "
    "presented to them only {small} days before the vote.",
    "For {person2}, the change would mean a longer journey to work and an earlier start "
    "every morning through the winter.",
    "The last time the {org} changed the {singular}, in {month} {year}, it reversed the "
    "decision within a few weeks after a campaign by local businesses.",
    "An independent study commissioned by the {org} estimated that {plural} cost the "
    "region about {money} a year.",
    "Several of those at the meeting said they had learnt of the plans from a notice "
    "pinned to the door of the post office in {place}.",
    "{person} accepted that the {org} had made mistakes in the way it explained the "
    "{singular}, but said the underlying problem would not go away.",
    "Campaigners have collected more than {count} signatures and plan to present them "
    "to the {org} before its meeting in {month}.",
    "Asked whether the {singular} could still be changed, {person} said that nothing was "
    "ruled out until the members had voted.",
    "Neighbouring {place2} went through a similar change {years} years ago, and traders "
    "there say it took a long time for business to recover.",
    "{person2} said the real test would come in winter, when storms regularly close the "
    "road out of {place} for days at a time.",
]
HEADLINES = [
    "{Place} {plural} to {change} as {org} looks for savings",
    "{org_cap} defends {singular} after protest in {place}",
    "Anger in {place} over {plural}",
    "{Place} waits for answers on {plural}",
    "What the new {singular} means for {place}",
]
TEASERS = [
    "{group} in {place} {action} after {event}.",
    "{group} say the {org} has broken its promise on {plural}.",
    "Why {place} still has no answer on {plural}, a year after the storm.",
    "{first} {last}, who {bio}, on the week that changed {place}.",
    "The {org} will decide the future of {plural} in {place} next {weekday}.",
]

# --------------------------------------------------------------------------- templates
PAPERS = ["Lantern", "Ledger", "Courier", "Tidings", "Beacon", "Gazette", "Packet", "Clarion",
          "Mercury", "Register"]
PAPER_ADJ = ["Evening", "Weekly", "Coastal", "Free", "Morning", "Valley", "Harbour", ""]
MENU_ITEMS = ["News", "Politics", "Business", "Harbour", "Culture", "Sport", "Opinion",
              "Weather", "Letters", "Obituaries", "Podcasts", "Travel", "Farming", "Schools"]
TAGLINES = [
    "Independent reporting from {region} since {year}.",
    "News, views and the tide tables for {region}, in print and online since {year}.",
    "The paper {region} has trusted for {age} years.",
    "Reporting {region} without fear or favour since {year}.",
]
MOST_READ = ["Most read", "Most popular this week", "Readers' picks", "What others are reading"]
NEWSLETTERS = [
    "Get the {short} morning briefing in your inbox every weekday, with the stories that "
    "matter across {region} chosen by our editors before breakfast.",
    "Sign up for our evening letter and we will send you the day's most important stories "
    "from {region}, along with a few you might have missed.",
    "Every Friday our editors write to readers about the week in {region}: what we covered, "
    "what we got wrong and what we are working on next.",
]
LEGALS = [
    "All material on this site belongs to the {name} and may not be reproduced, stored or "
    "passed on in any form without the written permission of the editor.",
    "The {name} is published by {publisher} Press Ltd, registered in {region_bare} under "
    "company number {number}, and follows the code of the {region_bare} Press Council.",
    "Articles and photographs on this site remain the property of the {name} and its "
    "contributors, and may be quoted only with a clear credit to the paper.",
]
ABOUTS = [
    "The {name} was founded in {year} by a group of harbour workers who wanted their town "
    "covered by people who lived in it, and it is still owned by a trust of its readers.",
    "We are a small newsroom of {staff} reporters and editors based in {home}, and we depend "
    "on our readers rather than on advertisers to pay for the journalism you read here.",
    "The {name} has covered {region} for more than {age} years and is one of the last "
    "independent papers in the region, with a newsroom on the high street in {home}.",
]

NAVIGATION, RELATED, PROMO, LEGAL = "navigation", "related", "promo", "legal"
CONTENT = "content"
PARTS = ("masthead", "tagline", "menu", "most_read_heading", "most_read_item", "newsletter",
         "legal", "about")


@dataclass(frozen=True)
class Part:
    """A span of a page the generator wrote, with its gold block label."""

    start: int
    end: int
    label: str
    part: str  # one of PARTS, or "headline" / "body"


@dataclass(frozen=True)
class Page:
    name: str
    text: str
    parts: list[Part]

    def labels(self, blocks: Sequence[tuple[int, int]]) -> list[tuple[str, str]]:
        """(label, part) of each block: the span holding its first non-space character."""
        out = []
        for start, end in blocks:
            chunk = self.text[start:end]
            first = start + len(chunk) - len(chunk.lstrip())
            hit = next((p for p in self.parts if p.start <= first < p.end), None)
            out.append((hit.label, hit.part) if hit else (CONTENT, "body"))
        return out


@dataclass(frozen=True)
class Site:
    """One outlet's template: everything that repeats from page to page."""

    name: str
    tagline: str
    menu: list[str]
    menu_style: str  # "pipes" | "bullets" | "lines"
    most_read: str
    numbered: bool
    newsletter: str
    legal: str
    about: str
    home: str
    region: str


def make_site(seed: int) -> Site:
    """A fictional outlet, the same for the same seed."""
    rng = random.Random(f"site-{seed}")
    home = rng.choice(PLACES)
    region = rng.choice(REGIONS)
    adj = rng.choice(PAPER_ADJ)
    paper = rng.choice(PAPERS)
    short = f"{home} {paper}"
    possessive = f"{short}'" if short.endswith("s") else f"{short}'s"
    name = " ".join(w for w in (home, adj, paper) if w)
    year = rng.randint(1868, 1994)
    age = 2024 - year
    slots = {"region": region, "region_bare": region.removeprefix("the ").title(),
             "year": str(year), "age": str(age), "name": name, "short": possessive,
             "publisher": rng.choice(LAST), "number": str(rng.randint(100000, 999999)),
             "staff": str(rng.randint(6, 30)), "home": home}
    menu = ["Home"] + rng.sample(MENU_ITEMS, rng.randint(5, 8))
    return Site(
        name=f"The {name}" if rng.random() < 0.5 else name,
        tagline=rng.choice(TAGLINES).format(**slots),
        menu=menu,
        menu_style=rng.choice(["pipes", "bullets", "lines"]),
        most_read=rng.choice(MOST_READ),
        numbered=rng.random() < 0.5,
        newsletter=rng.choice(NEWSLETTERS).format(**slots),
        legal=rng.choice(LEGALS).format(**slots),
        about=rng.choice(ABOUTS).format(**slots),
        home=home,
        region=region,
    )


# --------------------------------------------------------------------------- pages
def _slots(rng: random.Random, home: str) -> dict[str, str]:
    """One article's topic: the same place, body and people throughout the article."""
    plural, singular = rng.choice(TOPICS)
    plural2 = rng.choice([t[0] for t in TOPICS if t[0] != plural])
    place = home if rng.random() < 0.4 else rng.choice(PLACES)
    others = [p for p in PLACES if p != place]
    org = rng.choice(ORGS)
    slots = {
        "place": place, "Place": place, "place2": rng.choice(others),
        "place3": rng.choice(others), "org": org, "org_cap": org[0].upper() + org[1:],
        "plural": plural, "plural2": plural2, "singular": singular,
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "person2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "role": rng.choice(ROLES), "change": rng.choice(CHANGES),
    }
    return slots


def _fill(template: str, slots: dict[str, str], rng: random.Random) -> str:
    """Fill a sentence template; the per-sentence slots are drawn fresh each time."""
    fresh = {
        "weekday": rng.choice(WEEKDAYS), "month": rng.choice(MONTHS),
        "pct": str(rng.randint(3, 40)), "years": str(rng.randint(2, 15)),
        "count": str(rng.randint(40, 900)), "small": str(rng.randint(9, 28)),
        "pages": str(rng.randint(60, 400)), "mood": rng.choice(MOODS),
        "money": f"{rng.randint(2, 90) * 10_000:,} crowns",
        "group": rng.choice(GROUPS), "action": rng.choice(ACTIONS),
        "first": rng.choice(FIRST), "last": rng.choice(LAST),
        "year": str(rng.randint(2004, 2022)),
    }
    merged = {**slots, **fresh}
    for key in ("quote", "bio", "event"):
        pool = {"quote": QUOTES, "bio": BIOS, "event": EVENTS}[key]
        merged[key] = rng.choice(pool).format(**merged)
    text = template.format(**merged)
    return text[0].upper() + text[1:]


def _body(rng: random.Random, slots: dict[str, str]) -> list[str]:
    """6-12 paragraphs of 1-4 sentences, templates dealt from a shuffled deck (so an
    article repeats a sentence pattern only after using them all)."""
    deck: list[str] = []
    paragraphs = []
    for _ in range(rng.randint(6, 12)):
        sentences = []
        for _ in range(rng.randint(1, 4)):
            if not deck:
                deck = rng.sample(SENTENCES, len(SENTENCES))
            sentences.append(_fill(deck.pop(), slots, rng))
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _teasers(rng: random.Random, home: str) -> list[str]:
    """The "Most read" box: other stories of the site, different on every page."""
    out = []
    for _ in range(rng.randint(4, 5)):
        slots = _slots(rng, home)
        out.append(_fill(rng.choice(TEASERS), slots, rng))
    return out


class _Writer:
    def __init__(self) -> None:
        self.text = ""
        self.parts: list[Part] = []

    def line(self, text: str, label: str, part: str) -> None:
        start = len(self.text)
        self.text += text + "\n"
        self.parts.append(Part(start, start + len(text), label, part))

    def gap(self) -> None:
        self.text += "\n"


def page(site: Site, rng: random.Random, name: str) -> Page:
    """One page of ``site`` with a fresh article and a fresh "Most read" box."""
    w = _Writer()
    slots = _slots(rng, site.home)
    w.line(site.name, NAVIGATION, "masthead")
    w.line(site.tagline, NAVIGATION, "tagline")
    w.gap()
    if site.menu_style == "pipes":
        w.line(" | ".join(site.menu), NAVIGATION, "menu")
    else:
        for item in site.menu:
            w.line(f"* {item}" if site.menu_style == "bullets" else item, NAVIGATION, "menu")
    w.gap()
    w.line(_fill(rng.choice(HEADLINES), slots, rng), CONTENT, "headline")
    w.gap()
    for paragraph in _body(rng, slots):
        w.line(paragraph, CONTENT, "body")
        w.gap()
    w.line(site.most_read, RELATED, "most_read_heading")
    for number, teaser in enumerate(_teasers(rng, site.home), start=1):
        w.line(f"{number}. {teaser}" if site.numbered else teaser, RELATED, "most_read_item")
    w.gap()
    w.line(site.newsletter, PROMO, "newsletter")
    w.gap()
    w.line(site.legal, LEGAL, "legal")
    w.gap()
    w.line(site.about, LEGAL, "about")
    return Page(name, w.text, w.parts)


def pages(site: Site, n: int, seed: int, prefix: str = "page") -> list[Page]:
    rng = random.Random(f"pages-{seed}")
    return [page(site, rng, f"{prefix}_{i:04}") for i in range(n)]
