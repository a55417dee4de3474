"""The findings report (PDF): coverage, each finding with its stations by region, checks.

What a mission attaches to its statement. Built with platypus; every piece of text that comes
from a form, a report or the registry goes through :func:`para`, which escapes it, so markup
such as ``<b>``, ``<font size=80>`` or ``<img src=…>`` prints as the characters it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from db.mission import Mission
from db.tabulate import Filters, QuestionTally, Tabulation, tabulate
from exports.aside import Aside
from exports.errors import ExportCancelled
from exports.fonts import BOLD, REGULAR
from exports.pdf import MARGIN, clip, export_time, fit_line
from exports.records import Cancelled, Progress
from exports.words import filters_text, words
from forms.model import Form

# Text in table cells is cut to this many characters (a long unbroken token in a cell makes
# reportlab's tables fail); the full text is printed outside tables.
CELL_CHARS = 120
_REGIONS_PER_TABLE = 7
_GREY = colors.Color(0.35, 0.35, 0.35)
_BAR = colors.Color(0.75, 0.15, 0.15)
_HEAD = colors.Color(0.88, 0.9, 0.94)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: escaped (no markup is honoured), newlines kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=_GREY),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=BOLD, fontSize=8, leading=10),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=20, leading=25),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=14, leading=18, spaceBefore=8, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=10
        ),
        "figure": ParagraphStyle("figure", parent=base, fontName=BOLD, fontSize=10, textColor=_BAR),
        "region": ParagraphStyle("region", parent=base, fontName=BOLD, keepWithNext=1),
        "stations": ParagraphStyle("stations", parent=base, leftIndent=10, spaceAfter=2),
    }


def findings_pdf(
    mission: Mission,
    form: Form,
    language: str,
    filters: Filters,
    path: Path,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    """Write the findings report of ``form`` to ``path``."""
    w = words(language)
    s = _styles()
    info = mission.info()

    def step(n: int) -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled("The export was cancelled; no file was written.")
        if progress is not None:
            progress(n, 4)

    step(0)
    # On a large mission a second process runs the rules check while this one tabulates and
    # runs the other checks (see exports/aside.py).
    with Aside(mission, form_id=form.form_id, language=language, jobs=("rules",)) as pending:
        tab = tabulate(mission, form.form_id, filters=filters, language=language)
        step(1)
        checks = pending.checks()
    step(2)
    stamp = export_time()
    footer = f"{w['pdf.exported']} {stamp} · {w['pdf.mission_file']}: {Path(mission.path).name}"
    header = info.title + (f" — {w['pdf.synthetic']}" if info.synthetic else "")

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(_GREY)
        width, height = A4
        right = w["pdf.findings_report"]
        room = width - 2 * MARGIN - stringWidth(right, REGULAR, 8) - 12
        canvas.drawString(MARGIN, height - 12 * mm, fit_line(header, REGULAR, 8, room))
        canvas.drawRightString(width - MARGIN, height - 12 * mm, right)
        canvas.drawString(MARGIN, 8 * mm, fit_line(footer, REGULAR, 8, width - 2 * MARGIN - 60))
        canvas.drawRightString(width - MARGIN, 8 * mm, f"{w['pdf.page']} {doc.page}")
        canvas.restoreState()

    story: list[Any] = []
    story.append(para(w["pdf.findings_report"], s["title"]))
    story.append(Spacer(1, 4))
    story.append(para(header, s["h1"]))
    form_line = f"{w['pdf.form']}: {tab.title} ({tab.form_id}, v{tab.form_version})"
    story.append(para(form_line, s["base"]))
    story.append(para(f"{w['pdf.filters']}: {filters_text(filters, w)}", s["base"]))
    story.append(para(footer, s["small"]))
    story.append(Spacer(1, 8))
    story.append(para(w["pdf.figures"], s["h2"]))
    story.append(
        para(w["pdf.reports_from"].format(reports=tab.reports, stations=tab.stations), s["base"])
    )
    stations = sum(c.stations for c in checks.coverage)
    visited = sum(c.visited for c in checks.coverage)
    share = f"{100 * visited / stations:.1f}%" if stations else "—"
    of = w["pdf.stations_of"].format(visited=visited, stations=stations, share=share)
    story.append(para(of, s["base"]))
    story.append(para(w["pdf.coverage"], s["h2"]))
    story.append(_coverage_table(checks.coverage, w, s))
    story.append(para(w["pdf.findings"], s["h2"]))
    findings = tab.findings()
    if not findings:
        story.append(para(w["pdf.no_findings"], s["base"]))
    else:
        story.append(_summary_table(findings, w, s))
    story.append(PageBreak())
    for n, q in enumerate(findings, start=1):
        story.extend(_finding(n, q, tab, w, s))
    step(3)
    if findings:
        story.append(PageBreak())
        story.append(para(w["pdf.table_by_region"], s["h1"]))
        story.extend(_region_tables(findings, w, s))
    story.append(para(w["pdf.quality"], s["h1"]))
    rows: list[list[Any]] = [[para(w["check"], s["cellb"]), para(w["count"], s["cellb"])]]
    for check in checks.checks:
        rows.append([para(check.title_in(language), s["cell"]), str(check.count)])
    story.append(_table(rows, [140 * mm, 30 * mm]))
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=f"{w['pdf.findings_report']}: {info.title}",
        author="Pollcheck",
        creator="Pollcheck",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    step(4)


# A table cell's padding on the left and on the right (reportlab's default).
_PADDING = 6


def _fitting(style: ParagraphStyle, texts: Sequence[str], width: float) -> ParagraphStyle:
    """``style``, in a smaller type (down to 6 pt) when a word of ``texts`` would not fit in
    ``width`` and be cut in two."""
    widest = max(
        (stringWidth(word, style.fontName, style.fontSize) for t in texts for word in t.split()),
        default=0.0,
    )
    if widest <= width:
        return style
    size = max(6.0, style.fontSize * width / widest)
    return ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=size, leading=size * 1.25)


def _table(rows: list[list[Any]], widths: Sequence[float], *, head_rows: int = 1) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=head_rows, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("FONT", (0, 0), (-1, head_rows - 1), BOLD, 8),
                ("BACKGROUND", (0, 0), (-1, head_rows - 1), _HEAD),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.Color(0.7, 0.7, 0.7)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _coverage_table(coverage: Sequence[Any], w: dict[str, str], s: dict[str, Any]) -> Table:
    head = [w[k] for k in ("region", "stations", "visited", "visited_share", "reports", "drafts")]
    rows: list[list[Any]] = [[para(h, s["cellb"]) for h in head]]
    for c in coverage:
        share = f"{100 * c.visited / c.stations:.1f}%" if c.stations else "—"
        counts = (c.reports, c.drafts)
        rows.append(
            [para(clip(c.region, CELL_CHARS), s["cell"]), c.stations, c.visited, share, *counts]
        )
    return _table(rows, [58 * mm, 22 * mm, 22 * mm, 24 * mm, 22 * mm, 22 * mm])


def _summary_table(
    findings: Sequence[QuestionTally], w: dict[str, str], s: dict[str, Any]
) -> Table:
    head = ["#", w["findings"], w["stations"], w["reports"], w["share"]]
    rows: list[list[Any]] = [[para(h, s["cellb"]) for h in head]]
    for n, q in enumerate(findings, start=1):
        f = q.finding
        assert f is not None
        share = f"{f.percent:.1f}%"
        if f.ci95 is not None:
            share += f" ({f.ci95[0]:.1f}–{f.ci95[1]:.1f})"
        rows.append([n, para(clip(q.label, CELL_CHARS), s["cell"]), f.stations, f.reports, share])
    return _table(rows, [10 * mm, 112 * mm, 18 * mm, 18 * mm, 20 * mm])


def _finding(
    n: int, q: QuestionTally, tab: Tabulation, w: dict[str, str], s: dict[str, Any]
) -> list[Any]:
    f = q.finding
    assert f is not None
    block: list[Any] = [para(f"{n}. {q.label}", s["h1"])]
    block.append(para(f"{q.section} · {q.name}: {q.finding_rule}", s["small"]))
    figure = w["pdf.finding_figure"].format(
        stations=f.stations, reports=f.reports, percent=f"{f.percent:.1f}%", answered=q.answered
    )
    block.append(Spacer(1, 3))
    block.append(para(figure, s["figure"]))
    if f.ci95 is not None:
        ci = w["pdf.ci"].format(low=f"{f.ci95[0]:.1f}%", high=f"{f.ci95[1]:.1f}%")
        if f.estimate is not None:
            ci = f"{w['estimate']} {f.estimate:.1f}%; {ci}"
        block.append(para(ci, s["base"]))
    out: list[Any] = [KeepTogether([*block, Spacer(1, 4), _chart(f.groups, w)])]
    for g in f.groups:
        if not g.station_numbers:
            continue
        numbers = ", ".join(f"#{x}" for x in g.station_numbers)
        # The region in bold, then the stations as plain text in a paragraph of one style:
        # reportlab breaks such a paragraph into lines far quicker than one with markup in it
        # (a long list: hundreds of words). Both escaped: the names are theirs.
        out.append(para(f"{g.group} ({g.stations}):", s["region"]))
        out.append(para(numbers, s["stations"]))
    out.append(Spacer(1, 6))
    return out


def _chart(groups: Sequence[Any], w: dict[str, str]) -> Drawing:
    """Stations with the finding per region, as horizontal bars."""
    bar_h, gap, label_w, width = 9.0, 3.0, 150.0, 170 * mm
    shown = [g for g in groups if g.stations]
    height = max(1, len(shown)) * (bar_h + gap) + 4
    drawing = Drawing(width, height)
    top = max((g.stations for g in shown), default=1)
    span = width - label_w - 40
    y = height - bar_h - 2
    for g in shown:
        drawing.add(String(0, y + 1.5, clip(g.group, 32), fontName=REGULAR, fontSize=7.5))
        length = max(1.0, span * g.stations / top)
        drawing.add(Rect(label_w, y, length, bar_h, fillColor=_BAR, strokeColor=None))
        drawing.add(
            String(label_w + length + 3, y + 1.5, str(g.stations), fontName=BOLD, fontSize=7.5)
        )
        y -= bar_h + gap
    return drawing


def _region_tables(
    findings: Sequence[QuestionTally], w: dict[str, str], s: dict[str, Any]
) -> list[Any]:
    regions = sorted({g.group for q in findings if q.finding for g in q.finding.groups})
    out: list[Any] = []
    for start in range(0, max(1, len(regions)), _REGIONS_PER_TABLE):
        chunk = regions[start : start + _REGIONS_PER_TABLE]
        first = 62 * mm
        rest = (A4[0] - 2 * MARGIN - first) / (len(chunk) + 1)
        names = [clip(r, 40) for r in chunk]
        # The regions' names in a type small enough that no word of them is cut in two.
        fit = _fitting(s["cellb"], [w["all"], *names], rest - 2 * _PADDING)
        head = [para(w["findings"], s["cellb"]), para(w["all"], fit)]
        head += [para(name, fit) for name in names]
        rows: list[list[Any]] = [head]
        for n, q in enumerate(findings, start=1):
            f = q.finding
            assert f is not None
            per = {g.group: g.stations for g in f.groups}
            rows.append(
                [para(clip(f"{n}. {q.label}", CELL_CHARS), s["cell"]), f.stations]
                + [per.get(r, 0) for r in chunk]
            )
        out.append(_table(rows, [first] + [rest] * (len(chunk) + 1)))
        out.append(Spacer(1, 8))
    return out
