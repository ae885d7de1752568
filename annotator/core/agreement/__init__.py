"""Inter-annotator agreement: the measures and the report built from them.

Pure Python and NumPy, so the CLI, the GUI and tests share one implementation whose
figures can be checked against the published worked examples (Krippendorff 2011, Fleiss
1971, Cohen 1960, Gwet 2014, Krippendorff 2004) and, for token-wise alpha, against the
``krippendorff`` package. Callers usually need only
``report.build`` and ``report.document_report`` with the dataclasses of ``data``.
"""

from annotator.core.agreement.alpha import (
    METRICS,
    Metric,
    alpha_from_counts,
    coincidence_matrix,
    krippendorff_alpha,
    reliability_counts,
)
from annotator.core.agreement.chance import (
    cohen_kappa,
    cohen_kappa_labels,
    contingency_table,
    fleiss_kappa,
    fleiss_kappa_per_category,
    gwet_ac1,
    percent_agreement,
)
from annotator.core.agreement.coefficient import Coefficient
from annotator.core.agreement.data import (
    DEFAULT_BLOCK_LABEL,
    DONE,
    RESERVED_ANNOTATORS,
    AnnotatorWork,
    DocAnnotations,
    RelationUnit,
    SpanUnit,
)
from annotator.core.agreement.relations import relation_f1_matched, relation_f1_strict
from annotator.core.agreement.report import build, document_report
from annotator.core.agreement.spans import (
    F1,
    UnitizingCategory,
    UnitizingResult,
    match_spans,
    span_f1,
    unitizing_alpha,
)
from annotator.core.agreement.token_alpha import TokenAlpha, token_alpha, with_tokens
from annotator.core.agreement.tokenizer import span_tokens, tokenize

__all__ = [
    "DEFAULT_BLOCK_LABEL",
    "DONE",
    "F1",
    "METRICS",
    "RESERVED_ANNOTATORS",
    "AnnotatorWork",
    "Coefficient",
    "DocAnnotations",
    "Metric",
    "RelationUnit",
    "SpanUnit",
    "TokenAlpha",
    "UnitizingCategory",
    "UnitizingResult",
    "alpha_from_counts",
    "build",
    "cohen_kappa",
    "cohen_kappa_labels",
    "coincidence_matrix",
    "contingency_table",
    "document_report",
    "fleiss_kappa",
    "fleiss_kappa_per_category",
    "gwet_ac1",
    "krippendorff_alpha",
    "match_spans",
    "percent_agreement",
    "relation_f1_matched",
    "relation_f1_strict",
    "reliability_counts",
    "span_f1",
    "span_tokens",
    "token_alpha",
    "tokenize",
    "unitizing_alpha",
    "with_tokens",
]
