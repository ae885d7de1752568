"""Seeding the default project with the demo articles on first start.

Only the default project gets them, once: a setting remembers the seeding so a user
who deletes the demos does not see them return.
"""

from __future__ import annotations

from annotator.paths import resources_dir
from annotator.services.importing import ImportSummary, import_paths
from annotator.store import Project


def seed_demo(project: Project) -> ImportSummary | None:
    if project.get_setting("demo_seeded"):
        return None
    demo = resources_dir() / "demo"
    summary = None
    if demo.is_dir() and any(demo.glob("*.txt")):
        summary = import_paths(project, [demo])
    project.set_setting("demo_seeded", True)
    return summary
