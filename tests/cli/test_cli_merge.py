"""The `pollcheck kit`, `kits`, `send`, `merge` and `merge-log` commands: output, exit codes, --json and --dry-run."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from db.mission import open_mission
from db.reports import create_report
from db.stations import Station, add_station, list_stations

VISIT = """
| survey   |               |            |                     |
|          | type          | name       | label::English (en) |
|          | text          | comment    | Comment             |
| settings |               |            |                     |
|          | form_id       | form_title | version             |
|          | visit         | Visit      | 1                   |
"""
STATIONS_CSV = "code,number,region\nALM-1,1,Алматы\nAST-1,1,Астана\n"


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def hq(tmp_path: Path, xlsform: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "hq.pollcheck"
    stations = tmp_path / "stations.csv"
    stations.write_text(STATIONS_CSV, encoding="utf-8")
    assert cli(capsys, "new", path, "--title", "Выборы", "--form", xlsform(VISIT))[0] == 0
    assert cli(capsys, "stations", "import", path, stations)[0] == 0
    return path


def observer_file(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, station: str
) -> Path:
    """A kit for ``name``, one report filled in it, and the file sent: what comes back."""
    kit = tmp_path / f"kit-{name}.pollcheck"
    assert cli(capsys, "kit", hq, kit, "--observer", name)[0] == 0
    with open_mission(kit) as m:
        create_report(m, "visit", device=name, observer=name, station_code=station)
    sent = tmp_path / f"{name}.pollcheck"
    code, out, _ = cli(capsys, "send", kit, sent)
    assert code == 0 and "checked" in out
    return sent


def test_kit__region_and_observer__says_what_it_holds(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys, "kit", hq, tmp_path / "k.pollcheck", "--observer", "Айгуль", "--region", "Астана"
    )
    assert code == 0, err
    assert "1 form, 1 station in 1 region, 0 reports of Айгуль" in out


def test_kits__made_then_one_file_back__table_json_and_who_is_missing(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "kits", hq)[1] == "No kit made from this file yet.\n"
    a = observer_file(hq, tmp_path, capsys, "Айгуль", "ALM-1")  # a kit made, filled, sent
    code, _, err = cli(capsys, "kit", hq, tmp_path / "e.pollcheck", "--observer", "Ерлан")
    assert code == 0, err
    assert cli(capsys, "merge", hq, a)[0] == 0

    code, out, _ = cli(capsys, "kits", hq)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["MADE", "AT", "FILE", "OBSERVER", "STATIONS"]
    assert lines[1].split()[1:5] == ["kit-Айгуль.pollcheck", "Айгуль", "2", "0"]
    assert lines[1].endswith("(1 file)  all")
    assert lines[2].split()[1:] == ["e.pollcheck", "Ерлан", "2", "0", "not", "yet", "all"]
    assert lines[-1] == "2 kits made; 1 back, 1 not yet: Ерлан"
    code, out, _ = cli(capsys, "kits", hq, "--json")
    kits = json.loads(out)
    assert [(k["observer"], k["files_back"]) for k in kits] == [("Айгуль", 1), ("Ерлан", 0)]
    assert kits[0]["last_back"] and kits[1]["last_back"] is None and kits[1]["regions"] == []


def test_kit__each_observer__one_kit_each_in_the_folder_existing_left_alone(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "kits"
    code, _, err = cli(capsys, "kit", hq, folder, "--each-observer")
    assert code == 1 and "no such folder" in err
    folder.mkdir()
    code, _, err = cli(capsys, "kit", hq, folder, "--each-observer")
    assert code == 1 and "has no observers yet" in err
    roster = tmp_path / "roster.csv"
    roster.write_text("ФИО,Команда\nАйгуль,Т-1\nЕрлан,Т-2\n", encoding="utf-8")
    code, out, err = cli(capsys, "observers", "import", hq, roster)
    assert (code, out) == (
        0,
        "Observers (read as utf-8): 2 added, 0 with a new team, 0 unchanged\n",
    )
    assert cli(capsys, "observers", "list", hq)[1].splitlines() == [
        "Айгуль  Т-1",
        "Ерлан   Т-2",
        "2 observers",
    ]
    (folder / "Ерлан kit.pollcheck").write_text("someone's file", encoding="utf-8")
    code, out, err = cli(capsys, "kit", hq, folder, "--each-observer", "--region", "Алматы")
    assert code == 0, err
    assert out.splitlines() == [
        f"Wrote the kit {folder / 'Айгуль kit.pollcheck'}",
        f"Left alone: {folder / 'Ерлан kit.pollcheck'} is there already",
        f"1 kit written, one per observer, to {folder}",
    ]
    with open_mission(folder / "Айгуль kit.pollcheck", readonly=True) as kit:
        assert [s.code for s in list_stations(kit)] == ["ALM-1"]
    assert "Айгуль" in cli(capsys, "kits", hq)[1]
    code, _, err = cli(capsys, "kit", hq, folder, "--each-observer", "--observer", "Ерлан")
    assert code == 1 and "leave out --observer" in err


def test_kit__out_exists__one_line_error_exit_1(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "kit", hq, hq)
    assert code == 1 and "the file being copied" in err and "Traceback" not in err
    other = tmp_path / "other.pollcheck"
    other.write_text("someone's file", encoding="utf-8")
    code, _, err = cli(capsys, "kit", hq, other)
    assert code == 1 and "exists already" in err and len(err.splitlines()) == 1


def test_merge__two_files_and_one_again__table_and_exit_0(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = observer_file(hq, tmp_path, capsys, "Айгуль", "ALM-1")
    b = observer_file(hq, tmp_path, capsys, "Ерлан", "AST-1")
    code, out, err = cli(capsys, "merge", hq, a, b, a)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["FILE", "NEW", "NEWER", "SAME", "OLDER", "CONFLICTS", "OUTCOME"]
    assert lines[1].split() == ["Айгуль.pollcheck", "1", "0", "0", "0", "0", "merged"]
    assert lines[2].split() == ["Ерлан.pollcheck", "1", "0", "0", "0", "0", "merged"]
    assert lines[3].split() == ["Айгуль.pollcheck", "0", "0", "1", "0", "0", "nothing", "new"]
    assert lines[-1] == "3 of 3 files merged"


def test_merge__a_refused_file__reason_printed_exit_1_others_merged(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = observer_file(hq, tmp_path, capsys, "Айгуль", "ALM-1")
    bad = tmp_path / "photo.pollcheck"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(500))
    code, out, _ = cli(capsys, "merge", hq, bad, a)
    assert code == 1
    assert "photo.pollcheck" in out and "refused" in out
    assert "M102: this is not a Pollcheck mission file" in out
    assert "'Prepare file for HQ'" in out
    assert out.splitlines()[-1] == "1 of 2 files merged; 1 refused"


def test_merge__json__machine_readable_list(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = observer_file(hq, tmp_path, capsys, "Айгуль", "ALM-1")
    missing = tmp_path / "missing.pollcheck"
    code, out, _ = cli(capsys, "merge", hq, a, missing, "--json")
    assert code == 1
    rows = json.loads(out)
    assert [r["outcome"] for r in rows] == ["merged", "refused"]
    assert rows[0]["reports_new"] == 1 and rows[0]["sha256"] == sha256(a)
    assert rows[1]["problems"][0]["code"] == "M101"


def test_merge_log__merges_refusals_not_dry_runs__text_and_json(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "merge-log", hq)
    assert (code, out) == (0, "No file merged yet.\n")
    a = observer_file(hq, tmp_path, capsys, "Айгуль", "ALM-1")
    bad = tmp_path / "photo.pollcheck"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(500))
    assert cli(capsys, "merge", hq, a, "--dry-run")[0] == 0  # not logged: nothing was merged
    assert cli(capsys, "merge", hq, a, bad, a)[0] == 1

    code, out, _ = cli(capsys, "merge-log", hq)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "MERGED", "AT", "FILE", "NEW", "NEWER", "SAME", "OLDER", "CONFLICTS", "OUTCOME", "SHA-256"
    ]  # fmt: skip
    assert lines[1].split()[1:] == [
        "Айгуль.pollcheck",
        "1",
        "0",
        "0",
        "0",
        "0",
        "merged",
        sha256(a),
    ]
    assert lines[2].split()[1:] == ["photo.pollcheck", *"-----", "refused", sha256(bad)]
    assert lines[3].startswith("    photo.pollcheck: this is not a Pollcheck mission file")
    assert lines[4].split()[1:] == ["Айгуль.pollcheck", *"00100", "nothing", "new", sha256(a)]
    assert lines[-1] == "3 merges logged"

    code, out, _ = cli(capsys, "merge-log", hq, "--json")
    logged = json.loads(out)
    assert [m["outcome"] for m in logged] == ["merged", "refused", "nothing new"]
    assert logged[0]["devices"] == ["Айгуль"] and logged[0]["reports_new"] == 1
    assert logged[0]["copy_id"] and logged[0]["merged_at"].endswith("Z")
    assert logged[1]["problems"] == ["M102"] and logged[1]["sha256"] == sha256(bad)
    assert logged[2]["reports_unchanged"] == 1 and logged[2]["reason"] == ""


def test_merge_log__registry_differences__counted_under_the_file(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = observer_file(hq, tmp_path, capsys, "Айгуль", "ALM-1")
    with open_mission(a) as m:
        add_station(m, Station(code="ALM-1", number="1", region="Алматы", name="Школа № 7"))
        add_station(m, Station(code="ALM-2", number="2", region="Алматы"))
    assert cli(capsys, "merge", hq, a)[0] == 0
    lines = cli(capsys, "merge-log", hq)[1].splitlines()
    assert lines[2] == "    1 station added; 1 station differing from the registry (kept)"


def test_merge__dry_run__same_table_nothing_written(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = observer_file(hq, tmp_path, capsys, "Айгуль", "ALM-1")
    before = sha256(hq)
    code, dry, _ = cli(capsys, "merge", hq, a, a, "--dry-run", "--json")
    assert code == 0 and sha256(hq) == before
    code, real, _ = cli(capsys, "merge", hq, a, a, "--json")
    assert code == 0 and json.loads(dry) == json.loads(real)
    code, out, _ = cli(capsys, "merge", hq, a, "--dry-run")
    assert out.splitlines()[-1] == "1 of 1 file would be merged; dry run: nothing was written"


def test_merge__real_entry_point__cyrillic_names_and_exit_codes(
    hq: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = observer_file(hq, tmp_path, capsys, "Айгуль", "ALM-1")
    script = Path(sys.executable).with_name("pollcheck")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gui.launcher"]
    result = subprocess.run(
        [*command, "merge", str(hq), str(a)],
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Айгуль.pollcheck" in result.stdout and "merged" in result.stdout
