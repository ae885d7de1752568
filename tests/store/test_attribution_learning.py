"""Attribution suggestions that learn from the team's spans, end to end: a real project,
the attribution set's labelled articles merged as gold, ``train``, then ``suggest``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.services.block_models import project_attribution_model
from annotator.services.importing import import_paths
from annotator.services.suggest import run_suggest
from annotator.services.training import train_attributions
from annotator.store.documents import get_document_by_hash
from annotator.store.suggestions import for_document

SET = Path(__file__).resolve().parents[1] / "data" / "attribution_set" / "articles.jsonl"


def _overlap(a: list[int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


@pytest.mark.slow
def test_training_on_marked_attributions_learns_cues_and_suggests_on_an_unseen_article(
    project, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    records = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()]
    train = [r for r in records if r["meta"]["split"] == "train"][:20]
    unseen = next(r for r in records if r["meta"]["split"] == "test")
    (tmp_path / "gold.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in train), encoding="utf-8")
    (tmp_path / "unseen.txt").write_text(unseen["text"], encoding="utf-8")
    summary = import_paths(project, [tmp_path / "gold.jsonl", tmp_path / "unseen.txt"])
    assert summary.merged == 20 and not summary.refused

    assert project_attribution_model(project) is None
    learnt = train_attributions(project)
    assert learnt.documents == 20 and learnt.attributions > 200
    model = project_attribution_model(project)
    assert model is not None and learnt.version == f"attribution-model-{model.digest}"
    cues = model.data["cues"]
    assert cues["say"][0] >= 10  # "said" is marked as a cue in most articles
    assert learnt.cues_learnt >= 10

    run_suggest(project)
    with project.sessions() as session:
        doc = get_document_by_hash(session, unseen["id"])
        assert doc is not None
        made = [r for r in for_document(session, doc.id) if r.layer == "attribution"]
    assert made and all(r.rule.startswith("learnt:") for r in made)
    assert all(r.model_version.split("|")[0].endswith(f"attribution-model-{model.digest}")
               for r in made)
    spans = {s["id"]: (s["start"], s["end"]) for s in unseen["spans"]}
    gold = [(spans.get(rel["head"]), spans[rel["child"]]) for rel in unseen["relations"]]
    found = sum(any(_overlap(r.attrs.get("content"), content)
                    and (source is None or _overlap(r.attrs.get("source"), source))
                    for r in made) for source, content in gold)
    assert found / len(gold) >= 0.5
