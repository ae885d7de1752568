"""The agreement report: every layer, overall, per label, per annotator pair, per document.

``build`` turns the store's plain ``DocAnnotations`` into one JSON-ready dict. What counts:

* a document counts when at least two (selected) annotators marked it ``done``; only those
  annotators count on it. Everything left out is counted under ``excluded``;
* on a done document an unmarked block is ``content`` (the annotator saw it and left it);
* spans must lie inside the text and be non-empty; relations must join two of the same
  annotator's counted spans;
* token alpha (``token_alpha``) needs the document's token count and its spans' token
  ranges, which readers holding the text fill in; a counted document without them is
  left out of token alpha only (``excluded.documents_without_tokens``).

Every figure sits beside the number of units behind it (``n_units``, ``n_compared``...),
and an undefined figure is ``None``, never NaN. The whole corpus is flattened into NumPy
arrays once, so ten thousand documents by three annotators take a few seconds.

The per-document **disagreement score** ranks documents for adjudication. It is the mean,
over the layers that apply to the document, of one minus the pairwise agreement there:

* blocks: 1 - share of (block, annotator pair) judgements that agree;
* spans: 1 - (F1 exact + F1 overlap) / 2, pooled over pairs and labels, so a boundary
  quibble costs half as much as a missed span; no spans from anyone counts as agreement;
* relations: 1 - F1 through the span matching; no relations from anyone is agreement;
* document labels: mean distance over (label, pair): 0/1 for nominal labels, the rank
  difference divided by (scale length - 1) for ordinal ones.

It lies in [0, 1]: 0 when everyone agrees on everything, 1 when they agree on nothing.

The stages live in their own modules: ``corpus`` (what counts, flattened into arrays),
``layers.blocks``, ``layers.spans``, ``layers.relations`` and ``layers.doc_labels`` (each
layer's figures), ``corpus_report`` (the assembly and the document ranking) and
``document_detail`` (one document, itemised for adjudication). This module is where
callers import them from.
"""

from __future__ import annotations

from annotator.core.agreement.corpus_report import build
from annotator.core.agreement.definitions import DEFINITIONS, SCHEMA_VERSION
from annotator.core.agreement.document_detail import document_report

__all__ = ["DEFINITIONS", "SCHEMA_VERSION", "build", "document_report"]
