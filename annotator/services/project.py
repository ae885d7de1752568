"""The project as the window and the command line hold it: opening one, the reasons a
write may fail for a while, and the few plain reads that need no use case of their own.

The faces never import the store (an import-linter contract says so): they hold a
``Project`` and pass it to services. What they need of the store itself is named here,
so the store stays free to change how it keeps things.
"""

from __future__ import annotations

from annotator.store import Project, open_project
from annotator.store.documents import DocumentRow, list_documents
from annotator.store.engine import busy_wait, write_problem

__all__ = [
    "DocumentRow",
    "Project",
    "annotator_names",
    "busy_wait",
    "document_rows",
    "open_project",
    "write_problem",
]


def annotator_names(project: Project) -> list[str]:
    """Every annotator of the project by name, reserved names included."""
    # Imported here: the command line loads this module at start and never needs it.
    from annotator.store.annotations import annotator_names as names

    with project.sessions() as session:
        return names(session)


def document_rows(project: Project) -> list[DocumentRow]:
    """Every document with how many annotators have it done, in progress or skipped."""
    with project.sessions() as session:
        return list_documents(session)
