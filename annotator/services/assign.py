"""Handing documents out: every document to one annotator, a shared share to all of them.

The agreement report needs documents that several annotators did; the rest of the work
should be done once. ``assign`` shuffles the project's documents with a seed, gives the
first ``round(overlap * N)`` to every annotator (the agreement sample) and deals the
others round-robin, so loads differ by at most one document. Each annotator's file lists
the shared documents mixed among their own, in the shuffled order, so nobody can tell
which ones will be compared.

Each file is plain JSONL, one ``{"id", "text", "meta"}`` record per document, which
``annotator import`` reads as articles: the text is the canonical text, so the document
keeps its sha256 in the annotator's project and their exported work merges back into
the lead's. A manifest (``assignment.json``) records who got what, for the lead.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.core.jobs import Progress, check, report
from annotator.core.vocabulary import RESERVED_ANNOTATORS
from annotator.store import Project
from annotator.store import agreement_queries as q

MANIFEST = "assignment.json"
ASSIGNING = "assigning"  # the stage ``progress`` reports: documents written of all
_SAFE_NAME = re.compile(r"^[\w.@+-]+$")


@dataclass
class AssignSummary:
    documents: int = 0
    shared: int = 0
    files: dict[str, Path] = field(default_factory=dict)  # annotator -> file
    counts: dict[str, int] = field(default_factory=dict)  # annotator -> documents
    manifest: Path | None = None

    def lines(self) -> list[str]:
        out = [f"{name}: {self.counts[name]:,} documents -> {path}"
               for name, path in self.files.items()]
        out.append(f"{self.documents:,} documents: {self.shared:,} shared by all "
                   f"{len(self.files)} annotators for agreement, "
                   f"{self.documents - self.shared:,} done once; manifest {self.manifest}")
        return out


@dataclass(frozen=True, slots=True)
class Plan:
    """Who gets which documents (sha256s in the order they are handed out)."""

    order: list[str]
    shared: list[str]
    per_annotator: dict[str, list[str]]


def check_names(names: Sequence[str]) -> list[str]:
    """Annotator names usable as file names and as annotators (not gold/suggestions)."""
    chosen = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    if not chosen:
        raise InputError("--annotators: give annotator names separated by commas")
    for name in chosen:
        if name in RESERVED_ANNOTATORS:
            raise InputError(f"--annotators: {name!r} is reserved, not an annotator")
        if not _SAFE_NAME.match(name) or not name.strip("."):
            raise InputError(f"--annotators: {name!r} cannot be a file name; use letters, "
                             "digits, '.', '_', '-', '+' or '@'")
    if len({name.lower() for name in chosen}) != len(chosen):
        raise InputError("--annotators: two names differ only in case (their files would clash "
                         "on Windows and macOS)")
    return chosen


def plan(hashes: Sequence[str], annotators: Sequence[str], overlap: float, seed: int) -> Plan:
    """The assignment of ``hashes`` (pure, deterministic for a seed).

    The order is shuffled from the sorted hashes, so the same documents and seed give the
    same plan in any project, whatever order the documents were imported in.
    """
    if not 0.0 <= overlap <= 1.0:
        raise InputError(f"--overlap must lie between 0 and 1, not {overlap:g}")
    order = sorted(hashes)
    random.Random(seed).shuffle(order)
    n_shared = int(overlap * len(order) + 0.5)  # round half up, not to even
    shared = set(order[:n_shared])
    per: dict[str, list[str]] = {name: [] for name in annotators}
    dealt = 0
    for sha in order:
        if sha in shared:
            for name in annotators:
                per[name].append(sha)
        else:
            per[annotators[dealt % len(annotators)]].append(sha)
            dealt += 1
    return Plan(order, order[:n_shared], per)


def _record(doc: q.AssignDocument) -> dict[str, Any]:
    meta = dict(doc.meta)  # a publisher's own "id" stays; import keys on the text's sha256
    meta["title"] = doc.title
    if doc.source:
        meta["source"] = doc.source
    return {"id": doc.sha256, "text": doc.text, "meta": meta}


def _atomic_write(path: Path, write: Callable[[Any], None]) -> None:
    """Write through a temporary file renamed into place: no half file on failure."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # created with the usual mode
    try:
        with open(temp, "w", encoding="utf-8", newline="\n") as out:
            write(out)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def assign(
    project: Project,
    annotators: Sequence[str],
    overlap: float,
    out_dir: Path,
    *,
    seed: int = 0,
    force: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> AssignSummary:
    """Write one import file per annotator into ``out_dir`` (see the module docstring).

    A job in the sense of ``core.jobs``: ``progress`` counts documents written; a set
    ``cancel`` raises ``Cancelled`` at the next document, leaving the files already
    complete and no half file and no manifest (the assignment is not whole)."""
    names = check_names(annotators)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("--out must be a folder", where=str(out_dir))
    targets = {name: out_dir / f"{name}.jsonl" for name in names}
    clash = [path for path in [*targets.values(), out_dir / MANIFEST] if path.exists()]
    if clash and not force:
        raise InputError("already exists; use --force to replace it", where=str(clash[0]))
    with project.sessions() as session:
        keys = q.document_keys(session)
    if not keys:
        raise InputError("the project has no documents to assign", where=project.label)
    id_of = {sha: id_ for id_, sha in keys}
    chosen = plan(list(id_of), names, overlap, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = AssignSummary(documents=len(keys), shared=len(chosen.shared))
    total = sum(len(shas) for shas in chosen.per_annotator.values())
    written = 0
    for name, shas in chosen.per_annotator.items():

        def write(out: Any, shas: list[str] = shas) -> None:
            nonlocal written
            with project.sessions() as session:
                for doc in q.iter_documents(session, [id_of[sha] for sha in shas]):
                    check(cancel)
                    out.write(json.dumps(_record(doc), ensure_ascii=False) + "\n")
                    written += 1
                    if written % 200 == 0:
                        report(progress, written, total, ASSIGNING)

        _atomic_write(targets[name], write)
        summary.files[name] = targets[name]
        summary.counts[name] = len(shas)
    manifest = {
        "seed": seed,
        "overlap": overlap,
        "documents": len(keys),
        "shared": chosen.shared,
        "annotators": {name: {"file": targets[name].name, "documents": shas}
                       for name, shas in chosen.per_annotator.items()},
    }
    _atomic_write(out_dir / MANIFEST,
                  lambda out: out.write(json.dumps(manifest, indent=1) + "\n"))
    summary.manifest = out_dir / MANIFEST
    report(progress, total, total, ASSIGNING)
    return summary
