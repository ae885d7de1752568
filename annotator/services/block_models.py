"""Which block model a project suggests with: its own, once trained, else the shipped one.

A project's model (``annotator train``) is stored in the project itself, as the JSON
trees of :class:`annotator.nlp.block_model.BlockModel`, so it travels with the file,
runs the same on a team server, and never needs unpickling.
"""

from __future__ import annotations

from typing import Any

from annotator.nlp.block_model import BlockModel, default_model
from annotator.store import Project

SETTING = "block_model"


def project_block_model(project: Project) -> BlockModel | None:
    """The model trained on this project's labels, or None."""
    data: Any = project.get_setting(SETTING)
    if not data:
        return None
    return BlockModel.from_dict(data, where=f"{project.label}: {SETTING}")


def active_block_model(project: Project) -> BlockModel | None:
    return project_block_model(project) or default_model()


def store_block_model(project: Project, model: BlockModel | None) -> None:
    """Keep ``model`` as the project's (None goes back to the shipped model)."""
    project.set_setting(SETTING, model.to_dict() if model is not None else None)
