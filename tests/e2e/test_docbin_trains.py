"""The DocBin export loads in spaCy and trains a span categorizer (2 steps, tiny model)."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.tokens import DocBin

from annotator.core.model import NewSuggestion
from annotator.services.annotation import AnnotationService
from annotator.services.export import ExportOptions, export
from annotator.services.importing import import_paths
from annotator.store.documents import get_document, list_documents
from annotator.store.suggestions import replace_for_document

SAID = " said"


def _annotate(project) -> int:  # type: ignore[no-untyped-def]
    """Every ``X said Y`` in the samples: SOURCE = the two words before, CUE, CLAIM."""
    svc = AnnotationService(project, "alice")
    spans = 0
    for row in list_documents(project.sessions()):
        with project.sessions() as session:
            text = get_document(session, row.id).text
        at = text.find(SAID)
        while at != -1 and spans < 200:
            start = text.rfind(" ", 0, text.rfind(" ", 0, at)) + 1
            end = text.find(".", at)
            if 0 < start < at and end - at > 10 and "\n" not in text[start:end]:
                src = svc.add_span(row.id, "SOURCE", start, at, {"naming": "named"})
                cue = svc.add_span(row.id, "CUE", at + 1, at + len(SAID))
                claim = svc.add_span(row.id, "CLAIM", at + len(SAID) + 1, end)
                svc.link(row.id, src.uid, claim.uid, cue.uid, attrs={"quote_type": "indirect"})
                spans += 3
            at = text.find(SAID, at + 1)
        svc.set_block_labels(row.id, {0: "metadata"})
        svc.set_doc_label(row.id, "sourcing", "well_sourced")
        svc.set_status(row.id, "done")
        with project.session() as session:
            replace_for_document(session, row.id, "m1", [
                NewSuggestion("entity", "GPE", 0, text.index(" "), 0.9, "ner"),
            ])
    return spans


def test_docbin_loads_and_trains_a_span_categorizer(project, samples, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_paths(project, samples)
    assert _annotate(project) >= 12
    corpus = tmp_path / "corpus"
    summary = export(project, ExportOptions(format="spacy", annotators=("alice",),
                                            entities=True, split={"train": 0.5, "dev": 0.5},
                                            seed=3), corpus)
    assert summary.records == 3

    nlp = spacy.blank("en")
    docs = [doc for part in ("train", "dev") for doc in
            DocBin().from_disk(corpus / f"{part}.spacy").get_docs(nlp.vocab)]
    assert len(docs) == 3 and all(docs), "both parts must hold a document for training"
    assert {span.label_ for doc in docs for span in doc.spans["sc"]} == {"SOURCE", "CUE",
                                                                         "CLAIM"}
    for doc in docs:
        assert doc.spans["blocks"][0].label_ == "metadata"
        assert {span.label_ for span in list(doc.spans["blocks"])[1:]} == {"content"}
        assert doc.cats["well_sourced"] == 1.0 and doc.cats["poorly_sourced"] == 0.0
        assert [ent.label_ for ent in doc.ents] == ["GPE"]  # asked for with entities=True
        assert doc.user_data["annotator"] == "alice"
        assert len(doc.user_data["relations"]) == len(doc.spans["sc"]) // 3
        for span in doc.spans["sc"]:
            assert span.text == doc.text[span.start_char : span.end_char]
    without = export(project, ExportOptions(format="spacy", annotators=("alice",)),
                     tmp_path / "plain.spacy")
    assert without.records == 3
    plain = list(DocBin().from_disk(tmp_path / "plain.spacy").get_docs(nlp.vocab))
    assert all(not doc.ents for doc in plain)  # entity suggestions left out by default

    from spacy.cli.init_config import init_config
    from spacy.cli.train import train

    config = init_config(lang="en", pipeline=["spancat"], optimize="efficiency")
    config_path = tmp_path / "config.cfg"
    config.to_disk(config_path)
    out = tmp_path / "model"
    train(config_path, out, overrides={
        "paths.train": str(corpus / "train.spacy"), "paths.dev": str(corpus / "dev.spacy"),
        "training.max_steps": 2, "training.eval_frequency": 1,
        "components.tok2vec.model.encode.width": 32, "components.tok2vec.model.encode.depth": 1,
        "components.tok2vec.model.embed.rows": [500, 100, 250, 250],
        "components.spancat.model.reducer.hidden_size": 16,
    })
    trained = spacy.load(out / "model-last")
    assert set(trained.get_pipe("spancat").labels) == {"SOURCE", "CUE", "CLAIM"}
    assert "sc" in trained("The minister said the talks went well.").spans
