"""The attribution lexicon, loaded from data, and the spaCy patterns built from it.

Why data: the word lists are what a lead will want to read and extend (another
language, a newsroom's house style), so they live in ``resources/attribution/cues.toml``
(cue verbs by class, nominal cues, which cues take which content, markers, labels that
are not speakers) and ``resources/attribution/sources.toml`` (the source classifier's
naming and kind lists, gender words and first names). Both are read once, at import;
the names below are the parsed tables, so code reads ``cues.SPEECH_VERBS`` as before.
The logic that turns matches into spans lives in ``attribution_finder.py``.

Why classes: a verb's class (speech, dialogue, cognition, intention, request, evidence)
is recorded as evidence with every suggestion (``lexicon:<class>``) and decides which
contents and agents the verb accepts ("believe" needs a clause, never an object;
"find" may have a study as its agent). The lexicon is only one feature: the finder
also suggests unlisted verbs that govern a finite clause with a human agent.

Conventions: verb cues are matched on the lemma; noun lists are lower-cased lemmas or
lower-cased surface forms as noted; multi-word names are matched on the lower-cased
text of the source span.
"""

from __future__ import annotations

import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher
from spacy.vocab import Vocab

from annotator.nlp.versions import ATTRIBUTION_DATA

#: The data files (``versions.attribution_files`` hashes them into the rules' version).
DATA_FILES: tuple[Path, ...] = (ATTRIBUTION_DATA / "cues.toml", ATTRIBUTION_DATA / "sources.toml")


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


_CUES = _load(DATA_FILES[0])
_SOURCES = _load(DATA_FILES[1])


def _words(table: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w) for w in table[key])


# --- cues -----------------------------------------------------------------------------

#: The verb classes the evidence vocabulary knows (``lexicon:<class>``); a data file
#: with another class is refused at import rather than emitting unknown evidence.
KNOWN_VERB_CLASSES: tuple[str, ...] = (
    "speech", "dialogue", "cognition", "intention", "request", "evidence",
)
#: Verb classes in the order a lemma listed twice is resolved (the first wins).
VERB_CLASSES: tuple[str, ...] = tuple(_CUES["verbs"])
if set(VERB_CLASSES) - set(KNOWN_VERB_CLASSES):
    raise ValueError(
        f"{DATA_FILES[0]}: unknown verb classes {sorted(set(VERB_CLASSES) - set(KNOWN_VERB_CLASSES))}"
    )


def _cue_verbs() -> dict[str, tuple[str, float]]:
    out: dict[str, tuple[str, float]] = {}
    for cls in VERB_CLASSES:
        for lemma, weight in _CUES["verbs"][cls].items():
            out.setdefault(lemma, (cls, float(weight)))
    return out


#: lemma -> (class, weight) for every listed cue verb.
CUE_VERBS: dict[str, tuple[str, float]] = _cue_verbs()

#: The core reporting verbs and their weights. The claim suggester reads this class
#: too (a sentence with one is reported speech), so it stays the speech class alone.
SPEECH_VERBS: dict[str, float] = {k: float(v) for k, v in _CUES["verbs"]["speech"].items()}

#: Classes whose verbs report speech: their subject may be any noun phrase (the
#: classifier judges it), and a paratactic host clause may be their content.
SPEAKING_CLASSES: frozenset[str] = frozenset({"speech", "dialogue"})

