"""The words every layer shares: work statuses, label layers, reserved annotators, roles.

One definition each, so a new status or layer is added in one place. ``Status`` and
``Layer`` are ``StrEnum``: a member equals its string and serialises as it, so what the
store holds and what exports and reports print stays the plain word.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """How far an annotator got with a document; only ``DONE`` work is exported as final
    and compared for agreement (half-finished work would read as disagreement)."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


STATUSES: tuple[Status, ...] = tuple(Status)
"""Every status in workflow order, for menus, filters and error messages."""

OPEN_STATUSES: tuple[Status, ...] = (Status.TODO, Status.IN_PROGRESS)
"""Work still to do: where "next article" goes."""


class Layer(StrEnum):
    """The label layers, named as the export record and the agreement report key them."""

    BLOCKS = "blocks"
    SPANS = "spans"
    RELATIONS = "relations"
    DOC_LABELS = "doc_labels"


LAYERS: tuple[Layer, ...] = tuple(Layer)

GOLD = "gold"
"""The adjudicated labels: stored as an annotator, owned by the lead."""

SUGGESTIONS = "suggestions"
"""Machine pre-annotations, exported as if from an annotator of this name."""

RESERVED_ANNOTATORS: frozenset[str] = frozenset({GOLD, SUGGESTIONS})
"""Not people: nobody may sign in under these names, and agreement leaves them out
unless asked for by name."""

LEAD = "lead"
ANNOTATOR = "annotator"


def role_for(name: str) -> str:
    """The role an annotator row gets when first created: gold belongs to the lead."""
    return LEAD if name == GOLD else ANNOTATOR
