"""Persistence: SQLAlchemy models, engine, migrations and queries. SQL lives only here."""

from sqlalchemy.exc import SQLAlchemyError as StoreError
from sqlalchemy.orm import Session

from annotator.store.project import Project, open_project

__all__ = ["Project", "Session", "StoreError", "open_project"]
