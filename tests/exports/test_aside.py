"""An export's tabulation and checks in a second process: the same results as in the export's
own process, nothing left behind, and the export's own process taking over when it fails."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db.checks import checks_json, run_checks
from db.mission import Mission
from db.tabulate import Filters, tabulate, to_json
from exports import aside as aside_module
from exports.aside import CHILD_FLAG, Aside
from exports.xlsx import export_xlsx


def _break_a_rule(m: Mission) -> None:
    """A file edited by hand: an answer that is none of the question's choices."""
    m.conn.execute(
        "UPDATE reports SET answers = json_set(answers, '$.sealed', 'maybe')"
        " WHERE station_code = 'SHY-186'"
    )


def _spy(pending: Aside) -> list[dict[str, Any]]:
    """What the second process gave back, as the export takes it."""
    given: list[dict[str, Any]] = []
    collect = pending._collect
    pending._collect = lambda: given.append(collect()) or given[-1]  # type: ignore[method-assign]
    return given


def test_aside__tabulation_and_checks__the_same_as_in_process(visit: Mission) -> None:
    _break_a_rule(visit)
    filters = Filters(region="Almaty")
    here = checks_json(run_checks(visit, form_id="visit", language="ru"))
    counts = {c["check"]: c["count"] for c in here["checks"]}
    assert counts["duplicates"] == 1 and counts["rules"] == 1  # something to compare
    tab_here = tabulate(visit, "visit", filters=filters, language="ru")
    with Aside(
        visit,
        form_id="visit",
        language="ru",
        filters=filters,
        jobs=("tabulation", "checks"),
        aside=True,
    ) as pending:
        given = _spy(pending)
        tab = pending.tabulation()
        checks = pending.checks()
    assert given and set(given[0]) == {"tabulation", "checks"}, "no results from aside"
    assert to_json(tab) == to_json(tab_here) and tab.reports == 3  # Almaty only
    assert tab.behind("sealed", "no") == tab_here.behind("sealed", "no")  # reads the mission
    assert checks_json(checks) == here


def test_aside__rules_only__the_same_checks_as_in_process(visit: Mission) -> None:
    _break_a_rule(visit)
    here = checks_json(run_checks(visit, form_id="visit", language="ru"))
    with Aside(visit, form_id="visit", language="ru", jobs=("rules",), aside=True) as pending:
        given = _spy(pending)
        report = pending.checks()
    assert given and len(given[0]["rules"]) == 1, "no rules check from aside"
    assert checks_json(report) == here


def test_aside__small_mission__worked_out_here(visit: Mission) -> None:
    with Aside(visit, form_id="visit", language="en", jobs=("checks",)) as pending:
        assert not pending.aside  # six reports: not worth a second process
        assert checks_json(pending.checks()) == checks_json(run_checks(visit, form_id="visit"))


@pytest.mark.parametrize("jobs", [("tabulation", "checks"), ("rules",)])
def test_aside__a_failing_second_process__the_export_does_the_work(
    visit: Mission, monkeypatch: pytest.MonkeyPatch, jobs: tuple[str, ...]
) -> None:
    _break_a_rule(visit)
    failing = [sys.executable, "-c", "import sys; sys.stdout.write('garbage'); sys.exit(1)"]
    monkeypatch.setattr(aside_module, "_command", lambda: failing)
    with Aside(visit, form_id="visit", language="en", jobs=jobs, aside=True) as pending:
        assert pending.aside
        assert pending._result("checks") is None and pending._result("rules") is None
        tab = pending.tabulation()
        report = pending.checks()
    assert checks_json(report) == checks_json(run_checks(visit, form_id="visit"))
    assert to_json(tab) == to_json(tabulate(visit, "visit"))


def test_aside__a_job_failing_there__done_here(visit: Mission, tmp_path: Path) -> None:
    results = aside_module.work(
        {
            "path": str(visit.path),
            "form_id": "ghost",  # no such form: each job fails
            "language": "en",
            "filters": Filters(),
            "jobs": ("tabulation", "checks"),
        }
    )
    assert results == {"tabulation": None, "checks": None}


def test_aside__the_second_process_fails_on_a_file_it_cannot_read(tmp_path: Path) -> None:
    request = {
        "path": str(tmp_path / "gone.pollcheck"),
        "form_id": "visit",
        "language": "en",
        "filters": Filters(),
        "jobs": ("checks",),
    }
    done = subprocess.run(
        [sys.executable, "-m", "exports.aside"],
        input=pickle.dumps(request),
        capture_output=True,
        env=aside_module._environment(),
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == b""


def test_aside__stopped_when_the_export_ends_without_it(
    visit: Mission, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = [sys.executable, "-c", "import sys, time; sys.stdin.buffer.read(); time.sleep(60)"]
    monkeypatch.setattr(aside_module, "_command", lambda: slow)
    with Aside(visit, form_id="visit", language="en", jobs=("checks",), aside=True) as pending:
        process = pending._process
        assert process is not None and process.poll() is None
    assert process.poll() is not None, "the second process still runs after the export"


def test_aside__the_workbook_is_the_same(
    visit: Mission, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = export_xlsx(visit, tmp_path / "here.xlsx", form_id="visit", language="ru")
    monkeypatch.setattr(aside_module, "ASIDE_FROM", 1)
    monkeypatch.setattr(aside_module, "idle_core", lambda: True)
    started = []
    real = aside_module.subprocess.Popen
    monkeypatch.setattr(
        aside_module.subprocess, "Popen", lambda *a, **k: started.append(a) or real(*a, **k)
    )
    aside = export_xlsx(visit, tmp_path / "aside.xlsx", form_id="visit", language="ru")
    assert started, "the export did not start a second process"

    def sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
        book = openpyxl.load_workbook(path, read_only=True)
        out = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
        book.close()
        return out

    one, two = sheets(here), sheets(aside)
    assert set(one) == set(two)
    for title in one:
        if title != "О выгрузке":  # the time of export differs
            assert one[title] == two[title], title
    assert len(two["Проверки"]) > 1


def test_launcher_hands_the_flag_to_the_second_process(
    visit: Mission,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    import io

    from gui.launcher import CHILD_FLAG as LAUNCHER_FLAG
    from gui.launcher import main

    assert LAUNCHER_FLAG == CHILD_FLAG
    request = {
        "path": str(visit.path),
        "form_id": "visit",
        "language": "en",
        "filters": Filters(),
        "jobs": ("checks",),
    }
    stdin = io.TextIOWrapper(io.BytesIO(pickle.dumps(request)))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main([CHILD_FLAG]) == 0
    results = pickle.loads(capsysbinary.readouterr().out)  # noqa: S301 - written just above
    assert checks_json(results["checks"]) == checks_json(run_checks(visit, form_id="visit"))


def test_idle_core__from_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aside_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(aside_module.os, "getloadavg", lambda: (1.2, 1.0, 1.0), raising=False)
    assert aside_module.idle_core()  # the export itself, and a little more
    monkeypatch.setattr(aside_module.os, "getloadavg", lambda: (1.8, 1.0, 1.0), raising=False)
    assert not aside_module.idle_core()  # both cores busy: the work is done in the export

    def no_load() -> tuple[float, float, float]:
        raise OSError

    monkeypatch.setattr(aside_module.os, "getloadavg", no_load, raising=False)
    assert aside_module.idle_core()
