"""The export record: one JSON object per document x annotator (README: Command line, export).

Pure functions, no spaCy and no SQLAlchemy: the caller supplies token offsets and the
stored labels. The same module reads records back (``parse_record``) so that what
``export`` writes and what ``import`` accepts cannot drift apart, and each span and
relation item is written and read by its own type (``core.model``: ``to_record`` and
``from_record``) once its record has been checked here. The JSON Schema in
``resources/export_record.schema.json`` describes the same shape for other tools.

Offsets are code-point offsets into the canonical text, ``end`` exclusive; token
offsets are spaCy token indices with ``token_end`` inclusive (Prodigy's convention).
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from annotator.core.agreement.data import DEFAULT_BLOCK_LABEL
from annotator.core.errors import InputError
from annotator.core.model import Annotations, DocumentData, RelationData, SpanData
from annotator.core.schema import Schema
from annotator.core.text import sha256
from annotator.core.vocabulary import STATUSES, Status
from annotator.core.vocabulary import SUGGESTIONS as SUGGESTIONS  # re-exported

RECORD_KEYS = (
    "id", "text", "meta", "annotator", "status", "updated_at", "blocks", "spans",
    "relations", "doc_labels", "metrics",
)
# Names the metrics are defined on (the default schema's; see ``compute_metrics``).
CLAIM, SOURCE, ATTRIBUTION = "CLAIM", "SOURCE", "ATTRIBUTION"
ANONYMOUS_NAMING = frozenset({"unnamed", "vague"})
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SPACES = re.compile(r"\s+")


# -- timestamps -------------------------------------------------------------------------
def format_time(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``; the store keeps naive UTC datetimes."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def parse_time(value: str) -> datetime:
    """ISO 8601 -> naive UTC datetime (a time without offset is taken as UTC)."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f'"updated_at" is not an ISO 8601 time: {value!r}') from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


# -- metrics ----------------------------------------------------------------------------
def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def compute_metrics(
    blocks: Sequence[tuple[int, int]],
    block_labels: Mapping[int, str],
    spans: Sequence[SpanData],
    relations: Sequence[RelationData],
    text: str,
    boilerplate: Collection[str],
) -> dict[str, Any]:
    """Per-document source-quality figures from one annotator's labels.

    All shares are rounded to 4 decimals and are ``null`` when their denominator is
    zero (a share of nothing is not 0). Defined on the default schema's names:

    - ``attributed_claim_share``: CLAIM spans that are the child of at least one
      ATTRIBUTION relation, divided by all CLAIM spans. (CONTENT spans are
      attributed material too, but a "claim" here is what the annotator marked as
      one.)
    - ``anonymous_source_share``: SOURCE spans whose ``naming`` attribute is
      ``unnamed`` or ``vague``, divided by all SOURCE spans. A SOURCE without a
      ``naming`` value counts as not anonymous: the share never guesses upwards.
    - ``direct_quote_share``: ATTRIBUTION relations with ``quote_type`` ``direct``,
      divided by all ATTRIBUTION relations (``mixed`` is not direct).
    - ``distinct_sources``: the number of different SOURCE span texts after case
      folding and collapsing whitespace ("The ministry" and "the  ministry" are one
      source; pronouns count as they are written). 0 when there are none.
    - ``boilerplate_char_share``: characters in blocks labelled with a boilerplate
      label, divided by characters in all blocks. Unlabelled blocks count as content,
      the default an annotator leaves alone; ``null`` only for a text with no blocks.
    """
    claims = [s for s in spans if s.label == CLAIM]
    sources = [s for s in spans if s.label == SOURCE]
    attributions = [r for r in relations if r.label == ATTRIBUTION]
    attributed = {r.child for r in attributions}
    anonymous = sum(1 for s in sources if s.attrs.get("naming") in ANONYMOUS_NAMING)
    direct = sum(1 for r in attributions if r.attrs.get("quote_type") == "direct")
    names = {_SPACES.sub(" ", text[s.start : s.end]).strip().casefold() for s in sources}
    total_chars = sum(end - start for start, end in blocks)
    boiler_chars = sum(
        end - start
        for index, (start, end) in enumerate(blocks)
        if block_labels.get(index) in boilerplate
    )
    return {
        "attributed_claim_share": _share(sum(1 for s in claims if s.uid in attributed),
                                         len(claims)),
        "anonymous_source_share": _share(anonymous, len(sources)),
        "direct_quote_share": _share(direct, len(attributions)),
        "distinct_sources": len(names),
        "boilerplate_char_share": _share(boiler_chars, total_chars),
    }


