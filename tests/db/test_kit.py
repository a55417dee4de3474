"""Kits for observers and files sent to HQ: what they hold, how they are written and checked."""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest

from db.errors import InputError, NotAMissionError
from db.forms import add_form
from db.kit import list_kits, make_kit, send_file
from db.merge import merge
from db.mission import create_mission, open_mission
from db.reports import create_report
from db.stations import Station, add_station
from forms.tables import write_workbook

VISIT = """
| survey   |               |            |                     |
|          | type          | name       | label::English (en) |
|          | text          | comment    | Comment             |
| settings |               |            |                     |
|          | form_id       | form_title | version             |
|          | visit         | Visit      | 1                   |
"""


@pytest.fixture
def hq(tmp_path: Path) -> Path:
    """HQ with stations in two regions and reports of two observers (the mission stays open
    elsewhere in some tests)."""
    path = tmp_path / "hq.pollcheck"
    with create_mission(path, title="Выборы") as m:
        add_form(m, write_workbook(textwrap.dedent(VISIT), tmp_path / "visit.xlsx"))
        add_station(m, Station(code="ALM-1", number="1", region="Алматы"))
        add_station(m, Station(code="AST-1", number="1", region="Астана"))
        add_station(m, Station(code="X-1", number="1"))
        for observer, secret in (("Айгуль", "секрет Айгуль"), ("Ерлан", "секрет Ерлана")):
            create_report(
                m,
                "visit",
                device="hq",
                observer=observer,
                station_code="ALM-1",
                answers={"comment": secret},
            )
    return path


