"""``annotator agreement`` on a real project annotated by three people through the service.

The project has four documents:

* A, done by alice, bob and carol: alice and bob mark the navigation block, carol leaves
  it (content); alice marks CLAIM and SOURCE and links them, bob draws the same CLAIM and a
  SOURCE two characters longer and links them, carol draws only the CLAIM;
* B (title with HTML in it), done by alice and bob (carol only started): they label the
  same block caption vs promo and rate the sourcing well vs poorly;
* C, done by alice only, and D, untouched: both left out, and counted as left out.

Hand-computed span F1 over the pairs of A: exact matches 1 + 1 + 1 of 4 + 3 + 3 spans
compared, F1 = 2 * 3 / 10 = 0.6; overlap matches 2 + 1 + 1, F1 = 0.8. Relations: no
strict match (the SOURCE spans differ), alice's and bob's match through the span pairing:
F1 strict 0, F1 matched 2 * 1 / 4 = 0.5.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.agreement.data import AnnotatorWork, DocAnnotations, RelationUnit, SpanUnit
from annotator.core.agreement.report import build
from annotator.core.agreement.token_alpha import with_tokens
from annotator.core.text import sha256
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths
from annotator.store import open_project
from annotator.store.documents import document_blocks, list_documents

BLOCK_LABELS = ["content", "navigation", "caption", "metadata", "related", "promo",
                "unrelated", "widget", "legal", "comment"]
SPAN_LABELS = ["CLAIM", "SOURCE", "CUE", "CONTENT"]
# The ordered scale: not_applicable sits outside it (missing for ordinal alpha).
SOURCING = ["well_sourced", "partly_sourced", "poorly_sourced"]

TEXT_A = (
    "Home | World | Politics | Sport\n\n"
    "Mayor resigns after council vote\n\n"
    "The mayor resigned on Monday after losing a confidence vote, officials said.\n\n"
    "The council's spokesperson said the vote had been planned for weeks."
)
TEXT_B = (
    "Dam protest <b>grows</b> & spreads north\n\n"
    "Photo: protesters at the dam (Reuters)\n\n"
    "Thousands marched to the dam on Sunday, the third weekend of protests."
)
TEXT_C = "Ferry timetable changes for winter\n\nThe island ferry will sail twice a day."
TEXT_D = "Library reopens after repairs\n\nThe library opens its doors again on Friday."


@dataclass
class Annotated:
    """What the test knows about the project without asking the code under test."""

    path: Path
    hashes: dict[str, str]  # A, B, C, D -> sha256
    expected_docs: list[DocAnnotations]


def _span(text: str, phrase: str, extra: int = 0) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase) + extra


def build_project(folder: Path) -> Annotated:
    """Import the four documents and annotate them as alice, bob and carol."""
    folder.mkdir(parents=True, exist_ok=True)
    docs_dir = folder / "docs"
    docs_dir.mkdir()
    for name, text in (("a", TEXT_A), ("b", TEXT_B), ("c", TEXT_C), ("d", TEXT_D)):
        (docs_dir / f"{name}.txt").write_text(text, encoding="utf-8")
    path = folder / "project.sqlite"
    project = open_project(path)
    try:
        import_paths(project, [docs_dir])
        with project.sessions() as session:
            rows = {row.sha256: row for row in list_documents(session)}
            by_text = {}
            for sha, row in rows.items():
                blocks = document_blocks(session, row.id)
                by_text[sha] = (row.id, row.title, len(blocks))
        hashes = {key: sha256(text) for key, text in
                  (("A", TEXT_A), ("B", TEXT_B), ("C", TEXT_C), ("D", TEXT_D))}
        ids = {key: by_text[sha][0] for key, sha in hashes.items()}
        works: dict[str, dict[str, AnnotatorWork]] = {key: {} for key in hashes}
        services = {name: AnnotationService(project, name) for name in ("alice", "bob", "carol")}

        claim = _span(TEXT_A, "The mayor resigned on Monday")
        source = _span(TEXT_A, "officials")
        for name in ("alice", "bob", "carol"):
            service = services[name]
            blocks = {0: "navigation"} if name != "carol" else {}
            if blocks:
                service.set_block_labels(ids["A"], blocks)
            spans = [SpanUnit(service.add_span(ids["A"], "CLAIM", *claim).uid, *claim, "CLAIM")]
            relations = []
            if name != "carol":
                bounds = (source[0], source[1] + (2 if name == "bob" else 0))
                head = service.add_span(ids["A"], "SOURCE", *bounds).uid
                spans.append(SpanUnit(head, *bounds, "SOURCE"))
                service.link(ids["A"], head, spans[0].uid)
                relations.append(RelationUnit(head, spans[0].uid, "ATTRIBUTION"))
            service.set_status(ids["A"], "done")
            works["A"][name] = AnnotatorWork("done", blocks, spans, relations, {})

        for name, label, rating in (("alice", "caption", "well_sourced"),
                                    ("bob", "promo", "poorly_sourced")):
            services[name].set_block_labels(ids["B"], {1: label})
            services[name].set_doc_label(ids["B"], "sourcing", rating)
            services[name].set_status(ids["B"], "done")
            works["B"][name] = AnnotatorWork("done", {1: label}, [], [], {"sourcing": rating})
        services["carol"].set_block_labels(ids["B"], {1: "caption"})
        works["B"]["carol"] = AnnotatorWork("in_progress", {1: "caption"})

        services["alice"].set_status(ids["C"], "done")
        works["C"]["alice"] = AnnotatorWork("done")

        # The store tokenizes the texts of documents two annotators finished (A and B).
        expected = [
            with_tokens(DocAnnotations(hashes[key], by_text[hashes[key]][1], len(text),
                                       by_text[hashes[key]][2], works[key]), text)
            for key, text in (("A", TEXT_A), ("B", TEXT_B), ("C", TEXT_C), ("D", TEXT_D))
        ]
    finally:
        project.close()
    return Annotated(path, hashes, expected)


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> Annotated:
    return build_project(tmp_path_factory.mktemp("agreement"))


def expected_report(annotated: Annotated) -> dict:
    """The report ``core.agreement.report.build`` makes of the same work, JSON round-tripped."""
    report = build(annotated.expected_docs, block_labels=BLOCK_LABELS,
                   ordinal_values={"sourcing": SOURCING}, span_labels=SPAN_LABELS,
                   relation_labels=["ATTRIBUTION"])
    return json.loads(json.dumps(report))


def run_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_equals_the_core_report_and_the_hand_computed_figures(
    annotated: Annotated, tmp_path: Path
) -> None:
    out = tmp_path / "report.json"
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", str(annotated.path), "agreement",
         "--format", "json", "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "agreement over 2 documents (alice, bob, carol) written to" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report == expected_report(annotated)

    # The keys the README documents, with hand-computed values.
    assert report["spans"]["micro"]["f1_exact"] == pytest.approx(0.6)
    assert report["spans"]["micro"]["f1_overlap"] == pytest.approx(0.8)
    assert report["spans"]["micro"]["n_compared"] == 10
    source = report["spans"]["per_label"]["SOURCE"]
    assert (source["f1_exact"], source["f1_overlap"], source["n_compared"]) == (0.0, 0.5, 4)
    assert "alpha_u" in source
    assert report["spans"]["per_label"]["CLAIM"]["f1_exact"] == pytest.approx(1.0)
    assert report["relations"]["f1_strict"] == 0.0
    assert report["relations"]["f1_matched"] == pytest.approx(0.5)
    assert report["blocks"]["n_units"] == 4 + 3  # blocks of A and B
    for key in ("alpha", "ac1"):
        assert isinstance(report["blocks"][key], float)
    assert "alpha" in report["blocks"]["per_label"]["navigation"]
    assert report["doc_labels"]["sourcing"]["n_units"] == 1
    assert "alpha" in report["doc_labels"]["sourcing"]
    assert report["n_documents"] == 2
    assert report["excluded"]["documents_total"] == 4
    assert report["excluded"]["documents_fewer_than_two_done"] == 2
    assert report["excluded"]["works_not_done"] == {"in_progress": 1}
    # Disagreement of A: blocks 1 - 10/12, spans 1 - 7/10, relations 1 - 2/4 -> mean 29/90;
    # of B: blocks 1 - 2/3, no spans or relations (0), sourcing well vs poorly = 2 ranks of
    # the 2 a three-rank scale allows (not_applicable is outside it) -> 1, mean 1/3.
    worst, second = report["documents"]
    assert (worst["id"], second["id"]) == (annotated.hashes["B"], annotated.hashes["A"])
    assert worst["disagreement"] == pytest.approx(1 / 3)
    assert second["disagreement"] == pytest.approx(29 / 90)
    assert second["title"] == "Mayor resigns after council vote"


def test_text_csv_and_html(annotated: Annotated, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    expected = expected_report(annotated)
    code, text, _ = run_in_process(capsys, "--project", str(annotated.path), "agreement")
    assert code == 0
    assert re.search(r"spans\s+F1 exact\s+0\.600\s+10\s+spans compared", text), text
    assert re.search(r"relations\s+F1 matched\s+0\.500\s+4\s+relations compared", text)
    assert "alice / bob" in text and "documents left out: fewer than two annotators done" in text

    code, content, _ = run_in_process(capsys, "--project", str(annotated.path), "agreement",
                                      "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(content)))
    figure = {(r["layer"], r["scope"], r["item"], r["annotators"], r["measure"]): r
              for r in rows}
    exact = figure[("spans", "overall", "", "", "f1_exact")]
    assert float(exact["value"]) == pytest.approx(0.6) and exact["n"] == "10"
    kappa = figure[("blocks", "pair", "", "alice+bob", "kappa")]
    pair = next(p for p in expected["pairs"] if p["annotators"] == ["alice", "bob"])
    assert float(kappa["value"]) == pytest.approx(pair["blocks"]["kappa"])
    assert kappa["n"] == str(pair["blocks"]["n_units"])
    documents = [r for r in rows if r["layer"] == "documents" and r["measure"] == "disagreement"]
    assert [r["item"] for r in documents] == [d["id"] for d in expected["documents"]]

    out = tmp_path / "report.html"
    code, _, _ = run_in_process(capsys, "--project", str(annotated.path), "agreement",
                                "--format", "html", "--out", str(out))
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 4
    assert "<script" not in page and "http" not in page and "src=" not in page
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "Dam protest &lt;b&gt;grows&lt;/b&gt; &amp; spreads north" in page
    assert "<b>grows" not in page


def test_annotators_subset_and_bad_names(annotated: Annotated, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, content, _ = run_in_process(capsys, "--project", str(annotated.path), "agreement",
                                      "--format", "json", "--annotators", "alice,bob")
    assert code == 0
    report = json.loads(content)
    assert report["annotators"] == ["alice", "bob"] and report["n_documents"] == 2
    assert report == json.loads(json.dumps(build(
        annotated.expected_docs, annotators=["alice", "bob"], block_labels=BLOCK_LABELS,
        ordinal_values={"sourcing": SOURCING}, span_labels=SPAN_LABELS,
        relation_labels=["ATTRIBUTION"])))

    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path)}
    env.pop("ANNOTATOR_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", str(annotated.path), "agreement",
         "--annotators", "alice,zed"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no annotator 'zed'" in lines[0], result.stderr
    assert "alice, bob, carol" in lines[0] and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--annotators", "alice"], "name at least two annotators"),
        (["--annotators", ","], "give annotator names"),
        (["--format", "pdf"], "invalid choice"),
        (["--top", "-1"], "--top"),
    ],
)
def test_bad_usage_is_one_line_exit_2(annotated: Annotated, capsys: pytest.CaptureFixture[str],
                                      args: list[str], message: str) -> None:
    try:
        code = main(["--project", str(annotated.path), "agreement", *args])
    except SystemExit as exc:  # argparse usage errors exit from the parser
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err, err


def test_missing_project_is_refused_not_created(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.sqlite"
    code = main(["--project", str(missing), "agreement"])
    assert code == 2 and not missing.exists()
    assert "no such project file" in capsys.readouterr().err


def test_done_counts_and_the_confusion_matrix_in_every_report(
    annotated: Annotated, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # alice finished A, B and C; bob A and B; carol A: every done document counts here,
    # also C, which nobody else finished and so is left out of the figures.
    code, text, _ = run_in_process(capsys, "--project", str(annotated.path), "agreement")
    assert code == 0
    assert "documents done per annotator: alice 3, bob 2, carol 1" in text
    out = tmp_path / "report.html"
    code, _, _ = run_in_process(capsys, "--project", str(annotated.path), "agreement",
                                "--format", "html", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert "documents done per annotator: alice 3, bob 2, carol 1" in page
    # The window's confusion matrix is in the page too: navigation marked by alice and
    # bob, left (content) by carol on A; caption against promo on B.
    expected = expected_report(annotated)["blocks"]["confusion"]
    heading = f"Confusion: pairs of judgements on one block (n = {expected['n_pairs']:,})"
    assert heading in page
    table = page.split(heading, 1)[1].split("</table>", 1)[0]
    labels = expected["labels"]
    row = labels.index("navigation")
    cells = re.findall(r"<tr><td class=\"txt\">navigation</td>(.*?)</tr>", table)[0]
    numbers = [int(v.replace(",", "")) for v in re.findall(r">([\d,]+)</td>", cells)]
    assert numbers == expected["matrix"][row]
    assert numbers[labels.index("content")] == 2 and numbers[row] == 1


def test_one_annotator_gets_one_line_not_rows_of_na(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in (("c", TEXT_C), ("d", TEXT_D)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "solo.sqlite"
    project = open_project(path)
    try:
        import_paths(project, [folder])
        service = AnnotationService(project, "alice")
        for doc_id in service.document_ids():
            service.set_status(doc_id, "done")
    finally:
        project.close()
    code, out, err = run_in_process(capsys, "--project", str(path), "agreement")
    assert code == 0 and err == ""
    assert out.strip().splitlines() == [
        "Nothing to compare: the project has only one annotator (alice has 2 done); "
        "agreement needs documents marked done by at least two annotators."]
    assert "n/a" not in out
    report = tmp_path / "solo.html"
    code, out, _ = run_in_process(capsys, "--project", str(path), "agreement",
                                  "--format", "html", "--out", str(report))
    assert code == 0 and report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert out.startswith("Nothing to compare: the project has only one annotator")
    assert len(out.strip().splitlines()) == 1
