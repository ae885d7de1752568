"""Clutter suggestions that learn: HTML evidence on stored blocks, training from the
project's done documents, and re-suggesting exactly what a change affects."""

from __future__ import annotations

import random
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from annotator.paths import resources_dir
from annotator.services.annotation import AnnotationService
from annotator.services.block_models import project_block_model
from annotator.services.importing import import_paths
from annotator.services.suggest import run_suggest
from annotator.services.training import train_blocks_in_child
from annotator.store.documents import block_evidence, document_blocks, get_document
from annotator.store.suggestions import for_document

PAGE = """<!doctype html><html><head><title>Ferry fares | Harbour Gazette</title>
<body>
<header class="site-header"><nav class="main-menu"><ul>
<li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<main><article class="story-body">
<h1>Island ferry fares to rise in spring</h1>
<p>The island council agreed on Tuesday to raise ferry fares by eight percent from April,
after the operator warned that fuel costs had doubled since the last review.</p>
<figure><img src="f.jpg"><figcaption>The morning ferry leaves Port Varro.</figcaption></figure>
<p>Councillors said the rise would be reviewed again in autumn, and that season tickets
for residents would keep their current price until the end of the year.</p>
</article></main>
<section id="comments" class="comment-list"><h2>3 comments</h2>
<div class="comment"><p>This is the third rise in two years and nobody asked us.</p></div>
</section>
<footer><p>© 2026 Harbour Gazette. All rights reserved.</p></footer>
</body></html>
"""

_WORDS = ("council harbour ferry budget school road market river festival library tender "
          "museum hospital bridge station park water rail housing grant court union "
          "village coast farm fishing tourism energy port survey report plan").split()
_VERBS = "agreed approved delayed reviewed rejected proposed funded opened closed".split()
FOOTER = ("The Weekly Lantern is an independent newspaper owned by its readers and printed "
          "every Thursday in the town of Port Varro since 1952.")
TAGLINE = "Lantern readers can send tips and letters to the newsroom at any time of day."


def _paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        a, b, c = rng.sample(_WORDS, 3)
        sentences.append(f"The {a} committee {rng.choice(_VERBS)} the {b} {c} plan on "
                         f"{rng.choice(['Monday', 'Tuesday', 'Friday'])}, and officials said "
                         f"the {rng.choice(_WORDS)} would be ready by {rng.randint(2027, 2031)}.")
    return " ".join(sentences)


def _site_article(seed: int) -> str:
    rng = random.Random(seed)
    title = f"{rng.choice(_WORDS).title()} {rng.choice(_WORDS)} plan {rng.choice(_VERBS)}"
    body = "\n\n".join(_paragraph(rng) for _ in range(rng.randint(5, 8)))
    return f"{title}\n\n{TAGLINE}\n\n{body}\n\n{FOOTER}\n"


def _block_of(project, doc_id: int, needle: str) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with project.sessions() as session:

        doc = get_document(session, doc_id)
        assert doc is not None
        for index, start, end in document_blocks(session, doc_id):
            if needle in doc.text[start:end]:
                return index, start, end
    raise AssertionError(f"no block holds {needle!r}")


def _block_suggestions(project, doc_id: int) -> dict[tuple[int, int], tuple[int, str]]:  # type: ignore[no-untyped-def]
    with project.sessions() as session:
        return {(r.start, r.end): (r.id, r.label) for r in for_document(session, doc_id)
                if r.layer == "block"}


def test_an_html_import_keeps_nav_figcaption_and_comment_evidence(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "ferry.html").write_text(PAGE, encoding="utf-8")
    summary = import_paths(project, [tmp_path / "ferry.html"])
    assert summary.imported == 1
    with project.sessions() as session:
        doc = get_document(session, 1)
        assert doc is not None
        evidence = block_evidence(session, 1)
        texts = [doc.text[s:e] for _, s, e in document_blocks(session, 1)]
    by_text = dict(zip(texts, evidence, strict=True))
    assert "nav" in by_text["Home"]["landmarks"] and by_text["Home"]["link_share"] == 1.0
    assert "figcaption" in by_text["The morning ferry leaves Port Varro."]["landmarks"]
    comment = by_text["This is the third rise in two years and nobody asked us."]
    assert "comment" in comment["class_words"]
    assert "footer" in by_text["© 2026 Harbour Gazette. All rights reserved."]["landmarks"]
    council = next(e for t, e in by_text.items() if t.startswith("The island council"))
    assert council["extracted"] >= 0.9 and "article" in council["landmarks"]
    with sqlite3.connect(project.path) as conn:
        assert conn.execute("select count(*) from blocks where fingerprint is null "
                            "or fingerprint = ''").fetchone() == (0,)


