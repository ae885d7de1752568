"""Annotate -> export -> import into another project -> export: the same records.

Real processes for the CLI (exit codes, one-line errors), real SQLite files, the real
spaCy tokenizer.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import jsonschema
import pytest
import spacy

from annotator.core.text import sha256
from annotator.paths import resources_dir
from annotator.services.annotation import AnnotationService
from annotator.services.export import ExportOptions, export, iter_records
from annotator.services.importing import import_paths
from annotator.services.merge import merge_paths
from annotator.store import open_project
from annotator.store.documents import list_documents

VALIDATOR = jsonschema.Draft202012Validator(
    json.loads((resources_dir() / "export_record.schema.json").read_text(encoding="utf-8"))
)
UNICODE = (
    "Live 🔴 updates 👍🏽\n\n"
    "قال المتحدث باسم الوزارة إن المحادثات مستمرة.\n\n"
    "The spokesman 👨‍👩‍👧 said the talks “will continue”, according to Al Jazeera 📺.\n"
)
TABLES = ("documents", "blocks", "annotators", "block_labels", "spans", "relations",
          "doc_labels", "progress")


def cli(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    env.pop("ANNOTATOR_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


def _span(svc: AnnotationService, doc_id: int, text: str, label: str, piece: str,
          attrs: dict | None = None, after: int = 0):  # type: ignore[no-untyped-def]
    start = text.index(piece, after)
    return svc.add_span(doc_id, label, start, start + len(piece), attrs)


def annotate(project) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Two annotators and gold label the unicode article and one sample, as in the GUI."""
    docs = {row.title: row.id for row in list_documents(project.sessions())}
    texts = {}
    with project.sessions() as session:
        from annotator.store.documents import get_document

        for doc_id in docs.values():
            texts[doc_id] = get_document(session, doc_id).text
    uni = next(i for i, t in texts.items() if t == UNICODE)
    other = next(i for i, t in texts.items() if "Iraq’s foreign ministry said" in t)
    for name in ("alice", "bob", "gold"):
        svc = AnnotationService(project, name, allow_reserved=name == "gold")
        text = texts[uni]
        src = _span(svc, uni, text, "SOURCE", "The spokesman 👨‍👩‍👧",
                    {"naming": "unnamed" if name == "bob" else "vague", "kind": "spokesperson"})
        cue = _span(svc, uni, text, "CUE", "said")
        claim = _span(svc, uni, text, "CLAIM", "the talks “will continue”", {"checkworthy": "yes"})
        arabic = _span(svc, uni, text, "CLAIM", "المحادثات مستمرة")
        media = _span(svc, uni, text, "SOURCE", "Al Jazeera 📺", {"naming": "named",
                                                                  "kind": "media"})
        svc.link(uni, src.uid, claim.uid, cue.uid, attrs={"quote_type": "indirect"})
        svc.link(uni, media.uid, arabic.uid, attrs={"quote_type": "direct"})
        svc.set_block_labels(uni, {0: "navigation", 2: "content"})
        svc.set_doc_label(uni, "sourcing", "partly_sourced")
        svc.set_status(uni, "done")
        if name != "bob":
            text = texts[other]
            ministry = _span(svc, other, text, "SOURCE", "Iraq’s foreign ministry",
                             {"naming": "named", "kind": "official"})
            claim = _span(svc, other, text, "CLAIM", "Baghdad and Washington have agreed")
            svc.link(other, ministry.uid, claim.uid)
            svc.set_block_labels(other, {1: "content"})
            svc.set_status(other, "in_progress" if name == "alice" else "done")
    return {"unicode": uni, "other": other}


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def source(tmp_path: Path, samples):  # type: ignore[no-untyped-def]
    (tmp_path / "unicode.txt").write_text(UNICODE, encoding="utf-8")
    project = open_project(tmp_path / "a.sqlite")
    import_paths(project, [*samples, tmp_path / "unicode.txt"])
    annotate(project)
    yield project
    project.close()


