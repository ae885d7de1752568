"""From three annotators' work to gold, and gold out through ``annotator export --gold``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from annotator.services import adjudication
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths

TEXT = ("Home | News | Sport\n\nMayor resigns after council vote\n\n"
        "The mayor resigned on Monday, officials said.")


def test_majority_gold_is_exported_with_gold_flag(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    import_paths(project, [tmp_path / "a.txt"])
    claim = TEXT.index("The mayor resigned on Monday")
    claim_end = claim + len("The mayor resigned on Monday")
    for name, nav, with_claim in (("alice", "navigation", True), ("bob", "navigation", True),
                                  ("carla", "promo", False)):
        service = AnnotationService(project, name)
        service.set_block_labels(1, {0: nav})
        if with_claim:
            service.add_span(1, "CLAIM", claim, claim_end)
        service.set_doc_label(1, "sourcing", "partly_sourced")
        service.set_status(1, "done")

    versions = adjudication.load(project, 1)
    draft = adjudication.majority(versions, min_annotators=2, min_share=0.5)
    adjudication.save(project, versions, draft)

    out = tmp_path / "gold.jsonl"
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "export", "--project", str(project.path), "--gold",
         "--out", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["annotator"] == "gold" and record["status"] == "done"
    assert record["blocks"][0]["label"] == "navigation"  # 2 of 3 annotators
    assert [(s["label"], s["text"]) for s in record["spans"]] == [
        ("CLAIM", "The mayor resigned on Monday")]
    assert record["doc_labels"] == {"sourcing": "partly_sourced"}
