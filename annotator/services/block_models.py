"""The models a project suggests with: its own block model once trained (else the shipped
one), and its attribution model once trained (else the rules alone).

A project's model (``annotator train``) is stored in the project itself, as the JSON
trees of :class:`annotator.nlp.block_model.TreeModel`, so it travels with the file,
runs the same on a team server, and never needs unpickling.
"""

from __future__ import annotations

from typing import Any

from annotator.nlp.block_model import TreeModel, default_model
from annotator.store import Project

SETTING = "block_model"
ATTRIBUTION_SETTING = "attribution_model"


def project_block_model(project: Project) -> TreeModel | None:
    """The model trained on this project's labels, or None."""
    data: Any = project.get_setting(SETTING)
    if not data:
        return None
    return TreeModel.from_dict(data, where=f"{project.label}: {SETTING}")


def active_block_model(project: Project) -> TreeModel | None:
    return project_block_model(project) or default_model()


def store_block_model(project: Project, model: TreeModel | None) -> None:
    """Keep ``model`` as the project's (None goes back to the shipped model)."""
    project.set_setting(SETTING, model.to_dict() if model is not None else None)


def project_attribution_model(project: Project) -> TreeModel | None:
    data: Any = project.get_setting(ATTRIBUTION_SETTING)
    if not data:
        return None
    return TreeModel.from_dict(data, where=f"{project.label}: {ATTRIBUTION_SETTING}")


def store_attribution_model(project: Project, model: TreeModel | None) -> None:
    project.set_setting(ATTRIBUTION_SETTING, model.to_dict() if model is not None else None)
