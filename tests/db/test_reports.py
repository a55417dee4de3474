"""Reports: saving validates, every save is one transaction appended to history, nothing is lost."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from db.errors import InputError, KnownError
from db.forms import add_form
from db.mission import Mission, create_mission, open_mission
from db.reports import (
    ReportInvalid,
    create_report,
    delete_report,
    get_report,
    list_reports,
    new_report_uuid,
    report_history,
    save_report,
)
from db.stations import Station, add_station

FORM = """
| survey |
|  | type | name | label | required | relevant | constraint | finding |
|  | select_one yn | sealed | Sealed? | yes | | | . = 'no' |
|  | integer | added | Added | | ${sealed} = 'yes' | . >= 0 | . > 100 |
|  | text | note_text | Notes | | | | |
| choices |
|  | list_name | name | label |
|  | yn | yes | Yes |
|  | yn | no | No |
| settings |
|  | form_id | version | station |
|  | visit | 1 | required |
"""

WEEKLY = """
| survey |
|  | type | name | label |
|  | text | summary | Summary |
| settings |
|  | form_id | version | station |
|  | weekly | 1 | absent |
"""


@pytest.fixture
def m(mission: Mission, xlsform: Callable[[str], Path]) -> Iterator[Mission]:
    add_form(mission, xlsform(FORM))
    add_form(mission, xlsform(WEEKLY))
    add_station(mission, Station(code="ALM-108", number="108", region="Almaty"))
    add_station(mission, Station(code="SHY-108", number="108", region="Shymkent"))
    yield mission


def _history_rows(m: Mission) -> int:
    return m.conn.execute("SELECT count(*) FROM history").fetchone()[0]


def test_create__draft__revision_1_and_one_history_row(m: Mission) -> None:
    saved = create_report(
        m,
        "visit",
        device="laptop-1",
        observer="Anna",
        station_code="ALM-108",
        answers={"sealed": "no"},
    )
    r = saved.report
    assert (r.revision, r.status, r.station_code, r.observer) == (1, "draft", "ALM-108", "Anna")
    assert r.answers == {"sealed": "no"}
    assert saved.validation.findings == (("sealed",),)
    (h,) = report_history(m, r.uuid)
    assert (h.revision, h.observer, h.device) == (1, "Anna", "laptop-1")
    assert h.changes["answers"] == {"sealed": [None, "no"]}


def test_save__each_change__new_revision_and_history_with_the_diff(m: Mission) -> None:
    r = create_report(m, "visit", device="d", station_code="ALM-108").report
    save_report(m, r.uuid, device="d", answers={"sealed": "yes"})
    save_report(m, r.uuid, device="d2", observer="Marat", answers={"sealed": "yes", "added": 3})
    final = save_report(
        m, r.uuid, device="d2", answers={"sealed": "yes", "added": 3}, status="complete"
    ).report
    assert final.revision == 4
    assert final.status == "complete" and final.submitted is not None
    history = report_history(m, r.uuid)
    assert [h.revision for h in history] == [1, 2, 3, 4]
    assert history[2].changes["answers"] == {"added": [None, 3]}
    assert history[2].observer == "Marat" and history[2].device == "d2"
    assert history[3].changes["status"] == ["draft", "complete"]
    assert history[1].answers == {"sealed": "yes"}  # every revision's answers are kept


def test_save__nothing_changed__no_new_revision(m: Mission) -> None:
    r = create_report(
        m, "visit", device="d", station_code="ALM-108", answers={"sealed": "yes"}
    ).report
    again = save_report(m, r.uuid, device="d", answers={"sealed": "yes"})
    assert not again.changed
    assert again.report.revision == 1
    assert _history_rows(m) == 1


def test_save__complete_with_problems__refused_and_nothing_written(m: Mission) -> None:
    r = create_report(
        m, "visit", device="d", station_code="ALM-108", answers={"sealed": "yes", "added": -5}
    ).report
    with pytest.raises(ReportInvalid) as err:
        save_report(m, r.uuid, device="d", status="complete")
    assert "added" in err.value.problems[0].where
    assert get_report(m, r.uuid).revision == 1
    assert _history_rows(m) == 1


def test_create__complete_missing_required__lists_the_question(m: Mission) -> None:
    with pytest.raises(ReportInvalid) as err:
        create_report(m, "visit", device="d", station_code="ALM-108", status="complete")
    assert [p.where for p in err.value.problems] == ["question sealed"]
    assert m.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0


def test_save__not_relevant_answer__dropped_from_the_report(m: Mission) -> None:
    r = create_report(
        m, "visit", device="d", station_code="ALM-108", answers={"sealed": "yes", "added": 7}
    ).report
    saved = save_report(m, r.uuid, device="d", answers={"sealed": "no", "added": 7})
    assert saved.report.answers == {"sealed": "no"}
    assert saved.validation.dropped == (("added",),)


def test_station_rules__required_absent_and_unknown(m: Mission) -> None:
    with pytest.raises(ReportInvalid, match="cannot be saved"):
        create_report(m, "visit", device="d")
    with pytest.raises(ReportInvalid) as err:
        create_report(m, "visit", device="d", station_code="NOPE-1")
    assert "not in the mission's station registry" in str(err.value.problems[0])
    with pytest.raises(ReportInvalid):
        create_report(m, "weekly", device="d", station_code="ALM-108")
    weekly = create_report(m, "weekly", device="d", region="Almaty", status="complete")
    assert weekly.report.region == "Almaty" and weekly.report.station_code is None


def test_two_visits_same_station__two_reports(m: Mission) -> None:
    a = create_report(m, "visit", device="d1", station_code="ALM-108").report
    b = create_report(m, "visit", device="d2", station_code="ALM-108").report
    assert a.uuid != b.uuid
    assert {r.uuid for r in list_reports(m, station_code="ALM-108")} == {a.uuid, b.uuid}
    assert list_reports(m, station_code="SHY-108") == []


def test_new_ids__rfc_9562_version_8__one_laptop_side_by_side_in_time_order(m: Mission) -> None:
    import uuid

    mission_id = m.info().mission_id
    made = [create_report(m, "weekly", device="laptop-a").report.uuid for _ in range(30)]
    made += [create_report(m, "weekly", device="laptop-b").report.uuid for _ in range(30)]
    parsed = [uuid.UUID(u) for u in made]
    assert {(u.version, u.variant) for u in parsed} == {(8, uuid.RFC_4122)}
    assert len(set(made)) == 60
    # A laptop's reports share their first 8 hex digits, in this mission only.
    assert {u[:8] for u in made[:30]} == {new_report_uuid(mission_id, "laptop-a")[:8]}
    assert {u[:8] for u in made[30:]} == {new_report_uuid(mission_id, "laptop-b")[:8]}
    assert made[0][:8] != made[30][:8]
    assert new_report_uuid("another mission", "laptop-a")[:8] != made[0][:8]
    # Then the time: ids made later sort later (up to the millisecond).
    a = new_report_uuid(mission_id, "laptop-a", clock_ms=1_796_000_000_000, random_bits=2**42 - 1)
    b = new_report_uuid(mission_id, "laptop-a", clock_ms=1_796_000_000_001, random_bits=0)
    assert a < b
    assert new_report_uuid(
        mission_id, "laptop-a", clock_ms=1_796_000_000_000, random_bits=5
    ) == new_report_uuid(mission_id, "laptop-a", clock_ms=1_796_000_000_000, random_bits=5)


def test_create__given_id__kept_as_given(m: Mission) -> None:
    given = "0b9a4a4e-9a7f-4c38-8a55-2d3f1c0e7b61"
    assert create_report(m, "weekly", device="d1", uuid=given.upper()).report.uuid == given


def test_delete__marked_kept_in_history_and_restorable(m: Mission) -> None:
    r = create_report(m, "visit", device="d", station_code="ALM-108").report
    deleted = delete_report(m, r.uuid, device="d", observer="Coordinator")
    assert deleted.deleted and deleted.revision == 2
    assert list_reports(m) == []
    assert [x.uuid for x in list_reports(m, include_deleted=True)] == [r.uuid]
    with pytest.raises(InputError, match="deleted"):
        save_report(m, r.uuid, device="d", answers={"sealed": "yes"})
    restored = delete_report(m, r.uuid, device="d", deleted=False)
    assert not restored.deleted and restored.revision == 3
    history = report_history(m, r.uuid)
    assert [h.deleted for h in history] == [False, True, False]
    assert history[1].observer == "Coordinator"
    assert get_report(m, r.uuid).observer is None  # deleting does not change the observer


def test_save__stale_revision__refused(m: Mission) -> None:
    r = create_report(m, "visit", device="d", station_code="ALM-108").report
    save_report(m, r.uuid, device="d", answers={"sealed": "yes"})
    with pytest.raises(KnownError, match="changed elsewhere"):
        save_report(m, r.uuid, device="d", answers={"sealed": "no"}, expected_revision=1)


def test_history__rows_are_never_rewritten(m: Mission) -> None:
    r = create_report(m, "visit", device="d", station_code="ALM-108").report
    first = m.conn.execute("SELECT * FROM history").fetchall()
    for value in ("yes", "no", "yes"):
        save_report(m, r.uuid, device="d", answers={"sealed": value})
    rows = m.conn.execute("SELECT * FROM history ORDER BY id").fetchall()
    assert rows[:1] == first
    assert len(rows) == 4


# -- a pulled plug: kill -9 while saving, then reopen -------------------------------------------
_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from db.mission import open_mission
    from db.reports import create_report, save_report
    with open_mission(Path(sys.argv[1])) as m:
        r = create_report(m, "visit", device="crash", station_code="ALM-108").report
        i = 0
        while True:
            i += 1
            save_report(m, r.uuid, device="crash", answers={"sealed": "yes", "added": i})
            print(i, flush=True)
    """
)


