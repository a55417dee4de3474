"""The PDFs read back with pypdf (not reportlab): station codes, answers, Cyrillic, no markup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pypdf
import pytest

from db.errors import InputError
from db.mission import Mission
from db.stations import Station, add_station
from db.tabulate import Filters
from exports import fonts
from exports.errors import ExportCancelled, FontMissingError
from exports.fonts import REGULAR, register_fonts
from exports.pdf import WIDTH, export_pdf, wrap
from tests.exports.conftest import TOKEN, report


def text_of(path: Path) -> list[str]:
    """Each page's text, extracted by pypdf."""
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def flat(pages: list[str]) -> str:
    """All pages' text with line breaks dropped (wrapped text reads as one)."""
    return re.sub(r"\s*\n\s*", " ", "\n".join(pages))


def images(path: Path) -> int:
    count = 0
    for page in pypdf.PdfReader(path).pages:
        resources: Any = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        count += len(xobjects)
    return count


def test_stations_pdf__english__one_section_per_report_with_answers(
    visit: Mission, tmp_path: Path
) -> None:
    out = export_pdf(visit, tmp_path / "s.pdf", kind="stations", form_id="visit")

    pages = text_of(out)
    starts = [i for i, p in enumerate(pages) if re.search(r"Report \d of 5", p)]
    assert len(starts) == 5 and starts[0] == 0  # each report starts a page
    first = flat(pages[: starts[1]])
    assert "Station #54 [AKM-54]" in first and "Akmola, Kokshetau" in first
    whole = flat(pages)
    for code in ("ALM-108", "ALM-361", "AKM-54", "SHY-186"):
        assert code in whole
    assert "Box sealed? (finding)" in whole and "Police officers; Local officials" in whole
    assert "Page 1" in pages[0] and "mission.pollcheck" in pages[0] and "UTC" in pages[0]
    assert "Қазақ тілі: әғқңөұүһі" in whole  # Kazakh letters, from the embedded DejaVu Sans


def test_stations_pdf__russian__labels_and_answers_in_russian(
    visit: Mission, tmp_path: Path
) -> None:
    out = export_pdf(
        visit,
        tmp_path / "s.pdf",
        kind="stations",
        form_id="visit",
        language="ru",
        stations=["ALM-108"],
    )

    whole = flat(text_of(out))
    assert "Урна опечатана?" in whole and "Нет" in whole
    assert "Полиция; Чиновники" in whole and "Сводка по участку" in whole
    assert "Толкали наблюдателя" in whole and "Насилие" in whole
    assert "Статус: заполнен" in whole and "ред. 1" in whole  # not "complete", "rev."
    assert "complete" not in whole
    assert "AKM-54" not in whole  # one station asked for


def test_stations_pdf__markup_in_answers__printed_as_text(visit: Mission, tmp_path: Path) -> None:
    out = export_pdf(visit, tmp_path / "s.pdf", kind="stations", form_id="visit")

    whole = flat(text_of(out))
    assert "<b>unclosed <img src='/etc/passwd'/>" in whole
    assert '=HYPERLINK("http://evil.example/","click")' in whole
    assert images(out) == 0  # nothing was embedded from the disk


def test_stations_pdf__10000_chars_and_2000_char_token__wrapped_in_full(
    visit: Mission, tmp_path: Path
) -> None:
    out = export_pdf(
        visit, tmp_path / "s.pdf", kind="stations", form_id="visit", stations=["SHY-186"]
    )

    pages = text_of(out)
    assert len(pages) >= 3
    # the text of the pages without their headers and footers, spaces and line breaks
    body = [
        line
        for page in pages
        for line in page.splitlines()
        if not re.match(r"(Test mission|Station summary|Exported|Page \d)", line.strip())
    ]
    joined = re.sub(r"\s", "", "".join(body))
    assert TOKEN in joined  # every character of the unbroken token is there, over many lines
    assert joined.count("Оченьдлинныйответнаблюдателя") == 303  # all of the 10,000 characters


