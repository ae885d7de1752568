"""Rows that hold one value under a natural key: a block's label, a document label, a
verdict on a suggestion.

Each is set, changed or cleared by key rather than by row id, so that undo and redo
replay the same call and get the same row back; one function does it for all of them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session


def set_or_clear(session: Session, model: Any, key: dict[str, Any], column: str,
                 value: Any) -> None:
    """Make the row of ``model`` with ``key`` hold ``value`` in ``column``; with ``None``
    remove the row (an unset label is no row, not a row holding NULL)."""
    row = session.scalar(select(model).filter_by(**key))
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(model(**key, **{column: value}))
    else:
        setattr(row, column, value)
