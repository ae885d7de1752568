"""Where an export is written: one file per split part, or a stream.

A file is written to a temporary ``.part`` file next to the target and renamed into
place only when the export finishes, so a failed or cancelled export leaves no
half-written file behind (standard output, of course, streams as it goes).
"""

from __future__ import annotations

import os
from glob import escape as glob_escape
from pathlib import Path
from typing import IO

from annotator.core import schema as schema_mod
from annotator.core.errors import InputError
from annotator.nlp.tokens import TokenIndex, record_to_doc
from annotator.services.export_records import ExportOptions, MadeRecord

EXTENSIONS = {"jsonl": ".jsonl", "spacy": ".spacy", "prodigy": ".jsonl"}


def remove_stale_parts(target: Path) -> None:
    """Temporary files of earlier exports to ``target`` whose process is gone (killed,
    crashed) are deleted, so an interrupted export leaves nothing behind for long."""
    prefix = f".{target.name}."
    for part in target.parent.glob(f".{glob_escape(target.name)}.*.part"):
        pid = part.name[len(prefix):-len(".part")]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            part.unlink(missing_ok=True)
        except OSError:
            pass  # alive, under another user: not ours to remove


class Sink:
    """One output file (or the stream): written to a temporary file, renamed at the end."""

    def __init__(self, target: Path | None, stream: IO[bytes] | None) -> None:
        self.target = target
        if target is not None:
            remove_stale_parts(target)
        self.temp = (target.with_name(f".{target.name}.{os.getpid()}.part")
                     if target is not None else None)
        self.handle: IO[bytes] | None = stream
        if self.temp is not None:
            self.handle = open(self.temp, "wb")  # noqa: SIM115 - closed in finish/abort
        self.records = 0
        self.bytes = 0

    @property
    def name(self) -> str:
        return str(self.target) if self.target is not None else "standard output"

    def write(self, data: bytes, records: int) -> None:
        assert self.handle is not None
        self.handle.write(data)
        self.records += records
        self.bytes += len(data)

    def close_file(self) -> None:
        if self.temp is not None and self.handle is not None:
            self.handle.close()
        elif self.handle is not None:
            self.handle.flush()

    def finish(self) -> None:
        self.close_file()
        if self.temp is not None and self.target is not None:
            os.replace(self.temp, self.target)

    def abort(self) -> None:
        if self.temp is not None:
            if self.handle is not None:
                self.handle.close()
            self.temp.unlink(missing_ok=True)


class DocBinSink(Sink):
    """A spaCy DocBin file. spaCy serialises a DocBin as one message, so this sink keeps
    the compact token arrays of every exported Doc until the file is written."""

    def __init__(self, target: Path | None, tokens: TokenIndex, schema: schema_mod.Schema) -> None:
        from spacy.tokens import DocBin

        super().__init__(target, None)
        self.tokens = tokens
        self.docbin = DocBin(store_user_data=True)
        self.cats = {d.name: list(d.values) for d in schema.documents}
        content = [label.name for label in schema.blocks if not label.boilerplate]
        self.unlabelled = content[0] if content else None

    def add(self, made: MadeRecord) -> None:
        self.docbin.add(record_to_doc(self.tokens, made.record, cats=self.cats,
                                      unlabelled_block=self.unlabelled, entities=made.entities))
        self.records += 1

    def close_file(self) -> None:
        assert self.handle is not None
        data = self.docbin.to_bytes()
        self.handle.write(data)
        self.bytes = len(data)
        super().close_file()


def output_targets(options: ExportOptions, out: Path | None) -> dict[str, Path | None]:
    """Split name (or ``""``) -> output path (``None``: the stream)."""
    ext = EXTENSIONS[options.format]
    if options.split:
        if out is None:
            raise InputError("--split needs --out FOLDER (one file per part is written there)")
        if out.exists() and not out.is_dir():
            raise InputError("with --split, --out must be a folder", where=str(out))
        return {name: out / f"{name}{ext}" for name in options.split}
    if out is None:
        if options.format == "spacy":
            raise InputError("--format spacy writes a binary file: give --out FILE.spacy")
        return {"": None}
    if out.is_dir():
        raise InputError("is a folder; give a file name (folders are for --split)",
                         where=str(out))
    return {"": out}