def test_round_trip_gives_identical_records(source, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    target = tmp_path / "b.sqlite"
    done = cli("--project", source.path, "export", "--all", "--status", "any", "--out", first,
               home=home)
    assert done.returncode == 0, done.stderr
    assert "5 records of 2 documents exported" in done.stdout
    records = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    for record in records:
        VALIDATOR.validate(record)
    assert [(r["annotator"], r["status"]) for r in records] == [
        ("alice", "in_progress"), ("gold", "done"),  # the sample, in document order
        ("alice", "done"), ("bob", "done"), ("gold", "done"),  # the unicode article
    ]

    merged = cli("--project", target, "import", first, home=home)
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.strip() == ("2 imported, 0 duplicates, 0 refused (1 files); "
                                     "annotations: 5 merged (0 replaced), 0 unchanged, "
                                     "0 skipped as older than stored")
    again = cli("--project", target, "export", "--all", "--status", "any", "--out", second,
                home=home)
    assert again.returncode == 0, again.stderr
    assert second.read_bytes() == first.read_bytes()

    # Importing the same file twice changes nothing.
    before = _counts(target)
    project = open_project(target)
    try:
        twice = import_paths(project, [first])
    finally:
        project.close()
    assert twice.line() == ("0 imported, 0 duplicates, 0 refused (1 files); annotations: "
                            "0 merged (0 replaced), 5 unchanged, 0 skipped as older than stored")
    assert _counts(target) == before


def test_spans_after_emoji_and_arabic_keep_their_offsets(source, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    export(source, ExportOptions(annotators=("bob",)), tmp_path / "bob.jsonl")
    target = open_project(tmp_path / "b.sqlite")
    try:
        import_paths(target, [tmp_path / "bob.jsonl"])
        [record] = iter_records(target, ExportOptions(annotators=("bob",)))
    finally:
        target.close()
    assert record["text"] == UNICODE and record["id"] == sha256(UNICODE)
    doc = spacy.blank("en")(UNICODE)
    by_text = {s["text"]: s for s in record["spans"]}
    for piece in ("The spokesman 👨‍👩‍👧", "المحادثات مستمرة", "Al Jazeera 📺",
                  "the talks “will continue”"):
        span = by_text[piece]
        assert UNICODE[span["start"] : span["end"]] == piece
        assert span["start"] == UNICODE.index(piece)  # code points: emoji count once
        tokens = doc[span["token_start"] : span["token_end"] + 1]
        assert (tokens.start_char, tokens.end_char) == (span["start"], span["end"])
    assert record["metrics"]["anonymous_source_share"] == 0.5
    assert record["metrics"]["direct_quote_share"] == 0.5
    assert record["metrics"]["attributed_claim_share"] == 1.0


def test_newer_record_wins_and_older_is_kept_out(source, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    options = ExportOptions(annotators=("alice",), statuses=None)
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    export(source, options, old)
    ids = annotate_more(source)
    export(source, options, new)
    target = open_project(tmp_path / "b.sqlite")
    try:
        first = import_paths(target, [old])
        assert (first.merged, first.replaced) == (2, 0)
        newer = import_paths(target, [new])
        assert (newer.merged, newer.replaced, newer.unchanged) == (1, 1, 1)
        assert "1 merged (1 replaced), 1 unchanged" in newer.line()
        stale = import_paths(target, [old])
        assert (stale.merged, stale.older) == (0, 1)
        # A record without updated_at counts as older than what is stored.
        undated = tmp_path / "undated.jsonl"
        lines = old.read_text(encoding="utf-8").splitlines()
        undated.write_text("\n".join(json.dumps({**json.loads(x), "updated_at": None},
                                                ensure_ascii=False) for x in lines) + "\n",
                           encoding="utf-8")
        assert import_paths(target, [undated]).older == 1
        now = {r["id"]: r for r in iter_records(target, options)}
        expected = {r["id"]: r for r in iter_records(source, options)}
        assert now == expected
        assert ids["unicode"]
    finally:
        target.close()


def annotate_more(project) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Alice changes her mind on the unicode article after the first export and marks it
    done again (Ctrl+Enter), which stamps the progress row that ``updated_at`` comes from."""
    docs = {row.title: row.id for row in list_documents(project.sessions())}
    svc = AnnotationService(project, "alice")
    for doc_id in docs.values():
        current = svc.load(doc_id)
        if current.doc_labels.get("sourcing") == "partly_sourced":
            svc.set_doc_label(doc_id, "sourcing", "well_sourced")
            svc.set_status(doc_id, "done")
            return {"unicode": doc_id}
    raise AssertionError("the unicode article is not annotated")


def test_bad_records_are_refused_one_by_one(source, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.jsonl"
    export(source, ExportOptions(all_annotators=True, statuses=None), good)
    lines = good.read_text(encoding="utf-8").splitlines()
    records = [json.loads(x) for x in lines]
    outside = json.loads(lines[1])
    outside["spans"][0]["end"] = len(outside["text"]) + 5
    mismatch = json.loads(lines[2])
    mismatch["spans"][0]["text"] = "not what is there"
    wrong_id = json.loads(lines[3])
    wrong_id["text"] = wrong_id["text"].replace("talks", "TALKS")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([
        lines[0],
        json.dumps(outside, ensure_ascii=False),
        json.dumps(mismatch, ensure_ascii=False),
        json.dumps(wrong_id, ensure_ascii=False),
        '{"annotator": "x", "text": "broken',
        lines[4],
    ]) + "\n", encoding="utf-8")
    target = tmp_path / "b.sqlite"
    result = cli("--project", target, "import", bad, home=tmp_path / "home")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    span = outside["spans"][0]
    first = mismatch["spans"][0]
    assert result.stderr.splitlines() == [
        f"annotator: error: {bad}:2: span {span['id']} [{span['start']}, {span['end']}) falls "
        f"outside the text (length {len(outside['text'])})",
        f"annotator: error: {bad}:3: span {first['id']} text 'not what is there' does not "
        f"match the text at [{first['start']}, {first['end']}): {first_text(mismatch)!r}",
        f'annotator: error: {bad}:4: "id" is not the SHA-256 of "text" (was the text edited?)',
        f"annotator: error: {bad}:5: not valid JSON (Unterminated string starting at, "
        "column 28)",
    ]
    assert "annotations: 2 merged (0 replaced)" in result.stdout
    merged = open_project(target)
    try:
        got = {(r["id"], r["annotator"]) for r in iter_records(
            merged, ExportOptions(all_annotators=True, statuses=None))}
    finally:
        merged.close()
    assert got == {(records[0]["id"], records[0]["annotator"]),
                   (records[4]["id"], records[4]["annotator"])}


def first_text(record: dict) -> str:
    span = record["spans"][0]
    text = record["text"][span["start"] : span["end"]]
    return text if len(text) <= 40 else text[:39] + "…"


def test_uids_taken_in_the_target_are_replaced_stably(source, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A project file copied between desktops: the same span uids under another name."""
    alice = tmp_path / "alice.jsonl"
    export(source, ExportOptions(annotators=("alice",), statuses=None), alice)
    carol = tmp_path / "carol.jsonl"
    carol.write_text("".join(
        json.dumps({**json.loads(x), "annotator": "carol"}, ensure_ascii=False) + "\n"
        for x in alice.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    target = open_project(tmp_path / "b.sqlite")
    try:
        assert import_paths(target, [alice, carol]).merged == 4
        assert import_paths(target, [carol]).unchanged == 2
        by = {}
        for record in iter_records(target, ExportOptions(all_annotators=True, statuses=None)):
            by.setdefault(record["annotator"], []).append(record)
        alice_ids = {s["id"] for r in by["alice"] for s in r["spans"]}
        carol_ids = {s["id"] for r in by["carol"] for s in r["spans"]}
        assert alice_ids.isdisjoint(carol_ids)
        strip = [{**r, "annotator": "", "spans": [{**s, "id": ""} for s in r["spans"]],
                  "relations": []} for r in by["carol"]]
        assert strip == [{**r, "annotator": "", "spans": [{**s, "id": ""} for s in r["spans"]],
                          "relations": []} for r in by["alice"]]
    finally:
        target.close()


def test_suggestion_records_are_reported_not_merged(source, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "x.jsonl"
    export(source, ExportOptions(annotators=("bob",)), good)
    record = json.loads(good.read_text(encoding="utf-8"))
    record["annotator"] = "suggestions"
    record["status"] = None
    good.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    target = open_project(tmp_path / "b.sqlite")
    try:
        counts = merge_paths(target, [good])
    finally:
        target.close()
    assert counts.merged == 0
    assert counts.refused == [f"{good}: 1 records of machine suggestions not merged (lines 1); "
                              "suggestions are made in each project by its suggesters"]


def test_export_files_are_streamed_past_the_article_size_limit(
    source, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.jsonl"
    export(source, ExportOptions(all_annotators=True, statuses=None), big)
    article = tmp_path / "article.jsonl"
    article.write_text(json.dumps({"text": UNICODE * 3}) + "\n", encoding="utf-8")
    monkeypatch.setattr("annotator.services.importing.MAX_BYTES", 1000)
    target = open_project(tmp_path / "b.sqlite")
    try:
        summary = import_paths(target, [big, article])
    finally:
        target.close()
    assert summary.merged == 5
    assert summary.refused == [f"{article}: file is 0.0 MB, over the 20 MB limit"]


def test_progress_and_cancel_for_the_gui(source, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "all.jsonl"
    export(source, ExportOptions(all_annotators=True, statuses=None), big)
    monkeypatch.setattr("annotator.services.merge.BATCH", 2)
    seen: list[tuple[int, int]] = []
    cancel = threading.Event()

    def progress(d: int, t: int, _stage: str) -> None:
        seen.append((d, t))
        cancel.set()  # after the first report

    target = open_project(tmp_path / "b.sqlite")
    try:
        counts = merge_paths(target, [big], progress=progress, cancel=cancel)
    finally:
        target.close()
    assert counts.cancelled and counts.merged == 2
    assert seen[0][1] == big.stat().st_size and 0 < seen[0][0] < seen[0][1]


def test_blocks_must_match_the_stored_document(source, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A project that segmented the same text differently cannot take block labels."""
    good = tmp_path / "bob.jsonl"
    export(source, ExportOptions(annotators=("bob",)), good)
    record = json.loads(good.read_text(encoding="utf-8"))
    target = open_project(tmp_path / "b.sqlite")
    try:
        import_paths(target, [good])  # the document now exists with the record's blocks
        moved = json.loads(json.dumps(record))
        moved["annotator"] = "carol"
        moved["blocks"][0]["end"] -= 1
        bad = tmp_path / "moved.jsonl"
        bad.write_text(json.dumps(moved, ensure_ascii=False) + "\n", encoding="utf-8")
        summary = import_paths(target, [bad])
    finally:
        target.close()
    block = moved["blocks"][0]
    assert summary.refused == [f"{bad}:1: block [{block['start']}, {block['end']}) is not a "
                               "block of the stored document (it was segmented differently)"]


def test_a_file_of_articles_with_records_further_down_is_merged(source, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    records = tmp_path / "bob.jsonl"
    export(source, ExportOptions(annotators=("bob",)), records)
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(json.dumps({"text": "A plain article.\n\nSecond paragraph."}) + "\n"
                     + records.read_text(encoding="utf-8"), encoding="utf-8")
    target = open_project(tmp_path / "b.sqlite")
    try:
        summary = import_paths(target, [mixed])
        again = import_paths(target, [mixed])
    finally:
        target.close()
    assert (summary.imported, summary.merged, summary.refused) == (2, 1, [])
    assert (again.imported, again.duplicates, again.unchanged) == (0, 1, 1)
