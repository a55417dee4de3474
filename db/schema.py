"""The mission file's schema: its migrations, its application id and the version it is at."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

# "PCK1": tells a Pollcheck mission file from any other SQLite file (PRAGMA application_id).
APPLICATION_ID = 0x50434B31

Migration = Callable[["sqlite_utils.Database"], None]


def _m001_initial(db: sqlite_utils.Database) -> None:
    """Mission, forms, stations, observers, reports and their history."""
    db.execute(
        """
        CREATE TABLE mission (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            mission_id TEXT NOT NULL,
            copy_id TEXT NOT NULL,
            title TEXT NOT NULL,
            country TEXT,
            election_date TEXT,
            languages TEXT NOT NULL DEFAULT '[]',
            synthetic INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE forms (
            form_id TEXT NOT NULL,
            version TEXT NOT NULL,
            seq INTEGER NOT NULL UNIQUE,
            title TEXT NOT NULL,
            definition TEXT NOT NULL,
            workbook BLOB NOT NULL,
            workbook_name TEXT,
            sha256 TEXT NOT NULL,
            added TEXT NOT NULL,
            PRIMARY KEY (form_id, version)
        )"""
    )
    db.execute(
        """
        CREATE TABLE stations (
            code TEXT PRIMARY KEY,
            number TEXT NOT NULL,
            region TEXT,
            district TEXT,
            name TEXT,
            address TEXT,
            registered_voters INTEGER,
            attributes TEXT NOT NULL DEFAULT '{}',
            search_key TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX stations_region ON stations (region, district)")
    db.execute(
        """
        CREATE TABLE observers (
            name TEXT PRIMARY KEY,
            team TEXT,
            added TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE reports (
            uuid TEXT PRIMARY KEY,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            station_code TEXT,
            region TEXT,
            observer TEXT,
            device TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'complete')),
            deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
            revision INTEGER NOT NULL CHECK (revision >= 1),
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            started TEXT,
            submitted TEXT,
            answers TEXT NOT NULL DEFAULT '{}',
            content_sha TEXT NOT NULL,
            FOREIGN KEY (form_id, form_version) REFERENCES forms (form_id, version)
        )"""
    )
    db.execute("CREATE INDEX reports_form ON reports (form_id, status, deleted)")
    db.execute("CREATE INDEX reports_station ON reports (station_code)")
    db.execute(
        """
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            report_uuid TEXT NOT NULL REFERENCES reports (uuid),
            revision INTEGER NOT NULL,
            saved TEXT NOT NULL,
            observer TEXT,
            device TEXT NOT NULL,
            form_version TEXT NOT NULL,
            station_code TEXT,
            region TEXT,
            status TEXT NOT NULL,
            deleted INTEGER NOT NULL,
            answers TEXT NOT NULL,
            changes TEXT NOT NULL,
            content_sha TEXT NOT NULL,
            -- one row per save: two laptops saving the same content are two saves
            UNIQUE (report_uuid, revision, content_sha, saved, device)
        )"""
    )
    db.execute("CREATE INDEX history_report ON history (report_uuid, revision)")


def _m002_sample(db: sqlite_utils.Database) -> None:
    """The mission's sample declaration (JSON), for confidence intervals in tabulation."""
    db.execute("ALTER TABLE mission ADD COLUMN sample TEXT")


def _m003_merge(db: sqlite_utils.Database) -> None:
    """Conflicts found by merges, and the log of every merge into this file."""
    # One row per pair of versions of a report with the same revision and other content;
    # content_sha_a is the smaller digest, so a pair is recorded once whichever came first.
    db.execute(
        """
        CREATE TABLE conflicts (
            report_uuid TEXT NOT NULL REFERENCES reports (uuid),
            revision INTEGER NOT NULL,
            content_sha_a TEXT NOT NULL,
            content_sha_b TEXT NOT NULL,
            winner TEXT NOT NULL,
            found TEXT NOT NULL,
            PRIMARY KEY (report_uuid, revision, content_sha_a, content_sha_b),
            CHECK (content_sha_a < content_sha_b),
            CHECK (winner IN (content_sha_a, content_sha_b))
        )"""
    )
    db.execute(
        """
        CREATE TABLE merges (
            id INTEGER PRIMARY KEY,
            merged_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            file_sha256 TEXT,
            copy_id TEXT,
            devices TEXT NOT NULL DEFAULT '[]',
            reports_new INTEGER NOT NULL DEFAULT 0,
            reports_newer INTEGER NOT NULL DEFAULT 0,
            reports_unchanged INTEGER NOT NULL DEFAULT 0,
            reports_older INTEGER NOT NULL DEFAULT 0,
            history_added INTEGER NOT NULL DEFAULT 0,
            conflicts INTEGER NOT NULL DEFAULT 0,
            forms_added INTEGER NOT NULL DEFAULT 0,
            stations_added INTEGER NOT NULL DEFAULT 0,
            stations_differing INTEGER NOT NULL DEFAULT 0,
            observers_added INTEGER NOT NULL DEFAULT 0,
            outcome TEXT NOT NULL CHECK (outcome IN ('merged', 'nothing new', 'refused')),
            reason TEXT,
            details TEXT NOT NULL DEFAULT '{}'
        )"""
    )


def _m004_history_index(db: sqlite_utils.Database) -> None:
    """Drop ``history_report``: the UNIQUE index on history starts with the same two columns.

    Every lookup by report and revision uses the UNIQUE index just as well, and each save or
    merge had one more index to write (about a fifth of a large merge's time).
    """
    db.execute("DROP INDEX history_report")


def _m005_kits(db: sqlite_utils.Database) -> None:
    """``kits``: the kits made from this file (``pollcheck kit``, Make observer kit…), so that
    the files that come back can be matched to them by ``copy_id`` (kits out, files back)."""
    db.execute(
        """
        CREATE TABLE kits (
            id INTEGER PRIMARY KEY,
            made_at TEXT NOT NULL,
            file_name TEXT NOT NULL,
            copy_id TEXT NOT NULL UNIQUE,
            observer TEXT,
            regions TEXT NOT NULL DEFAULT '[]',
            stations INTEGER NOT NULL DEFAULT 0,
            reports INTEGER NOT NULL DEFAULT 0
        )"""
    )


# Append only: a released migration is never edited; the file's user_version counts them.
MIGRATIONS: tuple[Migration, ...] = (
    _m001_initial,
    _m002_sample,
    _m003_merge,
    _m004_history_index,
    _m005_kits,
)
SCHEMA_VERSION = len(MIGRATIONS)

# Tables a mission file of SCHEMA_VERSION has, for checks of files someone else wrote.
TABLES = (
    "mission",
    "forms",
    "stations",
    "observers",
    "reports",
    "history",
    "conflicts",
    "merges",
    "kits",
)