def test_kill_9_while_saving__file_whole_and_every_acknowledged_save_kept(
    tmp_path: Path, xlsform: Callable[[str], Path]
) -> None:
    path = tmp_path / "crash.pollcheck"
    with create_mission(path, title="T") as m:
        add_form(m, xlsform(FORM))
        add_station(m, Station(code="ALM-108", number="108", region="Almaty"))
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None
    acknowledged = 0
    deadline = time.monotonic() + 30
    while acknowledged < 40 and time.monotonic() < deadline:
        acknowledged = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert acknowledged >= 40
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    with open_mission(path) as m:
        (report,) = list_reports(m)
        assert report.answers["added"] >= acknowledged  # no acknowledged save was lost
        history = report_history(m, report.uuid)
        assert [h.revision for h in history] == list(range(1, report.revision + 1))
        assert json.loads(json.dumps(history[-1].answers)) == report.answers


def test_save__observer_only_changed__new_revision_records_it(m: Mission) -> None:
    r = create_report(m, "visit", device="d", observer="Anna", station_code="ALM-108").report
    saved = save_report(m, r.uuid, device="d", observer="Marat")
    assert saved.changed and saved.report.observer == "Marat"
    assert report_history(m, r.uuid)[-1].changes["observer"] == ["Anna", "Marat"]


def test_create__without_answers__starts_from_form_defaults(
    mission: Mission, xlsform: Callable[[str], Path]
) -> None:
    add_form(
        mission,
        xlsform(
            "| survey |\n|  | type | name | label | default |\n|  | integer | n | N | 3 |\n"
            "| settings |\n|  | form_id | version | station |\n|  | d | 1 | absent |\n"
        ),
    )
    assert create_report(mission, "d", device="x").report.answers == {"n": 3}
    assert create_report(mission, "d", device="x", answers={}).report.answers == {}
