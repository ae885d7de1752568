"""The attribution lexicon and the spaCy patterns built from it.

Why a separate module: the word lists are what a lead will want to read and extend
(another language, a newsroom's house style), and they are shared by the attribution
suggester (cues, sources) and the source classifier (naming, kind). Everything here is
data plus pattern construction; the logic that turns matches into spans lives in
``attribution.py``.

Conventions: verb cues are matched on the lemma; noun lists are lower-cased lemmas or
lower-cased surface forms as noted; multi-word names are matched on the lower-cased
text of the source span.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from spacy.matcher import DependencyMatcher, Matcher
from spacy.vocab import Vocab

# --- cues -----------------------------------------------------------------------------

#: Reporting verbs and how strongly each signals an attribution (used in the score).
#: "add", "note", "state", "point" and "report" have frequent non-reporting senses, so
#: they count for less; all cues still need a content (clause, quote or object) to fire.
SPEECH_VERBS: dict[str, float] = {
    "say": 1.0,
    "tell": 1.0,
    "quote": 1.0,
    "add": 0.8,
    "stress": 0.9,
    "warn": 0.9,
    "caution": 0.9,
    "confirm": 0.8,
    "announce": 0.9,
    "claim": 0.9,
    "insist": 0.9,
    "explain": 0.9,
    "argue": 0.9,
    "contend": 0.9,
    "assert": 0.9,
    "allege": 0.9,
    "declare": 0.9,
    "acknowledge": 0.9,
    "admit": 0.9,
    "concede": 0.9,
    "deny": 0.9,
    "reiterate": 0.9,
    "emphasise": 0.9,
    "emphasize": 0.9,
    "underline": 0.7,
    "reveal": 0.8,
    "disclose": 0.8,
    "note": 0.7,
    "state": 0.7,
    "report": 0.8,
    "write": 0.6,
    "tweet": 0.9,
    "comment": 0.8,
    "predict": 0.8,
    "estimate": 0.7,
    "describe": 0.7,
    "point": 0.6,
    "cite": 0.6,
    "testify": 0.9,
    "complain": 0.8,
    "recall": 0.7,
    "suggest": 0.6,
}

#: Cues whose content may be a noun phrase object ("Austin confirmed meetings ...",
#: "They stressed the importance of ...", "described the attack as ...").
NP_CONTENT_VERBS: frozenset[str] = frozenset(
    {
        "confirm",
        "stress",
        "deny",
        "announce",
        "describe",
        "reiterate",
        "emphasise",
        "emphasize",
        "underline",
        "acknowledge",
        "reveal",
        "disclose",
        "predict",
        "estimate",
    }
)

#: Cues whose content is the object of a preposition: "pointed to X", "warned of X".
PREP_CONTENT: dict[str, frozenset[str]] = {
    "point": frozenset({"to"}),
    "warn": frozenset({"of", "against", "about"}),
    "caution": frozenset({"against", "about"}),
}

#: Verbs of nested reports: "<intermediary> quoted <source> as saying ...".
QUOTING_VERBS: frozenset[str] = frozenset({"quote", "cite"})

#: Phrases that mark the medium of a statement; they raise the score but are not cues.
STATEMENT_MARKERS: tuple[tuple[str, ...], ...] = (
    ("in", "a", "statement"),
    ("in", "a", "joint", "statement"),
    ("in", "an", "interview"),
    ("in", "remarks"),
    ("in", "a", "speech"),
    ("in", "a", "post"),
    ("in", "a", "tweet"),
    ("in", "a", "letter"),
    ("in", "a", "briefing"),
    ("at", "a", "news", "conference"),
    ("at", "a", "press", "conference"),
)

#: Adverbs that attribute without naming anyone ("talks will reportedly focus on ...").
HEARSAY_ADVERBS: frozenset[str] = frozenset({"reportedly", "allegedly", "purportedly"})

# --- sources: naming ------------------------------------------------------------------

#: Head nouns that make a source vague whatever their modifiers.
VAGUE_HEADS: frozenset[str] = frozenset(
    {"source", "report", "insider", "observer", "people", "some", "many", "others", "critic"}
)

#: Person nouns: a bare plural of these is vague ("officials say"), a singular or a
#: counted plural is unnamed ("a senior western diplomat", "two officials").
PERSON_NOUNS: frozenset[str] = frozenset(
    {
        "official",
        "diplomat",
        "analyst",
        "expert",
        "source",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "minister",
        "secretary",
        "president",
        "commander",
        "general",
        "officer",
        "ambassador",
        "envoy",
        "lawmaker",
        "legislator",
        "senator",
        "mp",
        "professor",
        "researcher",
        "scholar",
        "scientist",
        "economist",
        "specialist",
        "witness",
        "eyewitness",
        "resident",
        "protester",
        "demonstrator",
        "survivor",
        "victim",
        "relative",
        "fighter",
        "soldier",
        "militant",
        "negotiator",
        "aide",
        "adviser",
        "advisor",
        "insider",
        "observer",
        "critic",
        "person",
        "man",
        "woman",
        "leader",
        "chief",
        "head",
        "director",
        "representative",
        "member",
        "governor",
        "mayor",
        "doctor",
        "journalist",
        "reporter",
        "correspondent",
        "activist",
        "worker",
        "farmer",
        "student",
        "teacher",
        "player",
        "coach",
        "candidate",
        "historian",
        "academic",
        "strategist",
        "consultant",
        "local",
        "bystander",
    }
)

#: Offices held by one person at a time: "Iraq's prime minister" is identifiable.
UNIQUE_OFFICES: frozenset[str] = frozenset(
    {
        "minister",
        "secretary",
        "president",
        "premier",
        "chancellor",
        "king",
        "emir",
        "governor",
        "mayor",
        "ambassador",
        "commander",
        "chief",
        "head",
        "speaker",
        "pope",
    }
)

#: Institutions: with a determiner or a national modifier they are identifiable.
INSTITUTIONS: frozenset[str] = frozenset(
    {
        "government",
        "ministry",
        "administration",
        "coalition",
        "military",
        "army",
        "navy",
        "police",
        "embassy",
        "commission",
        "committee",
        "council",
        "parliament",
        "court",
        "department",
        "office",
        "agency",
        "presidency",
        "cabinet",
        "authority",
        "authorities",
        "media",
        "television",
        "tv",
        "newspaper",
        "broadcaster",
        "channel",
        "statement",
        "study",
        "report",
        "survey",
        "letter",
        "document",
        "communique",
        "communiqué",
        "decree",
        "organisation",
        "organization",
        "group",
        "company",
        "firm",
        "bank",
        "union",
        "alliance",
        "force",
        "forces",
    }
)

#: Institutions that news English names without an article ("Police said ...").
BARE_NAMED_INSTITUTIONS: frozenset[str] = frozenset({"police"})

DOCUMENT_NOUNS: frozenset[str] = frozenset(
    {
        "statement",
        "report",
        "study",
        "survey",
        "document",
        "letter",
        "filing",
        "memo",
        "communique",
        "communiqué",
        "decree",
        "data",
        "figure",
        "release",
        "analysis",
        "assessment",
        "investigation",
        "record",
        "ruling",
        "poll",
        "audit",
        "review",
        "indictment",
        "affidavit",
        "transcript",
        "book",
        "paper",
    }
)

# --- sources: kind --------------------------------------------------------------------

#: International news agencies (lower-cased names as they appear in text).
WIRE_AGENCIES: frozenset[str] = frozenset(
    {
        "afp",
        "agence france-presse",
        "agence france presse",
        "reuters",
        "ap",
        "associated press",
        "the associated press",
        "dpa",
        "efe",
        "ansa",
        "upi",
        "bloomberg",
        "kyodo",
        "pti",
        "press trust of india",
    }
)

#: State-owned or state-run outlets and agencies.
STATE_MEDIA_NAMES: frozenset[str] = frozenset(
    {
        "xinhua",
        "tass",
        "ria novosti",
        "irna",
        "ina",
        "iraqi news agency",
        "spa",
        "saudi press agency",
        "wam",
        "kcna",
        "kuna",
        "qna",
        "sana",
        "mena",
        "anadolu",
        "anadolu agency",
        "press tv",
        "cctv",
        "global times",
        "rt",
        "sputnik",
        "petra",
        "bernama",
        "yonhap",
    }
)

#: State outlets whose names are also first names or words ("Petra", "Sana", "Mena",
#: "Ina", "spa"): inside a longer source they count only written as an acronym
#: ("SANA"), otherwise only when they are the whole source ("Petra reported").
STATE_MEDIA_AMBIGUOUS: frozenset[str] = frozenset(
    {"ina", "sana", "mena", "petra", "spa", "wam", "rt", "kuna", "qna", "irna", "kcna", "cctv"}
)

#: Nouns that, after "state" or "state-run", make a state outlet.
STATE_MEDIA_NOUNS: frozenset[str] = frozenset(
    {"media", "television", "tv", "news", "agency", "broadcaster", "radio", "newspaper", "outlet"}
)

#: Some well-known outlets (lower-cased, "the" dropped).
MEDIA_NAMES: frozenset[str] = frozenset(
    {
        "cnn",
        "bbc",
        "al jazeera",
        "al arabiya",
        "new york times",
        "the new york times",
        "washington post",
        "the washington post",
        "wall street journal",
        "the wall street journal",
        "guardian",
        "the guardian",
        "financial times",
        "axios",
        "politico",
        "fox news",
        "nbc",
        "abc",
        "cbs",
        "sky news",
    }
)

MEDIA_NOUNS: frozenset[str] = frozenset(
    {
        "media",
        "newspaper",
        "paper",
        "daily",
        "broadcaster",
        "channel",
        "television",
        "tv",
        "magazine",
        "outlet",
        "website",
        "press",
        "journalist",
        "reporter",
        "correspondent",
    }
)

SPOKESPERSON_WORDS: frozenset[str] = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "spokesmen", "spokeswomen"}
)

EXPERT_WORDS: frozenset[str] = frozenset(
    {
        "analyst",
        "expert",
        "professor",
        "prof",
        "prof.",
        "researcher",
        "scholar",
        "academic",
        "economist",
        "scientist",
        "specialist",
        "fellow",
        "historian",
        "lecturer",
        "strategist",
        "consultant",
        "think-tank",
    }
)

OFFICIAL_WORDS: frozenset[str] = frozenset(
    {
        "minister",
        "ministry",
        "secretary",
        "president",
        "premier",
        "chancellor",
        "official",
        "government",
        "administration",
        "embassy",
        "ambassador",
        "diplomat",
        "envoy",
        "commander",
        "general",
        "gen.",
        "military",
        "army",
        "navy",
        "police",
        "governor",
        "mayor",
        "lawmaker",
        "legislator",
        "senator",
        "mp",
        "parliament",
        "parliamentarian",
        "pentagon",
        "kremlin",
        "authorities",
        "authority",
        "coalition",
        "officer",
        "colonel",
        "col.",
        "maj.",
        "major",
        "admiral",
        "brigadier",
        "lieutenant",
        "king",
        "emir",
        "prince",
        "cabinet",
        "presidency",
        "department",
        # intergovernmental bodies speak officially too
        "un",
        "u.n.",
        "nato",
        "unhcr",
        "unicef",
        "imf",
        "eu",
        "iaea",
        "opec",
    }
)

EYEWITNESS_WORDS: frozenset[str] = frozenset(
    {"witness", "eyewitness", "resident", "local", "bystander", "onlooker"}
)

PARTICIPANT_WORDS: frozenset[str] = frozenset(
    {
        "protester",
        "demonstrator",
        "survivor",
        "victim",
        "relative",
        "family",
        "fighter",
        "soldier",
        "militant",
        "player",
        "coach",
        "candidate",
        "negotiator",
        "patient",
        "worker",
        "farmer",
        "student",
        "voter",
        "hostage",
        "refugee",
    }
)

# --- patterns -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CueMatchers:
    """Matchers built once per vocabulary (building them costs more than running them)."""

    verbs: Matcher
    phrases: Matcher
    dependencies: DependencyMatcher


_VERB_POS = {"IN": ["VERB", "AUX"]}


def _dependency_patterns() -> dict[str, list[list[dict]]]:
    """Structural attribution patterns; the key is reported as the rule that fired."""
    cue = {
        "RIGHT_ID": "cue",
        "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(SPEECH_VERBS)}, "POS": _VERB_POS},
    }
    quoting = {
        "RIGHT_ID": "cue",
        "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(QUOTING_VERBS)}, "POS": _VERB_POS},
    }
    as_saying = [
        {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "as", "RIGHT_ATTRS": {"LOWER": "as"}},
        {
            "LEFT_ID": "as",
            "REL_OP": ">",
            "RIGHT_ID": "saying",
            "RIGHT_ATTRS": {"LEMMA": {"IN": ["say", "tell", "add", "warn", "state"]}},
        },
    ]
    return {
        "quoted_as_saying": [
            [
                quoting,
                {
                    "LEFT_ID": "cue",
                    "REL_OP": ">",
                    "RIGHT_ID": "source",
                    "RIGHT_ATTRS": {"DEP": "dobj"},
                },
                *as_saying,
            ]
        ],
        "passive_quoted_as_saying": [
            [
                quoting,
                {
                    "LEFT_ID": "cue",
                    "REL_OP": ">",
                    "RIGHT_ID": "source",
                    "RIGHT_ATTRS": {"DEP": "nsubjpass"},
                },
                *as_saying,
            ]
        ],
        "according_to": [
            [
                {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": "according"}},
                {
                    "LEFT_ID": "cue",
                    "REL_OP": ">",
                    "RIGHT_ID": "to",
                    "RIGHT_ATTRS": {"LOWER": "to"},
                },
                {
                    "LEFT_ID": "to",
                    "REL_OP": ">",
                    "RIGHT_ID": "source",
                    "RIGHT_ATTRS": {"DEP": "pobj"},
                },
            ]
        ],
        "cue_subject": [
            [
                cue,
                {
                    "LEFT_ID": "cue",
                    "REL_OP": ">",
                    "RIGHT_ID": "source",
                    "RIGHT_ATTRS": {"DEP": "nsubj"},
                },
            ]
        ],
        "passive_agent": [
            [
                cue,
                {
                    "LEFT_ID": "cue",
                    "REL_OP": ">",
                    "RIGHT_ID": "by",
                    "RIGHT_ATTRS": {"DEP": "agent"},
                },
                {
                    "LEFT_ID": "by",
                    "REL_OP": ">",
                    "RIGHT_ID": "source",
                    "RIGHT_ATTRS": {"DEP": "pobj"},
                },
            ]
        ],
    }


def build_matchers(vocab: Vocab) -> CueMatchers:
    """Compile the lexicon into token, phrase and dependency matchers for ``vocab``."""
    verbs = Matcher(vocab)
    verbs.add("speech_verb", [[{"LEMMA": {"IN": sorted(SPEECH_VERBS)}, "POS": _VERB_POS}]])

    phrases = Matcher(vocab)
    phrases.add("according_to", [[{"LOWER": "according"}, {"LOWER": "to"}]])
    phrases.add(
        "statement_marker",
        [[{"LOWER": word} for word in marker] for marker in STATEMENT_MARKERS],
    )
    phrases.add("hearsay_adverb", [[{"LOWER": {"IN": sorted(HEARSAY_ADVERBS)}}]])

    dependencies = DependencyMatcher(vocab)
    for name, patterns in _dependency_patterns().items():
        dependencies.add(name, patterns)
    return CueMatchers(verbs, phrases, dependencies)


_matchers: dict[int, tuple[Vocab, CueMatchers]] = {}
_lock = threading.Lock()


def matchers_for(vocab: Vocab) -> CueMatchers:
    """The matchers for ``vocab``, built on first use (one pipeline = one vocab)."""
    with _lock:
        entry = _matchers.get(id(vocab))
        if entry is None or entry[0] is not vocab:
            entry = (vocab, build_matchers(vocab))
            _matchers[id(vocab)] = entry
        return entry[1]
