"""Opening a project: create at head, upgrade an older file, refuse what is not ours.

Follows Taguette: a new database is built from the models and stamped at head (fast
and exact, a test checks the migrations produce the same schema; the stamp is Alembic's
version table written directly); an existing one is
inspected with Alembic's MigrationContext, backed up, and upgraded.

Refused means untouched: an existing SQLite file is first inspected through a read-only
connection (``mode=ro``), which cannot switch it to WAL or leave files beside it. Only
when it is ours, at head or migratable, is it opened for writing; a database from a newer
release, one that was never an annotator project, or a damaged file keeps its bytes and
its mtime. A file this process may not write is opened read-only (nothing is created
beside it) and becomes writable again when its permissions allow (``reopen_writable``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    text,
)
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.errors import InputError
from annotator.core.terminal import printable
from annotator.paths import migrations_dir
from annotator.store.engine import (
    ReadOnlyProjectError,
    make_engine,
    read_only_uri,
    sqlite_path,
    to_url,
    writable,
    write_problem,
)
from annotator.store.models import Base, ProjectSetting

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory


def alembic_config(connection: Any = None, url: str | None = None) -> Config:
    from alembic.config import Config  # Alembic loads only when a project is opened

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def scripts() -> ScriptDirectory:
    """The migrations, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


HEAD_REVISION = "0005"
"""The newest migration's revision. Opening a current project compares with this and
never loads Alembic (about a fifth of a second of every command's start);
``tests/store/test_project.py`` keeps it equal to the migrations' head."""


def head_revision() -> str:
    head = scripts().get_current_head()
    assert head is not None
    return head


@dataclass
class Project:
    """An open project: its engine and a session factory, nothing else held open."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session] = field(repr=False)
    backup: Path | None = None  # set when opening upgraded an older file
    read_only: bool = False  # opened without write access: writes fail until reopened

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def label(self) -> str:
        return str(self.path) if self.path else self.url

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work committed on success and rolled back on any error.

        On a project opened read-only a write is refused as ``ReadOnlyProjectError``,
        one line for the user, instead of SQLite's error.
        """
        try:
            with self.sessions.begin() as session:
                yield session
        except OperationalError as exc:
            if self.read_only and write_problem(exc) == "read-only":
                raise ReadOnlyProjectError(
                    "the project file is read-only; make it writable to save changes",
                    where=self.label) from None
            raise

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.sessions() as session:
            row = session.get(ProjectSetting, key)
            return default if row is None else row.value

    def set_setting(self, key: str, value: Any) -> None:
        with self.session() as session:
            session.merge(ProjectSetting(key=key, value=value))

    def close(self) -> None:
        self.engine.dispose()

    def reopen_writable(self) -> bool:
        """After a write failed on a read-only file: if the file can now be written,
        later sessions get fresh read-write connections. True when that happened."""
        path = self.path
        if path is None or not writable(path):
            return False
        old = self.engine
        self.engine = make_engine(self.url)
        self.sessions.configure(bind=self.engine)
        self.read_only = False
        old.dispose()  # pooled connections opened read-only would keep failing
        return True


def _backup_sqlite(path: Path, revision: str) -> Path:
    """Copy the file with SQLite's backup API so a WAL file's content is included."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-r{revision}-{stamp}")
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


_VERSION_TABLE = Table(
    "alembic_version", MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)
"""Alembic's own version table, as ``alembic stamp`` creates it."""


def _stamp_head(conn: Connection) -> None:
    """Mark a database just built from the models as being at ``HEAD_REVISION``.

    What ``alembic stamp head`` writes, without loading Alembic and reading every
    migration to find the head (a tenth of a second of each new project's start);
    ``tests/store/test_project.py`` checks the table and row equal Alembic's."""
    _VERSION_TABLE.create(conn)
    conn.execute(_VERSION_TABLE.insert().values(version_num=HEAD_REVISION))


