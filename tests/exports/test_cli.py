"""`pollcheck export xlsx` and `export pdf` (the CLI over exports/)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pypdf
import pytest

from cli.main import COMMANDS, main
from db.mission import Mission


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_export_xlsx__cli__writes_the_workbook(
    visit: Mission, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.xlsx"
    code, text, _ = run(
        capsys,
        "export",
        "xlsx",
        visit.path,
        out,
        "--form",
        "visit",
        "--language",
        "ru",
        "--values",
        "codes",
        "--region",
        "Almaty",
    )
    assert code == 0 and text.strip() == f"Wrote {out}"
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(min_row=3, values_only=True))
    assert {r[2] for r in rows} == {"ALM-108", "ALM-361"}
    assert "export" in COMMANDS


def test_export_pdf__cli__stations_and_findings(
    visit: Mission, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.pdf"
    code, _, _ = run(
        capsys,
        "export",
        "pdf",
        visit.path,
        out,
        "--form",
        "visit",
        "--kind",
        "stations",
        "--station",
        "AKM-54",
        "--station",
        "SHY-186",
    )
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert code == 0 and "AKM-54" in text and "ALM-108" not in text
    code, _, _ = run(
        capsys,
        "export",
        "pdf",
        visit.path,
        tmp_path / "f.pdf",
        "--form",
        "visit",
        "--kind",
        "findings",
    )
    assert code == 0 and (tmp_path / "f.pdf").stat().st_size > 1000


def test_export__user_mistakes__one_line_and_exit_1(
    visit: Mission, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "export", "pdf", visit.path, tmp_path / "x.pdf", "--form", "visit")
    assert code == 1 and "--kind" in err
    code, _, err = run(
        capsys, "export", "xlsx", visit.path, tmp_path / "no" / "x.xlsx", "--form", "visit"
    )
    assert code == 1 and "cannot write the export" in err and "Traceback" not in err
    code, _, err = run(
        capsys,
        "export",
        "pdf",
        visit.path,
        tmp_path / "x.pdf",
        "--form",
        "visit",
        "--kind",
        "stations",
        "--station",
        "NOPE",
    )
    assert code == 1 and "'NOPE'" in err