def test_wrap__unbroken_token__lines_fit_the_width() -> None:
    register_fonts()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = wrap("start " + TOKEN + " end", REGULAR, 10, WIDTH)
    assert "".join(lines).replace("start", "").replace("end", "").strip() == TOKEN
    assert all(stringWidth(line, REGULAR, 10) <= WIDTH for line in lines)


def test_stations_pdf__unknown_station__input_error(visit: Mission, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'XYZ-1'"):
        export_pdf(visit, tmp_path / "s.pdf", kind="stations", form_id="visit", stations=["XYZ-1"])
    with pytest.raises(InputError, match="stations or findings"):
        export_pdf(visit, tmp_path / "s.pdf", kind="poster", form_id="visit")


def test_findings_pdf__english__cover_findings_stations_by_region_and_checks(
    visit: Mission, tmp_path: Path
) -> None:
    out = export_pdf(visit, tmp_path / "f.pdf", kind="findings", form_id="visit")

    pages = text_of(out)
    whole = flat(pages)
    assert pages[0].startswith("Test mission") or "Findings report" in pages[0]
    assert "5 reports from 4 stations" in whole
    assert "4 of 4 stations in the registry visited (100.0%)" in whole
    # ordered by stations: the two findings at 2 stations before those at 1
    assert whole.index("2. Box sealed?") < whole.index("3. Voters added")
    assert "2 stations, 2 reports: 40.0% of 5 reports answering" in whole
    assert "Akmola (1): #54" in whole and "Almaty (1): #108" in whole
    assert "Quality checks" in whole and "Duplicate visits" in whole
    assert "Findings by region" in whole


def test_findings_pdf__russian_with_a_sample__intervals_and_cyrillic(
    visit: Mission, tmp_path: Path
) -> None:
    from db.sample import declare_sample

    declare_sample(visit, "simple")
    out = export_pdf(visit, tmp_path / "f.pdf", kind="findings", form_id="visit", language="ru")

    whole = flat(text_of(out))
    assert "Отчет о нарушениях" in whole and "Урна опечатана?" in whole
    assert "Шымкент" in whole and "95% доверительный интервал" in whole
    assert "Повторные посещения" in whole and "Duplicate" not in whole  # the checks, in Russian


def test_findings_pdf__markup_in_registry_names__escaped(visit: Mission, tmp_path: Path) -> None:
    add_station(
        visit, Station(code="BAD-1", number="<font size=80>1</font>", region="<b>Evil & Co")
    )
    report(visit, "BAD-1", {"sealed": "no"})

    out = export_pdf(visit, tmp_path / "f.pdf", kind="findings", form_id="visit")

    whole = flat(text_of(out))
    assert "<b>Evil & Co (1): #<font size=80>1</font>" in whole
    assert images(out) == 0


def test_findings_pdf__filters__shown_and_applied(visit: Mission, tmp_path: Path) -> None:
    out = export_pdf(
        visit,
        tmp_path / "f.pdf",
        kind="findings",
        form_id="visit",
        filters=Filters(region="Almaty"),
    )
    whole = flat(text_of(out))
    assert "Filters: Region: Almaty" in whole and "3 reports from 2 stations" in whole


def test_export_pdf__cancelled__no_file_left(visit: Mission, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportCancelled):
        export_pdf(
            visit, folder / "f.pdf", kind="findings", form_id="visit", cancelled=lambda: True
        )
    assert not list(folder.iterdir())


def test_register_fonts__file_missing__clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "_registered", False)
    monkeypatch.setattr(fonts, "resource", lambda *parts: tmp_path.joinpath(*parts))

    with pytest.raises(FontMissingError, match=r"DejaVuSans\.ttf is missing") as caught:
        register_fonts()
    assert "DejaVuSans.ttf отсутствует" in caught.value.text("ru")


def test_fonts__shipped_with_their_licence() -> None:
    from resources import resource

    for filename in fonts.FILES.values():
        assert resource("fonts", filename).read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert "Bitstream Vera" in resource("fonts", "LICENSE-DejaVu.txt").read_text()