def _prepare(engine: Engine, url: str, where: str) -> Path | None:
    """Bring the database to head. Returns the backup path if an upgrade happened."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = (conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                   if "alembic_version" in tables else None)
    if current == HEAD_REVISION:
        return None
    if current is None:
        if tables:
            raise InputError("not an annotator project (a database with other tables)",
                             where=where)
        with engine.begin() as conn:
            Base.metadata.create_all(conn)
            _stamp_head(conn)
        return None
    from alembic import command

    head = head_revision()
    script = scripts()
    if current == head:
        return None
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise InputError(
            f"written by a newer version of annotator (schema revision {current}); "
            "upgrade annotator to open it",
            where=where,
        )
    path = sqlite_path(url)
    backup = _backup_sqlite(path, current) if path else None
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    return backup


def _inspect_sqlite(path: Path, where: str) -> str | None:
    """Read an existing file's schema revision without changing anything; refuse what
    is not an annotator project this release can open. ``None``: an empty database."""
    with open(path, "rb") as fh:
        header = fh.read(100)
    if header[:16] != b"SQLite format 3\x00":
        raise InputError("not an annotator project (not an SQLite database)", where=where)
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"cannot open project: {exc}", where=where) from None
    try:
        page_size, = conn.execute("PRAGMA page_size").fetchone()
        pages, = conn.execute("PRAGMA page_count").fetchone()
        wal = path.with_name(path.name + "-wal")
        in_wal = wal.exists() and wal.stat().st_size > 0  # pages beyond the file are there
        if not in_wal and pages * page_size > path.stat().st_size:
            raise InputError("the project file is damaged (it is shorter than SQLite says; "
                             "truncated?); restore it from a backup", where=where)
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise InputError(f"the project file is damaged ({exc}); restore it from a backup",
                         where=where) from None
    finally:
        conn.close()
    if revision is None:
        if tables:
            raise InputError("not an annotator project (a database with other tables)",
                             where=where)
        return None
    if revision == HEAD_REVISION:
        return revision
    script = scripts()
    if revision not in {rev.revision for rev in script.walk_revisions()}:
        raise InputError(
            f"written by a newer version of annotator (schema revision {revision}); "
            "upgrade annotator to open it",
            where=where,
        )
    return revision


def open_project(path_or_url: str | Path, *, create: bool = True) -> Project:
    """Open (and if needed create or upgrade) the project at a path or SQLAlchemy URL."""
    url = to_url(path_or_url)
    where = printable(str(path_or_url))  # error lines stay one line on a terminal
    path = sqlite_path(url)
    read_only = False
    if path is not None:
        if path.is_dir():
            raise InputError("is a folder, not a project file", where=where)
        if not path.exists() and not create:
            raise InputError("no such project file", where=where)
        if path.exists() and path.stat().st_size > 0:
            revision = _inspect_sqlite(path, where)
            read_only = not writable(path)
            if read_only and revision != HEAD_REVISION:
                raise InputError("the project file is read-only and needs "
                                 + ("setting up" if revision is None else "an upgrade")
                                 + " first; make it writable", where=where)
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = make_engine(url, read_only=read_only)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise InputError(f"not a project file or database URL ({exc})", where=where) from None
    try:
        backup = _prepare(engine, url, where)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise InputError(f"cannot open project: {exc.orig}", where=where) from None
    except BaseException:
        engine.dispose()
        raise
    project = Project(url, engine, sessionmaker(engine, expire_on_commit=False), backup,
                      read_only)
    if not read_only:  # a read-only project is shown as it is
        _ensure_schema_setting(project)
    return project


SCHEMA_DEFAULTS_SEEN = "schema_defaults_seen"


def _ensure_schema_setting(project: Project) -> None:
    """Every project keeps its own copy of the label schema, seeded from the default.

    A project made by an earlier release also gains the default block labels added since
    (``schema.add_new_default_blocks``), once: the names offered are recorded under
    ``schema_defaults_seen`` so a label the lead deletes stays deleted. Read and write
    happen in one transaction, and nothing is written when nothing changes, so opening
    an up-to-date project stays read-only.
    """
    from annotator.core import schema

    default = schema.default().raw
    with project.session() as session:
        stored = session.get(ProjectSetting, "schema")
        if stored is None:
            session.add(ProjectSetting(key="schema", value=default))
            session.merge(ProjectSetting(key=SCHEMA_DEFAULTS_SEEN,
                                         value=schema.block_label_names(default)))
            return
        if not isinstance(stored.value, dict):
            return  # not ours to repair: the services report a malformed schema
        record = session.get(ProjectSetting, SCHEMA_DEFAULTS_SEEN)
        seen = record.value if record is not None else None
        if seen is not None and not (isinstance(seen, list)
                                     and all(isinstance(n, str) for n in seen)):
            seen = None  # an unreadable record counts as none: the oldest releases' labels
        upgrade = schema.add_new_default_blocks(stored.value, default, seen)
        if upgrade.added:
            stored.value = upgrade.raw  # a new object, so the JSON column sees the change
        if record is None or record.value != upgrade.seen:
            session.merge(ProjectSetting(key=SCHEMA_DEFAULTS_SEEN, value=upgrade.seen))
