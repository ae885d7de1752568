"""``annotator agreement`` reports token-wise alpha on a real project, in every format.

One article, done by alice and bob, who mark its attribution slightly differently:

    token   Budget row deepens  The  minister  said  the  plan  failed  .
    alice   -      -   -        SRC  SRC       CUE   CON  CON   CON     -
    bob     -      -   -        -    SRC       CUE   CON  CON   CON     CON

alice also marks the CONTENT as a CLAIM: under both, the priority (CONTENT before
CLAIM) labels those three tokens CONTENT, so the overall figure does not see the CLAIM.
A second article done by alice only is left out, as for every figure.

Hand-computed, ten tokens judged twice (n = 20): coincidences none-none 6, SOURCE-none
1 + 1, SOURCE 2, CUE 2, CONTENT 6, none-CONTENT 1 + 1; n_SOURCE 3, n_CUE 2, n_CONTENT 7,
n_none 8. alpha = 1 - 19 * 4 / (400 - (9 + 4 + 49 + 64)) = 1 - 76 / 274 = 0.723.
Per label (inside vs outside, 20 judgements): SOURCE 1 - 19 * 2 / (2 * 3 * 17) = 0.627,
CUE 1.000, CONTENT 1 - 19 * 2 / (2 * 7 * 13) = 0.791, CLAIM (alice 3 tokens, bob none)
1 - 19 * 6 / (2 * 3 * 17) = -0.118.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.text import sha256
from annotator.services import adjudication
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths
from annotator.store import open_project
from annotator.store.documents import list_documents

TEXT = "Budget row deepens\n\nThe minister said the plan failed."
OTHER = "Ferry timetable changes\n\nThe ferry will sail twice a day, the operator said."


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture(scope="module")
def project_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("token_alpha")
    docs = folder / "docs"
    docs.mkdir()
    (docs / "budget.txt").write_text(TEXT, encoding="utf-8")
    (docs / "ferry.txt").write_text(OTHER, encoding="utf-8")
    path = folder / "project.sqlite"
    project = open_project(path)
    try:
        import_paths(project, [docs])
        with project.sessions() as session:
            ids = {row.sha256: row.id for row in list_documents(session)}
        budget, ferry = ids[sha256(TEXT)], ids[sha256(OTHER)]
        marks = {
            "alice": [("SOURCE", "The minister"), ("CUE", "said"),
                      ("CONTENT", "the plan failed"), ("CLAIM", "the plan failed")],
            "bob": [("SOURCE", "minister"), ("CUE", "said"), ("CONTENT", "the plan failed.")],
        }
        for name, spans in marks.items():
            service = AnnotationService(project, name)
            for label, phrase in spans:
                service.add_span(budget, label, *_span(TEXT, phrase))
            service.set_status(budget, "done")
        alice = AnnotationService(project, "alice")
        alice.add_span(ferry, "SOURCE", *_span(OTHER, "the operator"))
        alice.set_status(ferry, "done")
    finally:
        project.close()
    return path


def _run(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> str:
    assert main(["--project", str(path), "agreement", *args]) == 0
    return capsys.readouterr().out


def test_json_carries_token_alpha_with_its_n_per_label_and_definitions(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = json.loads(_run(capsys, project_path, "--format", "json"))
    spans = report["spans"]
    assert report["n_documents"] == 1
    assert round(spans["token_alpha"], 3) == 0.723
    assert spans["token_alpha"] == pytest.approx(1 - 76 / 274)
    assert (spans["n_tokens"], spans["n_judgements"]) == (10, 20)
    assert spans["token_label_priority"] == ["CUE", "SOURCE", "CONTENT", "CLAIM"]
    assert spans["token_overlaps_resolved"] == 3
    per_label = spans["per_label"]
    expected = {"SOURCE": (0.627, 3), "CUE": (1.0, 2), "CONTENT": (0.791, 7),
                "CLAIM": (-0.118, 3)}
    for label, (alpha, judgements) in expected.items():
        entry = per_label[label]
        assert round(entry["token_alpha"], 3) == alpha, label
        assert (entry["n_tokens"], entry["n_judgements"]) == (10, judgements), label
        assert "alpha_u" in entry  # the unitizing figure stays beside it
    pair = report["pairs"][0]
    assert pair["annotators"] == ["alice", "bob"]
    assert pair["spans"]["token_alpha"] == pytest.approx(spans["token_alpha"])
    assert pair["spans"]["n_tokens"] == 10
    assert round(pair["spans"]["per_label"]["CONTENT"]["token_alpha"], 3) == 0.791
    assert report["excluded"]["documents_without_tokens"] == 0
    assert report["excluded"]["documents_fewer_than_two_done"] == 1
    definitions = report["definitions"]
    for key in ("spans.alpha_u", "spans.token_alpha", "spans.per_label.token_alpha",
                "spans.token_alpha_vs_alpha_u"):
        assert definitions[key]
    assert "different measures" in definitions["spans.token_alpha_vs_alpha_u"]


def test_text_csv_and_html_show_token_alpha_with_its_n(
    project_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = _run(capsys, project_path)
    assert "token α" in text and "0.723" in text and "PARC 3.0" in text

    rows = list(csv.DictReader(io.StringIO(_run(capsys, project_path, "--format", "csv"))))
    figure = {(r["layer"], r["scope"], r["item"], r["annotators"], r["measure"]): r for r in rows}
    overall = figure[("spans", "overall", "", "", "token_alpha")]
    assert float(overall["value"]) == pytest.approx(1 - 76 / 274)
    assert (overall["n"], overall["unit"]) == ("10", "tokens")
    claim = figure[("spans", "label", "CLAIM", "", "token_alpha")]
    assert float(claim["value"]) == pytest.approx(1 - 114 / 102)
    assert figure[("spans", "pair", "", "alice+bob", "token_alpha")]["n"] == "10"
    assert figure[("excluded", "count", "documents_without_tokens", "", "count")]["value"] == "0"

    out = tmp_path / "report.html"
    _run(capsys, project_path, "--format", "html", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert "token α" in page and "Pairs: spans token α" in page
    assert "<code>spans.token_alpha</code>" in page
    assert "<code>spans.token_alpha_vs_alpha_u</code>" in page
    assert "PARC 3.0" in page


def test_the_adjudication_view_of_the_document_has_the_same_token_alpha(
    project_path: Path,
) -> None:
    """``compute_document`` tokenizes the one stored text it is given no tokens for."""
    project = open_project(project_path, create=False)
    try:
        versions = adjudication.load(project, sha256(TEXT))
    finally:
        project.close()
    spans = versions.report["spans"]
    assert spans["token_alpha"] == pytest.approx(1 - 76 / 274)
    assert (spans["n_tokens"], spans["n_judgements"]) == (10, 20)
