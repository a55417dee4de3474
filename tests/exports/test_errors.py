"""The exporters' errors say what went wrong and how to fix it, in the interface's language."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from db.mission import Mission
from exports.errors import KnownError
from exports.pdf import export_pdf


def test_export__folder_missing__known_error_in_english_and_russian(
    visit: Mission, tmp_path: Path
) -> None:
    out = tmp_path / "nope" / "report.pdf"
    with pytest.raises(KnownError) as caught:
        export_pdf(visit, out, form_id="visit", kind="findings")
    error = caught.value
    assert error.code == "export.cannot_write"
    assert error.text("en").startswith(f"{out}: cannot write the export (")
    assert "disk has space" in error.text("en")
    assert error.text("ru").startswith(f"{out}: не удается записать файл выгрузки (")
    assert "на диске есть место" in error.text("ru")
    assert not out.parent.exists()


def test_cannot_write__reason_from_the_system__kept_as_given() -> None:
    from exports.errors import cannot_write

    error = cannot_write(Path("x.xlsx"), OSError(errno.ENOSPC, "No space left on device"))
    assert "(No space left on device)" in error.text("en")
    assert "(No space left on device)" in error.text("ru")
