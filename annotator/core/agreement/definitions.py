"""What each figure of the agreement report means, shipped inside every report.

The text sits beside the numbers in the JSON (``definitions``) and at the end of the
HTML page, so whoever reads a report later knows how each figure was computed.
"""

from __future__ import annotations

from annotator.core.agreement.token_alpha import PRIORITY

SCHEMA_VERSION = 1

DEFINITIONS = {
    "blocks.alpha": "Krippendorff's alpha, nominal, over blocks of counted documents",
    "blocks.ac1": "Gwet's AC1, Q = number of block labels in the schema",
    "blocks.per_label.alpha": "alpha on this label against all others (one-vs-rest)",
    "blocks.confusion": (
        "symmetric; each pair of judgements on one block by two annotators counted once: "
        "on the diagonal when they agree, in both [i][j] and [j][i] when they differ"
    ),
    "spans.f1_exact": "2 * one-to-one matches with identical offsets and label / all spans",
    "spans.f1_overlap": "2 * one-to-one matches sharing a character and the label / all spans",
    "spans.alpha_u": (
        "Krippendorff's unitizing alpha (1995/2004; DKPro Agreement form): compares the "
        "annotators' character ranges per label, a boundary difference weighted by its "
        "squared length, the gaps between spans included; n_units_alpha_u = spans"
    ),
    "spans.token_alpha": (
        "token-wise Krippendorff's alpha, nominal, tokens as units: each annotator gives each "
        "token of a document done by at least two annotators the label of the span covering "
        "it, or 'none'; a span covers every token it shares a character with. Tokens: "
        "spaCy's English tokenizer rules on prose (the export's tokenizer, restated without "
        "spaCy; whitespace is never a token). A token under spans of several labels takes "
        "the first of " + " > ".join(PRIORITY) + " (then other labels in schema order). "
        "n_tokens = tokens of the documents compared, n_judgements = tokens x annotators"
    ),
    "spans.per_label.token_alpha": (
        "token alpha of one label against the rest: each annotator's token is inside a span "
        "of this label or not (no overlap rule needed); n_judgements = token judgements "
        "inside this label"
    ),
    "spans.token_alpha_vs_alpha_u": (
        "different measures of the same spans, not interchangeable: token alpha asks token "
        "by token whether two annotators gave the same label, so a one-token boundary slip "
        "costs one token; alpha_u compares the spans as character ranges. Compare token "
        "alpha with corpora that publish token-wise alpha (PARC 3.0, PolNeAR), alpha_u with "
        "those that publish unitizing alpha (Krippendorff's alpha_u, DKPro Agreement)"
    ),
    "relations.f1_strict": "relations between identical spans with the same label",
    "relations.f1_matched": "relations between spans paired by the overlap matching",
    "doc_labels.alpha": "Krippendorff's alpha; ordinal for ordered scales, else nominal",
    "documents.disagreement": (
        "mean over applicable layers of 1 - pairwise agreement (blocks: share agreeing; "
        "spans: mean of F1 exact and overlap; relations: matched F1; document labels: "
        "rank distance); 0 = full agreement"
    ),
}