#: Cues whose content may be a noun phrase object ("Austin confirmed meetings ...").
NP_CONTENT_VERBS: frozenset[str] = _words(_CUES["content"], "np_verbs")
#: Evidence verbs whose object is a finding when a document is the agent.
DOCUMENT_NP_VERBS: frozenset[str] = _words(_CUES["content"], "document_np_verbs")
#: Objects that make such a verb non-reporting ("the flood claimed twelve lives").
NP_NOT_CONTENT: frozenset[str] = _words(_CUES["content"], "np_objects_not_content")
#: Cues whose content may be an infinitive clause ("vowed to rebuild").
XCOMP_CONTENT_VERBS: frozenset[str] = _words(_CUES["content"], "xcomp_verbs")
#: Infinitive content only with an object ("asked residents to leave").
XCOMP_NEEDS_OBJECT: frozenset[str] = _words(_CUES["content"], "xcomp_needs_object")
#: Evidence verbs whose agent must be a document ("the survey showed that ...").
DOCUMENT_ONLY_VERBS: frozenset[str] = _words(_CUES["agents"], "document_only")
#: Cues that are cues only with their preposition ("called for", not "called").
PREP_ONLY_VERBS: frozenset[str] = _words(_CUES["content"], "prep_only")
#: Cues only next to a quotation ("'...,' she continued").
QUOTE_ONLY_VERBS: frozenset[str] = _words(_CUES["content"], "quote_only")
#: Verbs that name something as what it is said to be: "called the deal a betrayal".
NAMING_VERBS: frozenset[str] = _words(_CUES["content"], "naming_verbs")
#: Cues whose content is the object of a preposition: "pointed to X", "warned of X".
PREP_CONTENT: dict[str, frozenset[str]] = {
    k: frozenset(v) for k, v in _CUES["content"]["prep"].items()
}

#: Verb + preposition cues whose preposition is part of the cue span ("called for").
CUE_PREPOSITIONS: frozenset[tuple[str, str]] = frozenset(
    tuple(str(p).split(" ", 1)) for p in _CUES["content"]["cue_prepositions"]  # type: ignore[misc]
)
#: Verbs of a medium that report with "to say" ("texted to say").
TO_SAY_HOSTS: frozenset[str] = _words(_CUES["content"], "to_say_hosts")
#: Adjectives of belief and their weights ("is confident that ...").
ADJECTIVE_CUES: dict[str, float] = {k: float(v) for k, v in _CUES["adjectives"].items()}

#: Nominal cues and their weights ("X's statement that ...").
NOUN_CUES: dict[str, float] = {k: float(v) for k, v in _CUES["nouns"].items()}

#: Verbs of nested reports: "<intermediary> quoted <source> as saying ...".
QUOTING_VERBS: frozenset[str] = _words(_CUES["markers"], "quoting")
#: Verbs that report in the agentless passive ("it was reported that ...").
PASSIVE_CUES: frozenset[str] = _words(_CUES["markers"], "passive")
#: Phrases that mark the medium of a statement; they raise the score but are not cues.
STATEMENT_MARKERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(m.split()) for m in _CUES["markers"]["statement"]
)
#: Adverbs that attribute without naming anyone ("talks will reportedly focus on ...").
HEARSAY_ADVERBS: frozenset[str] = _words(_CUES["markers"], "hearsay")
#: "X reports for <outlet>": a byline, not a report.
BYLINE_VERBS: frozenset[str] = _words(_CUES["markers"], "byline_verbs")
BYLINE_PREPS: frozenset[str] = _words(_CUES["markers"], "byline_preps")

#: Verbs never read as cues by structure alone ("ensured that", "saw that").
NEVER_CUES: frozenset[str] = _words(_CUES["structural"], "never_cues")
#: Labels that open a "Label: text" line without naming a speaker.
NOT_SPEAKERS: frozenset[str] = _words(_CUES["layout"], "not_speakers")

# --- sources --------------------------------------------------------------------------