# -- building ---------------------------------------------------------------------------
def record_meta(title: str, source: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    """``source`` and ``title`` first, then the document's other metadata."""
    result: dict[str, Any] = {"source": source, "title": title}
    result.update((k, v) for k, v in meta.items() if k not in result)
    return result


def build_record(
    *,
    doc_id: str,
    text: str,
    meta: Mapping[str, Any],
    annotator: str,
    status: str | None,
    updated_at: datetime | None,
    blocks: Sequence[tuple[int, int]],
    block_labels: Mapping[int, str],
    spans: Sequence[SpanData],
    token_spans: Sequence[tuple[int, int]],
    relations: Sequence[RelationData],
    doc_labels: Mapping[str, str],
    boilerplate: Collection[str],
) -> dict[str, Any]:
    """One export record. ``token_spans[i]`` are the inclusive token offsets of
    ``spans[i]``; the caller computes them with the spaCy tokenizer.

    In a done document an unmarked block is ``content``: the annotator saw it and left
    it, which is how the DocBin and the agreement figures read it too. Only a document
    not done (nobody has looked at every block yet) keeps ``null`` for unmarked blocks.
    """
    unmarked = DEFAULT_BLOCK_LABEL if status == Status.DONE else None
    return {
        "id": doc_id,
        "text": text,
        "meta": dict(meta),
        "annotator": annotator,
        "status": status,
        "updated_at": format_time(updated_at),
        "blocks": [
            {"start": start, "end": end, "label": block_labels.get(index, unmarked)}
            for index, (start, end) in enumerate(blocks)
        ],
        "spans": [
            s.to_record(text, ts, te) for s, (ts, te) in zip(spans, token_spans, strict=True)
        ],
        "relations": [r.to_record() for r in relations],
        "doc_labels": dict(sorted(doc_labels.items())),
        "metrics": compute_metrics(blocks, block_labels, spans, relations, text, boilerplate),
    }


# -- Prodigy ----------------------------------------------------------------------------
def _hash32(value: str) -> int:
    """A stable signed 32-bit hash, the width Prodigy uses for its task hashes."""
    return struct.unpack("<i", hashlib.sha256(value.encode("utf-8")).digest()[:4])[0]


def to_prodigy(
    record: Mapping[str, Any], token_starts: Sequence[int], token_ends: Sequence[int]
) -> dict[str, Any]:
    """A Prodigy task (``spans``/``relations`` interface) from an export record.

    Relations point at the last token of each span (``head``/``child``, as Prodigy's
    ``rel.manual`` writes them) and carry the full spans. ``answer`` is ``accept`` for
    a document marked done and ``ignore`` otherwise, so Prodigy's training recipes
    skip unfinished work. Blocks, document labels and metrics travel in ``meta``.
    """
    text = record["text"]
    tokens = [
        {"text": text[s:e], "start": s, "end": e, "id": i,
         "ws": e < len(text) and text[e] == " " and (i + 1 == len(token_starts)
                                                      or token_starts[i + 1] > e)}
        for i, (s, e) in enumerate(zip(token_starts, token_ends, strict=True))
    ]
    spans = {s["id"]: s for s in record["spans"]}

    def brief(span: Mapping[str, Any]) -> dict[str, Any]:
        return {"start": span["start"], "end": span["end"], "token_start": span["token_start"],
                "token_end": span["token_end"], "label": span["label"]}

    doc_id, annotator = record["id"], record["annotator"]
    return {
        "text": text,
        "meta": {**record["meta"], "id": doc_id, "annotator": annotator,
                 "status": record["status"], "updated_at": record["updated_at"],
                 "doc_labels": record["doc_labels"], "metrics": record["metrics"],
                 "blocks": record["blocks"]},
        "_input_hash": _hash32(doc_id),
        "_task_hash": _hash32(f"{doc_id}/{annotator}"),
        "tokens": tokens,
        "spans": [{**brief(s), "text": s["text"], "id": s["id"], "attrs": s["attrs"]}
                  for s in record["spans"]],
        "relations": [
            {"head": spans[r["head"]]["token_end"], "child": spans[r["child"]]["token_end"],
             "head_span": brief(spans[r["head"]]), "child_span": brief(spans[r["child"]]),
             "label": r["label"], "attrs": r["attrs"]}
            for r in record["relations"]
        ],
        "accept": list(record["doc_labels"].values()),
        "answer": "accept" if record["status"] == Status.DONE else "ignore",
        "_view_id": "relations",
        "_annotator_id": annotator,
        "_session_id": annotator,
    }


# -- reading records back ---------------------------------------------------------------
@dataclass
class IncomingRecord:
    """A validated export record: safe to write without further checks on itself.

    The record's document and the annotator's work on it, as the shared values:
    ``document.title`` and ``document.source`` are read back from ``meta``, where
    ``record_meta`` put them ("" when a record lacks them), and ``labels.blocks`` index
    the record's own ``document.blocks`` (a stored copy of the document may have been
    segmented differently: merging matches blocks by offsets). A record without a
    status is work still to do.
    """

    document: DocumentData
    annotator: str
    labels: Annotations


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _object(record: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f'"{key}" must be a JSON object')
    return value


def _list(record: Mapping[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f'"{key}" must be a JSON array')
    return value


def _quote(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _check_range(what: str, start: Any, end: Any, length: int) -> None:
    if not (_int(start) and _int(end)):
        raise InputError(f"{what} needs integer start and end")
    if not 0 <= start < end <= length:
        raise InputError(f"{what} [{start}, {end}) falls outside the text (length {length})")


def parse_record(record: Any, schema: Schema | None = None) -> IncomingRecord:
    """Validate an export record against its own text (and the project's labels).

    Raises ``InputError`` with one line saying what is wrong; the caller prefixes
    file and line. Checks: the id is the SHA-256 of the (canonical) text, every
    offset lies inside the text, every span's ``text`` equals the text at its offsets,
    relations point at spans of the record, and — with a schema — every label exists
    in the project. Token offsets and metrics are derived data and are not trusted:
    they are recomputed on the next export.
    """
    if not isinstance(record, dict):
        raise InputError("a record must be a JSON object")
    doc_id, text = record.get("id"), record.get("text")
    if not isinstance(text, str) or not text:
        raise InputError('record has no "text" string')
    if not isinstance(doc_id, str) or not _HEX64.fullmatch(doc_id):
        raise InputError('"id" must be the 64-digit SHA-256 (lowercase hex) of "text"')
    if "\r" in text or text.startswith("\ufeff"):
        raise InputError('"text" is not canonical (has a carriage return or BOM); '
                         "export records carry the text exactly as stored")
    if sha256(text) != doc_id:
        raise InputError('"id" is not the SHA-256 of "text" (was the text edited?)')
    annotator = record.get("annotator")
    if not isinstance(annotator, str) or not annotator.strip() or annotator != annotator.strip():
        raise InputError('"annotator" must be a non-empty name without surrounding spaces')
    status = record.get("status")
    if status is not None and status not in STATUSES:
        raise InputError(f'"status" {status!r} is not one of {", ".join(STATUSES)}')
    raw_time = record.get("updated_at")
    if raw_time is not None and not isinstance(raw_time, str):
        raise InputError('"updated_at" must be an ISO 8601 string or null')
    updated_at = parse_time(raw_time) if raw_time else None
    meta = _object(record, "meta")
    length = len(text)

    blocks: list[tuple[int, int]] = []
    block_labels: dict[int, str] = {}
    previous_end = 0
    for number, block in enumerate(_list(record, "blocks")):
        if not isinstance(block, dict):
            raise InputError(f"block {number} must be a JSON object")
        start, end, label = block.get("start"), block.get("end"), block.get("label")
        _check_range(f"block {number}", start, end, length)
        if start < previous_end:
            raise InputError(f"block {number} [{start}, {end}) overlaps the block before it")
        if label is not None and not isinstance(label, str):
            raise InputError(f"block {number} label must be a string or null")
        if label is not None and schema is not None and label not in schema.block_names:
            raise InputError(f"block {number} label {label!r} is not in this project's "
                             "label schema")
        previous_end = end
        if label is not None:
            block_labels[number] = label
        blocks.append((start, end))

    spans: list[SpanData] = []
    seen: dict[str, SpanData] = {}
    for number, span in enumerate(_list(record, "spans")):
        if not isinstance(span, dict):
            raise InputError(f"span {number} must be a JSON object")
        uid, label = span.get("id"), span.get("label")
        if not isinstance(uid, str) or not uid:
            raise InputError(f'span {number} has no "id" string')
        if uid in seen:
            raise InputError(f"span {uid} appears twice")
        if not isinstance(label, str) or not label:
            raise InputError(f'span {uid} has no "label" string')
        start, end = span.get("start"), span.get("end")
        _check_range(f"span {uid}", start, end, length)
        quoted = span.get("text")
        if quoted is not None and quoted != text[start:end]:
            raise InputError(f"span {uid} text {_quote(str(quoted))} does not match the text "
                             f"at [{start}, {end}): {_quote(text[start:end])}")
        attrs = span.get("attrs") or {}
        if not isinstance(attrs, dict):
            raise InputError(f'span {uid} "attrs" must be a JSON object')
        if schema is not None and label not in schema.span_names:
            raise InputError(f"span {uid} label {label!r} is not in this project's label schema")
        seen[uid] = SpanData.from_record(span)
        spans.append(seen[uid])

    relations: list[RelationData] = []
    relation_ids: set[str] = set()
    kinds = {r.name: r for r in schema.relations} if schema is not None else None
    for number, rel in enumerate(_list(record, "relations")):
        if not isinstance(rel, dict):
            raise InputError(f"relation {number} must be a JSON object")
        uid, label = rel.get("id"), rel.get("label")
        name = f"relation {uid if isinstance(uid, str) and uid else number}"
        if uid is not None and (not isinstance(uid, str) or not uid):
            raise InputError(f'{name} "id" must be a non-empty string')
        if uid is not None:
            if uid in relation_ids:
                raise InputError(f"{name} appears twice")
            relation_ids.add(uid)
        if not isinstance(label, str) or not label:
            raise InputError(f'{name} has no "label" string')
        attrs = rel.get("attrs") or {}
        if not isinstance(attrs, dict):
            raise InputError(f'{name} "attrs" must be a JSON object')
        ends: dict[str, str | None] = {}
        for role in ("head", "child", "cue"):
            ref = rel.get(role)
            if ref is None and role == "cue":
                ends[role] = None
                continue
            if not isinstance(ref, str) or ref not in seen:
                raise InputError(f"{name} {role} {ref!r} is not a span of this record")
            ends[role] = ref
        if kinds is not None:
            kind = kinds.get(label)
            if kind is None:
                raise InputError(f"{name} label {label!r} is not in this project's label schema")
            for role, allowed in (("head", kind.head), ("child", kind.child), ("cue", kind.cue)):
                ref = ends[role]
                if ref is not None and seen[ref].label not in allowed:
                    raise InputError(f"{name} {role} must be {' or '.join(allowed)}, "
                                     f"not {seen[ref].label}")
        relations.append(RelationData.from_record(rel))

    doc_labels: dict[str, str] = {}
    for name, value in _object(record, "doc_labels").items():
        if not isinstance(value, str):
            raise InputError(f"document label {name!r} must have a string value")
        if schema is not None:
            known = {d.name: d for d in schema.documents}
            if name not in known:
                raise InputError(f"document label {name!r} is not in this project's label schema")
            if value not in known[name].values:
                raise InputError(f"{value!r} is not a value of document label {name!r}")
        doc_labels[name] = value

    title, source = meta.get("title"), meta.get("source")
    document = DocumentData(
        doc_id, text, title if isinstance(title, str) else "",
        source if isinstance(source, str) else "", dict(meta), blocks,
    )
    labels = Annotations(blocks=block_labels, spans=spans, relations=relations,
                         doc_labels=doc_labels, status=status or Status.TODO,
                         updated_at=updated_at)
    return IncomingRecord(document, annotator, labels)