@pytest.mark.slow
def test_training_on_done_documents_changes_a_held_out_documents_suggestions(
    project, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    for n in range(12):
        (folder / f"lantern-{n:02d}.txt").write_text(_site_article(n), encoding="utf-8")
    assert import_paths(project, [folder]).imported == 12
    run_suggest(project)
    held_out = 12  # the last article is never labelled
    footer = _block_of(project, held_out, "Weekly Lantern is an independent")
    tagline = _block_of(project, held_out, "Lantern readers can send tips")
    before = _block_suggestions(project, held_out)
    assert (tagline[1], tagline[2]) not in before, "the shipped model already flags the tagline"

    service = AnnotationService(project, "alice")
    for doc_id in range(1, 11):
        labels: dict[int, str | None] = {
            _block_of(project, doc_id, "Weekly Lantern is an independent")[0]: "legal",
            _block_of(project, doc_id, "Lantern readers can send tips")[0]: "promo",
        }
        service.set_block_labels(doc_id, labels)
        service.set_status(doc_id, "done")
    stop = threading.Event()
    stop.set()
    cancelled = train_blocks_in_child(project, cancel=stop)
    assert cancelled.cancelled and project_block_model(project) is None
    # in a child process, as the window trains: same summary, model stored in the file
    summary = train_blocks_in_child(project)
    assert summary.documents == 10 and summary.boilerplate_blocks == 20
    assert project_block_model(project) is not None
    assert summary.version.startswith("blocks-")

    again = run_suggest(project)
    # the held-out article gained clutter: its block layer is rewritten without a parse
    assert again.updated >= 1 and again.updated + again.processed + again.rechecked == 12
    after = _block_suggestions(project, held_out)
    # the template's lines are flagged, with the labels the annotators gave them
    assert after[(tagline[1], tagline[2])][1] == "promo"
    assert after[(footer[1], footer[2])][1] == "legal"
    assert after != before


def test_a_rule_table_edit_re_suggests_exactly_the_documents_it_affects(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(resources_dir() / "clutter", rules)
    monkeypatch.setenv("ANNOTATOR_RULES_DIR", str(rules))
    line = ("The harbour council approved a ferry budget of 4.2 million pounds on Monday, "
            "officials said.")
    texts = {
        "a.txt": _site_article(101),
        "b.txt": _site_article(102).replace(FOOTER, line),
        "c.txt": _site_article(103),
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    import_paths(project, [tmp_path / n for n in texts])
    run_suggest(project)
    before = {d: _block_suggestions(project, d) for d in (1, 2, 3)}
    radio = _block_of(project, 2, "The harbour council approved a ferry budget")
    with project.sessions() as session:
        had_claim = any(r.layer in ("claim", "attribution") and radio[1] <= r.start
                        and r.end <= radio[2] for r in for_document(session, 2))
    service = AnnotationService(project, "alice")
    rejected = {}
    for doc_id in (1, 2):  # a verdict on each: they must survive what follows
        if before[doc_id]:
            rejected[doc_id] = next(iter(before[doc_id].values()))[0]
            service.reject_suggestions(doc_id, [rejected[doc_id]])

    table = rules / "phrases.toml"
    table.write_text(table.read_text(encoding="utf-8").replace(
        "[promo]\n", f'[promo]\nsure = ["{line}"]\n', 1), encoding="utf-8")
    summary = run_suggest(project)
    # b.txt gains a clutter block: updated in place, no parse; a and c are re-stamped
    assert (summary.processed, summary.updated, summary.rechecked) == (0, 1, 2)
    after = {d: _block_suggestions(project, d) for d in (1, 2, 3)}
    assert after[1] == before[1] and after[3] == before[3]  # same rows, same ids
    target = _block_of(project, 2, "The harbour council approved a ferry budget")
    assert after[2][(target[1], target[2])][1] == "promo"
    with project.sessions() as session:  # nothing is suggested inside clutter, as in a full run
        inside = [r for r in for_document(session, 2) if r.layer in ("claim", "attribution")
                  and target[1] <= r.start and r.end <= target[2]]
    assert inside == []
    assert had_claim, "the line held a claim or attribution before it became clutter"
    with project.sessions() as session:
        for doc_id, sid in rejected.items():
            kept = [r.id for r in for_document(session, doc_id, service.annotator_id)
                    if r.verdict == "rejected"]
            assert len(kept) == 1, doc_id
            if doc_id == 1:
                assert kept == [sid]  # not rewritten at all
    assert run_suggest(project).skipped == 3  # nothing left to do

    # Taking the line out again: a block leaves the clutter, and the claims and
    # attributions it may hold were never kept, so b.txt is parsed again.
    table.write_text(table.read_text(encoding="utf-8").replace(f'sure = ["{line}"]\n', ""),
                     encoding="utf-8")
    summary = run_suggest(project)
    assert (summary.processed, summary.updated, summary.rechecked) == (1, 0, 2)
    restored = _block_suggestions(project, 2)
    assert {k: label for k, (_id, label) in restored.items()} == {
        k: label for k, (_id, label) in before[2].items()}
    assert (target[1], target[2]) not in restored