def _read(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_kit__no_observer__forms_and_registry_no_reports_new_copy(hq: Path, tmp_path: Path) -> None:
    out = make_kit(hq, tmp_path / "kit.pollcheck")
    assert _read(out, "SELECT count(*) FROM reports") == [(0,)]
    assert _read(out, "SELECT count(*) FROM history") == [(0,)]
    assert _read(out, "SELECT form_id FROM forms") == [("visit",)]
    assert _read(out, "SELECT count(*) FROM stations") == [(3,)]
    with open_mission(hq, readonly=True) as m, open_mission(out, readonly=True) as k:
        assert k.info().mission_id == m.info().mission_id
        assert k.info().copy_id != m.info().copy_id
    assert out.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: readable from a locked stick
    assert not Path(f"{out}-wal").exists()


def test_kit__observer_and_regions__only_theirs_and_others_not_in_the_bytes(
    hq: Path, tmp_path: Path
) -> None:
    out = make_kit(hq, tmp_path / "kit.pollcheck", observer="Айгуль", regions=["Астана"])
    assert _read(out, "SELECT observer FROM reports") == [("Айгуль",)]
    assert _read(out, "SELECT code FROM stations") == [("AST-1",)]
    data = out.read_bytes()
    assert "секрет Айгуль".encode() in data
    assert "секрет Ерлана".encode() not in data  # not even in free pages


def test_kit__unknown_region__refused_listing_regions(hq: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no stations in region 'Шымкент'.*Алматы, Астана"):
        make_kit(hq, tmp_path / "kit.pollcheck", regions=["Шымкент"])
    assert not (tmp_path / "kit.pollcheck").exists()


def test_kit__out_exists__refused_unless_overwrite(hq: Path, tmp_path: Path) -> None:
    out = tmp_path / "kit.pollcheck"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="exists already"):
        make_kit(hq, out)
    assert out.read_text(encoding="utf-8") == "keep me"
    make_kit(hq, out, overwrite=True)
    assert _read(out, "PRAGMA quick_check") == [("ok",)]
    with pytest.raises(InputError, match="file being copied"):
        make_kit(hq, hq, overwrite=True)


def test_kit__merged_back_into_hq__same_mission_nothing_new(hq: Path, tmp_path: Path) -> None:
    out = make_kit(hq, tmp_path / "kit.pollcheck", observer="Ерлан")
    with open_mission(hq) as m:
        (result,) = merge(m, [out]).sources
    assert result.outcome == "nothing new"


def test_kits__listed_in_hq_and_matched_to_the_files_back(hq: Path, tmp_path: Path) -> None:
    aigul = make_kit(hq, tmp_path / "aigul.pollcheck", observer="Айгуль", regions=["Алматы"])
    erlan = make_kit(hq, tmp_path / "erlan.pollcheck", observer="Ерлан")
    assert _read(aigul, "SELECT count(*) FROM kits") == [(0,)]  # the kit lists no kits
    with open_mission(aigul) as kit:  # the observer saves a report and sends the file
        create_report(kit, "visit", device="laptop", observer="Айгуль", station_code="ALM-1")
        aigul_copy = kit.info().copy_id
    sent = send_file(aigul, tmp_path / "aigul-sent.pollcheck")
    broken = tmp_path / "broken.pollcheck"
    broken.write_bytes(b"")
    with open_mission(hq) as m:
        merge(m, [sent, broken])
        kits = list_kits(m)
    assert [(k.file_name, k.observer, k.regions) for k in kits] == [
        ("aigul.pollcheck", "Айгуль", ("Алматы",)),
        ("erlan.pollcheck", "Ерлан", ()),
    ]
    assert (kits[0].stations, kits[0].reports) == (1, 1)  # what the kit held when made
    assert (kits[1].stations, kits[1].reports) == (3, 1)
    assert kits[0].copy_id == aigul_copy and kits[0].files_back == 1
    assert kits[0].last_back is not None and kits[0].last_back >= kits[0].made_at
    assert (kits[1].files_back, kits[1].last_back) == (0, None)  # not back yet
    with open_mission(erlan, readonly=True) as kit:
        assert kit.info().copy_id == kits[1].copy_id


def test_kits__hq_read_only__kit_made_all_the_same_not_listed(hq: Path, tmp_path: Path) -> None:
    with open_mission(hq, readonly=True) as m:
        out = make_kit(m, tmp_path / "kit.pollcheck", observer="Айгуль")
        assert list_kits(m) == []
    assert _read(out, "SELECT count(*) FROM reports") == [(1,)]


def test_send__while_open_with_saves_in_the_wal__copy_has_them(hq: Path, tmp_path: Path) -> None:
    with open_mission(hq) as live:
        create_report(live, "visit", device="d", observer="Новый", station_code="AST-1")
        assert Path(f"{hq}-wal").stat().st_size > 0  # the save is in the -wal, not the file
        out = send_file(hq, tmp_path / "sent.pollcheck")
        assert _read(out, "SELECT count(*) FROM reports") == [(3,)]
    with open_mission(hq, readonly=True) as m, open_mission(out, readonly=True) as s:
        assert s.info() == m.info()  # the same mission and the same copy


def test_send__no_half_file_left_on_failure(hq: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        send_file(hq, tmp_path / "missing" / "sent.pollcheck")
    not_a_mission = tmp_path / "notes.pollcheck"
    not_a_mission.write_text("hello", encoding="utf-8")
    with pytest.raises(NotAMissionError):
        send_file(not_a_mission, tmp_path / "sent.pollcheck")
    assert not list(tmp_path.glob("*sent*"))  # neither the file nor a temporary one


def test_send__file_copied_by_hand__merges(hq: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.pollcheck"
    shutil.copy(hq, copy)  # a file manager's copy of a closed mission: same mission
    target = make_kit(hq, tmp_path / "kit.pollcheck")
    with open_mission(target) as m:
        (result,) = merge(m, [copy]).sources
    assert result.reports_new == 2


def test_send__check_after_writing_fails__no_file_and_no_temporary_left(
    hq: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.kit

    def failing(path: Path, mission_id: str) -> None:
        raise db.kit.KnownError(f"{path}: the copy did not pass its check after writing.")

    monkeypatch.setattr(db.kit, "_verify", failing)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(db.kit.KnownError, match="did not pass its check"):
        send_file(hq, out / "sent.pollcheck")
    assert list(out.iterdir()) == []
