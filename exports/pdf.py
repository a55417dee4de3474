"""PDF documents of a form's reports: station summaries, and the findings report.

Station summaries are drawn straight on reportlab's canvas (one report per section, each on a
new page): plain text lines wrapped by measured width, which is fast (hundreds of pages a
second) and cannot be tricked by markup, since canvas text is never parsed. The findings report
uses platypus paragraphs and tables; every piece of user text entering a paragraph is escaped
first (:func:`para`). Both use DejaVu Sans, shipped in resources/fonts, so Cyrillic and Kazakh
letters print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from db.errors import InputError
from db.forms import get_form
from db.mission import Mission
from db.tabulate import Filters, check_language, collection_paused
from exports.errors import ExportCancelled
from exports.fonts import BOLD, REGULAR, register_fonts
from exports.output import atomic_output
from exports.records import (
    Answers,
    Cancelled,
    Findings,
    Progress,
    Record,
    fetch_records,
)
from exports.words import words
from forms.model import Form, Group, Question

KINDS = ("stations", "findings")
PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
TOP = PAGE_H - 22 * mm
BOTTOM = 18 * mm
WIDTH = PAGE_W - 2 * MARGIN
# Table cells show at most this much of an answer; the whole of it follows the table.
CELL_CHARS = 160
_FINDING_FILL = colors.Color(1, 0.89, 0.87)
_FINDING_MARK = colors.Color(0.75, 0.1, 0.1)
_GREY = colors.Color(0.35, 0.35, 0.35)
_RULE = colors.Color(0.75, 0.75, 0.75)


def export_pdf(
    mission: Mission,
    out: Path,
    *,
    kind: str,
    form_id: str,
    stations: Sequence[str] = (),
    language: str | None = None,
    filters: Filters | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Path:
    """Write a PDF of form ``form_id``'s reports to ``out`` (atomically).

    Args:
        kind: ``stations`` (a summary of each report, each from a new page) or ``findings``
            (the findings report for a statement).
        stations: station codes to print (``stations`` kind; default: every report).
        language: the language of labels and answers (default: the form's).
        filters: which reports count, as in :func:`db.tabulate.tabulate`.

    Raises:
        InputError: no such form, language, kind or station.
        FontMissingError: the shipped fonts are missing (a broken installation).
        ExportCancelled: ``cancelled`` said so; nothing was written.
        KnownError: ``out`` cannot be written.
    """
    if kind not in KINDS:
        raise InputError(f"PDF kind {kind!r}: use stations or findings.")
    filters = filters or Filters()
    form = get_form(mission, form_id)
    lang = check_language(form, language)
    register_fonts()
    if kind == "stations":
        records = fetch_records(mission, form_id, filters, stations=stations)
        with atomic_output(Path(out)) as tmp:
            _stations_pdf(mission, form, lang, records, tmp, progress, cancelled)
    else:
        from exports.pdf_findings import findings_pdf

        # The garbage collector is paused, as for the workbook (see exports/xlsx.py): the
        # tabulation and the checks hold every report's answers, none in cycles.
        with atomic_output(Path(out)) as tmp, collection_paused():
            findings_pdf(mission, form, lang, filters, tmp, progress, cancelled)
    return Path(out)


def export_time() -> str:
    """The time of an export as printed: ``2026-12-06 18:04 UTC``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- text that fits --------------------------------------------------------------------------


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``: broken at spaces, and inside words that are
    wider than a line by themselves (a 2,000-character token wraps like any other text)."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not paragraph.strip():
            lines.append("")
            continue
        if stringWidth(paragraph, font, size) <= width:
            lines.append(paragraph)
            continue
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while stringWidth(word, font, size) > width:
                cut = _fits(word, font, size, width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _fits(word: str, font: str, size: float, width: float) -> int:
    """How many leading characters of ``word`` fit in ``width`` (at least one)."""
    low, high = 1, len(word)
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(word[:mid], font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit_line(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line of ``width``, cut with an ellipsis when longer."""
    text = _printable(text).replace("\n", " ")
    if stringWidth(text, font, size) <= width:
        return text
    return text[: max(1, _fits(text, font, size, width - stringWidth("…", font, size)))] + "…"


def _printable(text: str) -> str:
    # Control characters have no glyph; a tab reads as a space.
    return "".join(c if c >= " " or c == "\n" else " " if c == "\t" else "" for c in text)


# -- station summaries -----------------------------------------------------------------------


@dataclass
class _Doc:
    """Where the next line goes on the current page, and what every page carries."""

    canvas: Canvas
    header_left: str
    header_right: str
    footer_left: str
    page: int = 0
    y: float = 0.0
    w: dict[str, str] | None = None

    def new_page(self) -> None:
        c = self.canvas
        if self.page:
            c.showPage()
        self.page += 1
        c.setFont(REGULAR, 8)
        c.setFillColor(_GREY)
        right = fit_line(self.header_right, REGULAR, 8, WIDTH * 0.45)
        room = WIDTH - stringWidth(right, REGULAR, 8) - 12
        c.drawString(MARGIN, PAGE_H - 12 * mm, fit_line(self.header_left, REGULAR, 8, room))
        c.drawRightString(PAGE_W - MARGIN, PAGE_H - 12 * mm, right)
        c.setStrokeColor(_RULE)
        c.line(MARGIN, PAGE_H - 14 * mm, PAGE_W - MARGIN, PAGE_H - 14 * mm)
        c.line(MARGIN, 12 * mm, PAGE_W - MARGIN, 12 * mm)
        c.drawString(MARGIN, 8 * mm, fit_line(self.footer_left, REGULAR, 8, WIDTH - 60))
        assert self.w is not None
        c.drawRightString(PAGE_W - MARGIN, 8 * mm, f"{self.w['pdf.page']} {self.page}")
        c.setFillColor(colors.black)
        self.y = TOP

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` fits under the current line."""
        if self.y - height < BOTTOM:
            self.new_page()

    def text(
        self,
        text: str,
        *,
        font: str = REGULAR,
        size: float = 9.5,
        indent: float = 0,
        leading: float | None = None,
        color: Any = colors.black,
        fill: Any = None,
    ) -> None:
        """Wrapped text, continued on the next page when it does not fit."""
        leading = leading or size * 1.25
        c = self.canvas
        lines = wrap(_printable(text), font, size, WIDTH - indent - (4 if fill else 0))
        for line in lines:
            self.room(leading)
            if fill is not None:
                c.setFillColor(fill)
                c.rect(MARGIN + indent - 2, self.y - leading + 2.5, WIDTH - indent + 2, leading,
                       stroke=0, fill=1)  # fmt: skip
            c.setFillColor(color)
            c.setFont(font, size)
            c.drawString(MARGIN + indent + (2 if fill else 0), self.y - size, line)
            self.y -= leading
        c.setFillColor(colors.black)

    def gap(self, height: float) -> None:
        self.y -= height

    def rule(self) -> None:
        self.room(4)
        self.canvas.setStrokeColor(_RULE)
        self.canvas.line(MARGIN, self.y - 1, PAGE_W - MARGIN, self.y - 1)
        self.y -= 4


def _stations_pdf(
    mission: Mission,
    form: Form,
    language: str,
    records: Sequence[Record],
    path: Path,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    w = words(language)
    info = mission.info()
    title = info.title + (f" — {w['pdf.synthetic']}" if info.synthetic else "")
    canvas = Canvas(str(path), pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{w['pdf.station_summary']}: {info.title}")
    canvas.setAuthor("Pollcheck")
    canvas.setCreator("Pollcheck")
    doc = _Doc(
        canvas,
        header_left=title,
        header_right=f"{w['pdf.station_summary']} · {form.title_in(language)}",
        footer_left=(
            f"{w['pdf.exported']} {export_time()} · {w['pdf.mission_file']}: "
            f"{Path(mission.path).name}"
        ),
        w=w,
    )
    answers = Answers(form, language, "labels")
    rules = Findings(form)
    if not records:
        doc.new_page()
        doc.text(w["pdf.no_reports"], font=BOLD, size=12)
    for n, record in enumerate(records, start=1):
        if cancelled is not None and n % 20 == 0 and cancelled():
            raise ExportCancelled("The export was cancelled; no file was written.")
        doc.new_page()
        _report(doc, form, language, answers, rules, record, n, len(records), title, w)
        if progress is not None and (n % 20 == 0 or n == len(records)):
            progress(n, len(records))
    canvas.save()


def _report(
    doc: _Doc,
    form: Form,
    language: str,
    answers: Answers,
    rules: Findings,
    r: Record,
    n: int,
    total: int,
    title: str,
    w: dict[str, str],
) -> None:
    doc.text(w["pdf.contents"].format(n=n, total=total), size=8, color=_GREY)
    doc.text(title, font=BOLD, size=11)
    station = r.station_code or w["pdf.no_station"]
    heading = f"{w['pdf.station']} #{r.number}" if r.number else f"{w['pdf.station']} {station}"
    if r.number and r.station_code:
        heading += f" [{r.station_code}]"
    doc.gap(2)
    doc.text(heading, font=BOLD, size=15, leading=19)
    place = ", ".join(p for p in (r.region, r.district) if p)
    if place:
        doc.text(place, size=10.5)
    for part in (r.station_name, r.address):
        if part:
            doc.text(part, size=9.5, color=_GREY)
    doc.gap(3)
    times = " / ".join(t.replace("T", " ").removesuffix("Z") for t in (r.started, r.submitted) if t)
    for label, value in (
        (w["pdf.observer"], r.observer or "—"),
        (w["pdf.times"], times or "—"),
        (
            w["pdf.status"],
            f"{w.get('status.' + r.status, r.status)} · {w['pdf.report']} {r.uuid}"
            f" · {w['pdf.revision']} {r.revision}",
        ),
    ):
        doc.text(f"{label}: {value}", size=9)
    found = rules.of_report(r.answers)
    labels = [form.question(name).label(language) for name in found]
    doc.gap(2)
    doc.text(
        f"{w['pdf.findings_in_report']}: {len(found)}"
        + (f" — {'; '.join(labels)}" if found else ""),
        font=BOLD,
        size=9,
        color=_FINDING_MARK if found else colors.black,
    )
    doc.rule()
    _items(doc, form, language, answers, rules, form.children, r.answers, r.answers.get, 0)


def _answered(items: Sequence[Question | Group], values: dict[str, Any]) -> bool:
    for item in items:
        if isinstance(item, Question):
            if item.takes_answer and values.get(item.name) is not None:
                return True
        elif item.repeat:
            if values.get(item.name):
                return True
        elif _answered(item.children, values):
            return True
    return False


def _items(
    doc: _Doc,
    form: Form,
    language: str,
    answers: Answers,
    rules: Findings,
    items: Sequence[Question | Group],
    values: dict[str, Any],
    lookup: Callable[[str], Any],
    depth: int,
) -> None:
    for item in items:
        if isinstance(item, Question):
            value = values.get(item.name)
            if not item.takes_answer or value is None:
                continue
            finding = rules.holds(item, value, lookup)
            _question(doc, item, language, answers.text(item, value), finding, depth, w=doc.w)
        elif item.repeat:
            rows = values.get(item.name)
            if isinstance(rows, list) and rows:
                _repeat(doc, form, language, answers, rules, item, rows, lookup, depth)
        elif _answered(item.children, values):
            doc.room(30)
            doc.gap(4 if depth else 6)
            doc.text(item.label(language), font=BOLD, size=11.5 - depth, indent=depth * 6)
            _items(doc, form, language, answers, rules, item.children, values, lookup, depth + 1)


def _question(
    doc: _Doc,
    q: Question,
    language: str,
    text: str,
    finding: bool,
    depth: int,
    *,
    w: dict[str, str] | None,
) -> None:
    indent = depth * 6
    doc.room(26)
    doc.gap(2)
    label = q.label(language)
    if finding and w is not None:
        label = f"■ {label} ({w['pdf.finding']})"
    doc.text(label, size=8.5, color=_FINDING_MARK if finding else _GREY, indent=indent)
    doc.text(
        text,
        font=BOLD if finding else REGULAR,
        size=10,
        indent=indent + 6,
        fill=_FINDING_FILL if finding else None,
    )


def _repeat(
    doc: _Doc,
    form: Form,
    language: str,
    answers: Answers,
    rules: Findings,
    group: Group,
    rows: list[Any],
    outer: Callable[[str], Any],
    depth: int,
) -> None:
    """A repeat as a table: one row per repeat row; long answers cut, then given in full."""
    questions = [q for q in _flat(group.children) if q.takes_answer]
    nested = [g for g in _groups(group.children) if g.repeat]
    doc.room(40)
    doc.gap(6)
    doc.text(f"{group.label(language)} ({len(rows)})", font=BOLD, size=11 - depth * 0.5)
    if not questions:
        return
    weights = [3.0 if q.type == "text" else 1.4 for q in questions]
    number_w = 18.0
    scale = (WIDTH - number_w) / sum(weights)
    widths = [number_w] + [wt * scale for wt in weights]
    heads = ["#"] + [q.label(language) for q in questions]
    _table_row(doc, heads, widths, bold=True, fills=None)
    long: list[tuple[str, str]] = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue

        def lookup(ref: str, row: dict[str, Any] = row) -> Any:
            return row.get(ref, outer(ref))

        cells, fills = [str(i)], [None]
        for q in questions:
            value = row.get(q.name)
            text = answers.text(q, value) if value is not None else ""
            if len(text) > CELL_CHARS:
                long.append((f"{group.label(language)} {i}: {q.label(language)}", text))
                text = clip(text, CELL_CHARS) + " [*]"
            cells.append(text)
            fills.append(_FINDING_FILL if rules.holds(q, value, lookup) else None)
        _table_row(doc, cells, widths, bold=False, fills=fills)
        for g in nested:
            inner = row.get(g.name)
            if isinstance(inner, list) and inner:
                _repeat(doc, form, language, answers, rules, g, inner, lookup, depth + 1)
    for label, text in long:
        doc.gap(3)
        doc.text(f"[*] {label}", size=8.5, color=_GREY)
        doc.text(text, size=9.5, indent=6)


def _flat(items: Sequence[Question | Group]) -> list[Question]:
    out: list[Question] = []
    for item in items:
        if isinstance(item, Question):
            out.append(item)
        elif not item.repeat:
            out.extend(_flat(item.children))
    return out


def _groups(items: Sequence[Question | Group]) -> list[Group]:
    out: list[Group] = []
    for item in items:
        if isinstance(item, Group):
            out.append(item)
            if not item.repeat:
                out.extend(_groups(item.children))
    return out


def _table_row(
    doc: _Doc,
    cells: Sequence[str],
    widths: Sequence[float],
    *,
    bold: bool,
    fills: Sequence[Any] | None,
) -> None:
    size, leading, pad = 8.5, 10.5, 2.5
    # A cell is bold in the header and where its answer is a finding.
    fonts = [
        BOLD if bold or (fills and fills[i] is not None) else REGULAR for i in range(len(cells))
    ]
    wrapped = [
        wrap(_printable(text), font, size, width - 2 * pad)
        for text, width, font in zip(cells, widths, fonts, strict=True)
    ]
    height = max(len(lines) for lines in wrapped) * leading + 2 * pad
    doc.room(height)
    c = doc.canvas
    x = MARGIN
    top = doc.y
    for i, (lines, width) in enumerate(zip(wrapped, widths, strict=True)):
        fill = fills[i] if fills else None
        if bold:
            fill = colors.Color(0.88, 0.9, 0.94)
        if fill is not None:
            c.setFillColor(fill)
            c.rect(x, top - height, width, height, stroke=0, fill=1)
        c.setStrokeColor(_RULE)
        c.rect(x, top - height, width, height, stroke=1, fill=0)
        c.setFillColor(colors.black)
        c.setFont(fonts[i], size)
        y = top - pad - size
        for line in lines:
            c.drawString(x + pad, y, line)
            y -= leading
        x += width
    doc.y = top - height