_S = _SOURCES["sources"]
#: Head nouns that make a source vague whatever their modifiers.
VAGUE_HEADS: frozenset[str] = _words(_S, "vague_heads")
#: Person nouns: a bare plural is vague ("officials say"), a singular unnamed.
PERSON_NOUNS: frozenset[str] = _words(_S, "person_nouns")
#: Offices held by one person at a time: "Iraq's prime minister" is identifiable.
UNIQUE_OFFICES: frozenset[str] = _words(_S, "unique_offices")
#: Institutions: with a determiner or a national modifier they are identifiable.
INSTITUTIONS: frozenset[str] = _words(_S, "institutions")
#: Organisation nouns a description uses for a body named otherwise ("the airline").
ORGANISATION_DESCRIPTIONS: frozenset[str] = _words(_S, "organisation_descriptions")
#: Institutions that news English names without an article ("Police said ...").
BARE_NAMED_INSTITUTIONS: frozenset[str] = _words(_S, "bare_named_institutions")
DOCUMENT_NOUNS: frozenset[str] = _words(_S, "document_nouns")
WIRE_AGENCIES: frozenset[str] = _words(_S, "wire_agencies")
STATE_MEDIA_NAMES: frozenset[str] = _words(_S, "state_media_names")
#: State outlets whose names are also first names or words ("Petra", "Sana").
STATE_MEDIA_AMBIGUOUS: frozenset[str] = _words(_S, "state_media_ambiguous")
STATE_MEDIA_NOUNS: frozenset[str] = _words(_S, "state_media_nouns")
MEDIA_NAMES: frozenset[str] = _words(_S, "media_names")
MEDIA_NOUNS: frozenset[str] = _words(_S, "media_nouns")
SPOKESPERSON_WORDS: frozenset[str] = _words(_S, "spokesperson_words")
EXPERT_WORDS: frozenset[str] = _words(_S, "expert_words")
OFFICIAL_WORDS: frozenset[str] = _words(_S, "official_words")
EYEWITNESS_WORDS: frozenset[str] = _words(_S, "eyewitness_words")
PARTICIPANT_WORDS: frozenset[str] = _words(_S, "participant_words")

_G = _SOURCES["gender"]
#: Title and role words that show a woman or a man ("Mrs", "spokesman").
FEMALE_WORDS: frozenset[str] = _words(_G, "female_words")
MALE_WORDS: frozenset[str] = _words(_G, "male_words")
#: Common first names, lower-cased; a name in neither list has unknown gender.
FEMALE_NAMES: frozenset[str] = _words(_G, "female_names")
MALE_NAMES: frozenset[str] = _words(_G, "male_names")

# --- patterns -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CueMatchers:
    """Matchers built once per vocabulary (building them costs more than running them)."""

    verbs: Matcher
    phrases: Matcher
    dependencies: DependencyMatcher


_VERB_POS = {"IN": ["VERB", "AUX"]}


def _dependency_patterns() -> dict[str, list[list[dict[str, Any]]]]:
    """Structural attribution patterns; the key is reported as the rule that fired."""
    cue = {
        "RIGHT_ID": "cue",
        "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(CUE_VERBS)}, "POS": _VERB_POS},
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

    def child(dep: str, left: str = "cue", right: str = "source") -> dict[str, Any]:
        return {"LEFT_ID": left, "REL_OP": ">", "RIGHT_ID": right, "RIGHT_ATTRS": {"DEP": dep}}

    return {
        "quoted_as_saying": [[quoting, child("dobj"), *as_saying]],
        "passive_quoted_as_saying": [[quoting, child("nsubjpass"), *as_saying]],
        "according_to": [
            [
                {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LOWER": "according"}},
                {
                    "LEFT_ID": "cue",
                    "REL_OP": ">",
                    "RIGHT_ID": "to",
                    "RIGHT_ATTRS": {"LOWER": "to"},
                },
                child("pobj", left="to"),
            ]
        ],
        "cue_subject": [[cue, child("nsubj")]],
        "passive_agent": [[cue, child("agent", right="by"), child("pobj", left="by")]],
    }


def build_matchers(vocab: Vocab) -> CueMatchers:
    """Compile the lexicon into token, phrase and dependency matchers for ``vocab``."""
    verbs = Matcher(vocab)
    verbs.add("cue_verb", [[{"LEMMA": {"IN": sorted(CUE_VERBS)}, "POS": _VERB_POS}]])

    phrases = Matcher(vocab)
    phrases.add("according_to", [[{"LOWER": "according"}, {"LOWER": "to"}]])
    phrases.add(
        "statement_marker",
        [[{"LOWER": word} for word in marker] for marker in STATEMENT_MARKERS],
    )
    phrases.add("hearsay_adverb", [[{"LOWER": {"IN": sorted(HEARSAY_ADVERBS)}}]])
    phrases.add("adjective_cue", [[{"LOWER": {"IN": sorted(ADJECTIVE_CUES)}, "POS": "ADJ"}]])

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
