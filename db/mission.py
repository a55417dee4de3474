"""Opens, creates and migrates mission files: one SQLite file per copy of a mission."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from db import schema
from db.errors import KnownError, NewerFileError, NotAMissionError, known_error

if TYPE_CHECKING:
    import sqlite_utils

SUFFIX = ".pollcheck"


def now() -> str:
    """The current time as stored in mission files: UTC, ISO 8601, seconds, with ``Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class MissionInfo(NamedTuple):
    """The mission a file belongs to; every copy of one mission shares ``mission_id``.

    A named tuple rather than a frozen dataclass: it costs a sixth of the start-up time to make.
    """

    mission_id: str
    copy_id: str
    title: str
    country: str | None
    election_date: str | None
    languages: tuple[str, ...]
    synthetic: bool
    created: str


class Mission:
    """An open mission file. Use as a context manager, or call :meth:`close`.

    Every connection runs in WAL mode with ``synchronous=FULL`` (a committed answer survives a
    pulled plug) and foreign keys on. Closing checkpoints the WAL into the main file, so a copy
    made with a file manager afterwards is whole.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self._db: sqlite_utils.Database | None = None
        self._savepoints = 0
        self._forms_cache: dict[tuple[str, str], Any] = {}

    # -- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        if self.conn is None:  # type: ignore[comparison-overlap]
            return
        try:
            if not self.readonly:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # another connection still reads; the WAL is checkpointed by the last one
        finally:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]

    def __enter__(self) -> Mission:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- transactions -----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything in it is stored, or nothing is.

        SQLite errors leave as the user-facing errors of :func:`db.errors.known_error`.
        """
        conn = self.conn
        try:
            if conn.in_transaction:  # nested: a savepoint inside the outer transaction
                name = f"pollcheck_{self._savepoints}"
                self._savepoints += 1
                conn.execute(f"SAVEPOINT {name}")
                try:
                    yield conn
                except BaseException:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                    raise
                else:
                    conn.execute(f"RELEASE {name}")
                finally:
                    self._savepoints -= 1
            else:
                # IMMEDIATE: take the write lock now, so two writers wait rather than deadlock.
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                else:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise known_error(exc, self.path) from exc

    @property
    def db(self) -> sqlite_utils.Database:
        """The file through sqlite-utils (its table API), made when first needed: importing
        sqlite-utils costs a tenth of a second that opening a file should not pay."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # -- the mission ------------------------------------------------------------------------
    def info(self) -> MissionInfo:
        row = self.conn.execute(
            "SELECT mission_id, copy_id, title, country, election_date, languages, synthetic,"
            " created FROM mission WHERE id = 1"
        ).fetchone()
        if row is None:
            from forms.messages import Phrase  # the catalog: loaded with the first error

            raise NotAMissionError(Phrase("mission.no_record", path=str(self.path)))
        return MissionInfo(
            mission_id=row[0],
            copy_id=row[1],
            title=row[2],
            country=row[3],
            election_date=row[4],
            languages=tuple(json.loads(row[5] or "[]")),
            synthetic=bool(row[6]),
            created=row[7],
        )


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # isolation_level=None: transactions are explicit (Mission.transaction).
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    # Only once the file is known to be ours: switching to WAL writes to the file.
    conn.execute("PRAGMA journal_mode = WAL")


def _migrate(mission: Mission) -> None:
    version = mission.conn.execute("PRAGMA user_version").fetchone()[0]
    for number in range(version, schema.SCHEMA_VERSION):
        with mission.transaction():
            schema.MIGRATIONS[number](mission.db)
            mission.conn.execute(f"PRAGMA user_version = {number + 1}")


def open_mission(path: str | Path, *, readonly: bool = False) -> Mission:
    """Open an existing mission file, migrating it to this Pollcheck's schema.

    Raises:
        NotAMissionError: the file is missing, not SQLite, damaged, or another program's file.
        NewerFileError: the file was written by a newer Pollcheck.
        KnownError: the file is locked, read-only, or on a failing disk.
    """
    # The message catalog (forms.messages) is imported where a refusal is raised: opening a
    # file at start does not load it.
    path = Path(path)
    if not path.is_file():
        from forms.messages import Phrase

        raise NotAMissionError(Phrase("mission.not_found", path=str(path)))
    try:
        conn = _connect(path, readonly=readonly)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise known_error(exc, path) from exc
    if app_id != schema.APPLICATION_ID:
        from forms.messages import Phrase

        conn.close()
        raise NotAMissionError(Phrase("mission.foreign", path=str(path)))
    if version > schema.SCHEMA_VERSION:
        from forms.messages import Phrase

        conn.close()
        raise NewerFileError(
            Phrase(
                "mission.newer", path=str(path), version=version, supported=schema.SCHEMA_VERSION
            )
        )
    if not readonly:
        try:
            _use_wal(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise known_error(exc, path) from exc
    mission = Mission(path, conn, readonly=readonly)
    if version < schema.SCHEMA_VERSION:
        if readonly:
            # Upgrade once (that needs write access), then read as asked.
            mission.close()
            try:
                open_mission(path).close()
            except KnownError:
                from forms.messages import Phrase

                raise KnownError(Phrase("mission.upgrade_readonly", path=str(path))) from None
            return open_mission(path, readonly=True)
        _migrate(mission)
    return mission


def create_mission(
    path: str | Path,
    *,
    title: str,
    country: str | None = None,
    election_date: str | None = None,
    languages: tuple[str, ...] = ("en", "ru"),
    synthetic: bool = False,
) -> Mission:
    """Create a new, empty mission file at ``path`` (which must not exist yet)."""
    from forms.messages import Phrase  # imported on first use: start-up time

    path = Path(path)
    if path.exists():
        raise KnownError(Phrase("file.exists", path=str(path)))
    if not title.strip():
        raise KnownError(Phrase("mission.no_title"))
    if election_date:
        try:
            dt.date.fromisoformat(election_date)
        except ValueError:
            raise KnownError(Phrase("mission.bad_date", date=election_date)) from None
    try:
        conn = _connect(path, readonly=False)
        conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        _use_wal(conn)
    except sqlite3.Error as exc:
        raise known_error(exc, path) from exc
    mission = Mission(path, conn, readonly=False)
    _migrate(mission)
    import uuid  # imported on first use: start-up time (uuid imports platform)

    with mission.transaction():
        mission.db["mission"].insert(
            {
                "id": 1,
                "mission_id": str(uuid.uuid4()),
                "copy_id": str(uuid.uuid4()),
                "title": title.strip(),
                "country": country,
                "election_date": election_date,
                "languages": json.dumps(list(languages)),
                "synthetic": int(synthetic),
                "created": now(),
            }
        )
    return mission
