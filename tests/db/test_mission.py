"""The mission file: creation, durability settings, refusal of other and newer files, views."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from db import schema
from db.errors import KnownError, NewerFileError, NotAMissionError, known_error
from db.forms import add_form, view_name
from db.mission import create_mission, open_mission
from db.reports import create_report
from db.stations import Station, add_station
from forms.templates import template


def test_create__new_file__has_id_version_and_durable_settings(tmp_path: Path) -> None:
    path = tmp_path / "m.pollcheck"
    with create_mission(
        path, title="Kazakhstan 2005", country="KZ", election_date="2005-12-04"
    ) as m:
        assert m.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert m.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert m.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        info = m.info()
    assert info.title == "Kazakhstan 2005"
    assert info.election_date == "2005-12-04"
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    raw.close()


def test_close__checkpoints__main_file_alone_holds_the_data(tmp_path: Path) -> None:
    path = tmp_path / "m.pollcheck"
    with create_mission(path, title="T") as m:
        add_station(m, Station(code="A-1", number="1", region="Almaty"))
    copy = tmp_path / "copy.pollcheck"
    copy.write_bytes(path.read_bytes())  # what a file manager copies: the main file only
    with open_mission(copy) as again:
        assert again.conn.execute("SELECT code FROM stations").fetchall() == [("A-1",)]


def test_open__newer_schema__refused_and_file_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "m.pollcheck"
    create_mission(path, title="T").close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(NewerFileError, match="newer Pollcheck"):
        open_mission(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_open__newer_schema__error_in_russian_with_the_versions(tmp_path: Path) -> None:
    path = tmp_path / "m.pollcheck"
    create_mission(path, title="T").close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    with pytest.raises(NewerFileError) as exc:
        open_mission(path)
    assert exc.value.code == "mission.newer"
    assert exc.value.text("ru") == (
        f"{path}: этот файл миссии записан более новой версией Pollcheck (схема файла 99, эта"
        f" программа читает схемы до {schema.SCHEMA_VERSION}). Чтобы открыть его, установите"
        " новую версию Pollcheck; файл не изменен."
    )


def test_open__damaged_or_locked__errors_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "m.pollcheck"
    path.write_bytes(b"hello, not a database" * 100)
    with pytest.raises(NotAMissionError) as exc:
        open_mission(path)
    assert exc.value.text("ru") == (
        f"{path}: это не файл миссии Pollcheck, или он поврежден (SQLITE_NOTADB). Откройте"
        " нужный файл или попросите его свежую копию."
    )
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorname = "SQLITE_BUSY"  # type: ignore[attr-defined]
    error = known_error(locked, path)
    assert isinstance(error, KnownError)
    assert error.message.startswith(f"{path}: the mission file is in use by another program")
    assert error.text("ru").startswith(f"{path}: файл миссии занят другой программой")


@pytest.mark.parametrize("content", [b"hello, not a database" * 100, b""])
def test_open__not_sqlite__not_a_mission(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "m.pollcheck"
    path.write_bytes(content)
    with pytest.raises(NotAMissionError):
        open_mission(path)


def test_open__another_programs_sqlite__not_a_mission(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE t (x)")
    raw.close()
    with pytest.raises(NotAMissionError, match="not a Pollcheck mission file"):
        open_mission(path)


def test_open__missing_file__says_so(tmp_path: Path) -> None:
    with pytest.raises(NotAMissionError, match="no such mission file"):
        open_mission(tmp_path / "nope.pollcheck")


def test_create__existing_file__refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "m.pollcheck"
    path.write_text("keep me")
    with pytest.raises(KnownError, match="exists already"):
        create_mission(path, title="T")
    assert path.read_text() == "keep me"


def test_create__bad_election_date__refused(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="YYYY-MM-DD"):
        create_mission(tmp_path / "m.pollcheck", title="T", election_date="04.12.2005")
    assert not (tmp_path / "m.pollcheck").exists()


def test_open__readonly__reads_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "m.pollcheck"
    create_mission(path, title="T").close()
    with open_mission(path, readonly=True) as m:
        assert m.info().title == "T"
        with pytest.raises(KnownError, match="read-only"), m.transaction():
            m.conn.execute("UPDATE mission SET title = 'x'")


def test_view__per_form__one_column_per_question(tmp_path: Path) -> None:
    with create_mission(tmp_path / "m.pollcheck", title="T") as m:
        add_form(m, template("election_day").workbook, filename="election_day.xlsx")
        add_station(m, Station(code="ALM-108", number="108", region="Almaty", district="Medeu"))
        create_report(
            m, "eday", device="d", station_code="ALM-108", answers={"observer_access": "full"}
        )
    # Read as another tool would: Pollcheck itself never reads its views (it runs with
    # trusted_schema off, under which SQLite refuses json_extract in a view).
    name = view_name("eday")
    other = sqlite3.connect(tmp_path / "m.pollcheck")
    columns = [r[1] for r in other.execute(f"PRAGMA table_info({name})")]
    assert columns[:5] == ["uuid", "station_code", "station_number", "region", "district"]
    assert "observer_access" in columns and "arrival_time" in columns
    row = other.execute(f"SELECT station_number, region, observer_access FROM {name}").fetchone()
    other.close()
    assert row == ("108", "Almaty", "full")


def test_open__schema_1_file__migrated_even_when_opened_to_read(tmp_path: Path) -> None:
    import sqlite_utils

    path = tmp_path / "old.pollcheck"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.MIGRATIONS[0](sqlite_utils.Database(raw))  # a file as the first Pollcheck wrote it
    raw.execute(
        "INSERT INTO mission (id, mission_id, copy_id, title, created)"
        " VALUES (1, 'm', 'c', 'Old', '2026-01-01T00:00:00Z')"
    )
    raw.execute("PRAGMA user_version = 1")
    raw.close()
    with open_mission(path, readonly=True) as m:
        assert m.info().title == "Old"
        assert m.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert "sample" in [r[1] for r in m.conn.execute("PRAGMA table_info(mission)")]
