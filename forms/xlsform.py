"""Reads XLSForm workbooks with pyxform into Pollcheck's form model; messages name the row."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import openpyxl
from pyxform import xls2json_backends
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from forms.errors import FormError, Problem
from forms.expressions import Expression, ExpressionError, parse
from forms.messages import Items, Phrase, place
from forms.model import Choice, Form, Group, Labels, Language, Question

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
FORM_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,63}$")

# pyxform's names for the types Pollcheck supports.
_TYPES = {
    "text": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "date": "date",
    "time": "time",
    "dateTime": "datetime",
    "datetime": "datetime",
    "note": "note",
    "calculate": "calculate",
}
# Types pyxform accepts that Pollcheck has its own way of recording.
_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
}
_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"", "no", "false", "false()", "0"}


def load_form(source: str | Path | bytes, *, filename: str | None = None) -> Form:
    """Read an XLSForm workbook (a path or the ``.xlsx`` bytes) into a :class:`Form`.

    pyxform reads and validates the workbook (duplicate names, unknown choice lists, unknown
    ``${references}``…); Pollcheck then checks what it adds: supported types, every expression
    parsed, the ``finding`` column, calculations without cycles.

    Raises:
        FormError: with every problem found, each naming the sheet, the row and the fix.
    """
    if isinstance(source, bytes):
        data = source
        name = filename or "form.xlsx"
    else:
        path = Path(source)
        name = filename or path.name
        if path.suffix.lower() == ".xls":
            raise FormError(Phrase("form.xls", name=name))
        try:
            if path.stat().st_size > MAX_WORKBOOK_BYTES:
                raise FormError(Phrase("form.too_big", name=name))
            data = path.read_bytes()
        except OSError as exc:
            raise FormError(
                Phrase("form.unreadable_file", name=name, error=str(exc.strerror))
            ) from None
    if len(data) > MAX_WORKBOOK_BYTES:
        raise FormError(Phrase("form.too_big", name=name))
    return _Reader(name, data).read()


def _lang(key: str) -> tuple[str, str]:
    """``'English (en)'`` -> ``('en', 'English')``; a language without a code is its own code."""
    m = re.fullmatch(r"\s*(.*?)\s*\(([^()]+)\)\s*", key)
    if m:
        return m.group(2).strip(), (m.group(1) or m.group(2)).strip()
    return key.strip(), key.strip()


class _Reader:
    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data
        self.problems: list[Problem] = []
        self.rows: dict[str, list[int]] = {}  # name -> its rows, in order (names may repeat)
        self.raw_types: dict[str, str] = {}
        self.has_form_id = True  # name -> the type as the author wrote it
        self.default_code = "default"
        self.languages: dict[str, str] = {}

    # -- entry point ---------------------------------------------------------------------------
    def read(self) -> Form:
        if not zipfile.is_zipfile(io.BytesIO(self.data)):
            raise FormError(Phrase("form.not_xlsx", name=self.name))
        try:
            book = xls2json_backends.xlsx_to_dict(io.BytesIO(self.data))
        except Exception as exc:  # pyxform wraps openpyxl's many failure modes differently
            raise FormError(Phrase("form.unreadable", name=self.name, error=str(exc))) from None
        self.rows = self._row_numbers()
        settings = book.get("settings") or [{}]
        self.has_form_id = bool(str((settings[0] or {}).get("form_id") or "").strip())
        titles = self._pop_title_translations(book)
        warnings: list[str] = []
        try:
            result = convert(xlsform=book, warnings=warnings, form_name="data")
        except PyXFormError as exc:
            raise FormError(
                Phrase("form.invalid", name=self.name), [self._pyxform_problem(str(exc))]
            ) from None
        except Exception as exc:  # pyxform has no single error type for malformed input
            raise FormError(
                Phrase("form.invalid_detail", name=self.name, error=f"{type(exc).__name__}: {exc}")
            ) from None
        return self._build(result._pyxform, titles)

    # -- pyxform's output to our model ---------------------------------------------------------
    def _build(self, d: Mapping[str, Any], titles: dict[str, str]) -> Form:
        form_id = str(d.get("id_string") or "").strip()
        if not self.has_form_id or not FORM_ID_RE.match(form_id):
            where = place(self.name, form_sheet="settings", column="form_id")
            self.problems.append(
                Problem.of("F101", where, form_id=form_id)
                if self.has_form_id
                else Problem.of("F101", where, "missing")
            )
        self._collect_languages(d)
        default_language = str(d.get("default_language") or "default")
        self.default_code = (
            _lang(default_language)[0]
            if default_language != "default"
            else (next(iter(self.languages), "default"))
        )
        title = str(d.get("title") or form_id)
        title_labels = {self.default_code: title, **titles}
        children = tuple(
            c for c in (self._element(child) for child in d.get("children", [])) if c is not None
        )
        choices = {
            list_name: tuple(Choice(str(c["name"]), self._labels(c.get("label"))) for c in items)
            for list_name, items in (d.get("choices") or {}).items()
        }
        station = str(d.get("station") or "required").strip().lower()
        if station not in ("required", "optional", "absent"):
            self.problems.append(
                Problem.of(
                    "F102",
                    place(self.name, form_sheet="settings", column="station"),
                    station=station,
                )
            )
            station = "required"
        registry = self._registry_settings(d)
        form = Form(
            form_id=form_id,
            title=title,
            version=str(d.get("version") or "1"),
            languages=tuple(Language(code, nm) for code, nm in self.languages.items())
            or (Language(self.default_code, self.default_code),),
            default_language=self.default_code,
            children=children,
            choices=MappingProxyType(choices),
            station=station,  # type: ignore[arg-type]
            titles=MappingProxyType(title_labels),
            registry_limits=registry[0],
            voters_added=registry[1],
            registered_voters=registry[2],
        )
        form = self._check(form)
        if self.problems:
            raise FormError(Phrase("form.problems", name=self.name), self.problems)
        return form

    def _registry_settings(
        self, d: Mapping[str, Any]
    ) -> tuple[tuple[str, ...], str | None, str | None]:
        """Pollcheck's settings for checks against the registry, names checked in _check."""
        limits = tuple(str(d.get("registry_limits") or "").split())
        added = str(d.get("voters_added") or "").strip() or None
        registered = str(d.get("registered_voters") or "").strip() or None
        return limits, added, registered

    def _collect_languages(self, node: Mapping[str, Any]) -> None:
        for key in ("label", "hint"):
            value = node.get(key)
            if isinstance(value, Mapping):
                for lang in value:
                    if lang != "default":
                        code, nm = _lang(lang)
                        self.languages.setdefault(code, nm)
        for child in node.get("children", []) or []:
            self._collect_languages(child)
        for items in (
            (node.get("choices") or {}).values() if isinstance(node.get("choices"), Mapping) else ()
        ):
            for c in items:
                self._collect_languages(c)

    def _labels(self, value: Any) -> Labels:
        if value is None or value == "":
            return MappingProxyType({})
        if isinstance(value, Mapping):
            out: dict[str, str] = {}
            for lang, text in value.items():
                code = self.default_code if lang == "default" else _lang(lang)[0]
                out[code] = str(text)
            return MappingProxyType(out)
        return MappingProxyType({self.default_code: str(value)})

    def _element(self, d: Mapping[str, Any]) -> Question | Group | None:
        kind = str(d.get("type", ""))
        name = str(d.get("name", ""))
        rows = self.rows.get(name) or [0]
        row = rows.pop(0) if len(rows) > 1 else rows[0]  # each use of a name, its own row
        bind = d.get("bind") or {}
        control = d.get("control") or {}
        if kind in ("group", "repeat"):
            if name == "meta" and control.get("bodyless"):
                return None  # pyxform's own instanceID block; Pollcheck keeps the report id itself
            if d.get("finding"):
                self._problem("F110", row, "finding")
            children = tuple(
                c
                for c in (self._element(child) for child in d.get("children", []))
                if c is not None
            )
            return Group(
                name=name,
                children=children,
                row=row,
                labels=self._labels(d.get("label")),
                relevant=self._expr(bind.get("relevant"), row, "relevant"),
                repeat=kind == "repeat",
                appearance=control.get("appearance"),
            )
        qtype = _TYPES.get(kind)
        if qtype is None:
            self._unsupported(kind, name, row)
            return None
        required_raw = str(bind.get("required", "") or "").strip()
        if required_raw.lower() in _TRUE:
            required: Expression | None = parse("true()")
        elif required_raw.lower() in _FALSE:
            required = None
        else:
            required = self._expr(required_raw, row, "required")
        readonly_raw = str(bind.get("readonly", "") or "").strip().lower()
        return Question(
            name=name,
            type=qtype,  # type: ignore[arg-type]
            row=row,
            labels=self._labels(d.get("label")),
            hints=self._labels(d.get("hint")),
            list_name=d.get("list_name") or d.get("itemset"),
            required=required,
            required_messages=self._labels(bind.get("jr:requiredMsg")),
            relevant=self._expr(bind.get("relevant"), row, "relevant"),
            constraint=self._expr(bind.get("constraint"), row, "constraint"),
            constraint_messages=self._labels(bind.get("jr:constraintMsg")),
            calculation=self._expr(bind.get("calculate"), row, "calculation"),
            default=None if d.get("default") in (None, "") else str(d.get("default")),
            read_only=readonly_raw in _TRUE,
            appearance=control.get("appearance"),
            finding=self._expr(d.get("finding"), row, "finding"),
        )

    def _unsupported(self, kind: str, name: str, row: int) -> None:
        kind = self.raw_types.get(name) or kind  # pyxform renames some (image -> photo)
        variant = "metadata" if kind in _METADATA else None
        self._problem("F103", row, "type", variant, name=name, type=kind)

    def _expr(self, text: Any, row: int, column: str) -> Expression | None:
        if text is None:
            return None
        if isinstance(text, Mapping):  # translated expressions make no sense; take none
            self._problem("F104", row, column, column=column)
            return None
        source = str(text).strip()
        if not source:
            return None
        try:
            return parse(source)
        except ExpressionError as exc:
            if exc.position is None:
                self._problem("F105", row, column, source=source, reason=exc.message)
            else:
                self._problem(
                    "F105",
                    row,
                    column,
                    "at",
                    source=source,
                    reason=exc.message,
                    position=exc.position + 1,
                )
            return None

    def _problem(
        self, code: str, row: int, column: str, variant: str | None = None, /, **values: Any
    ) -> None:
        where = place(self.name, form_sheet="survey", row=row or None, column=column or None)
        self.problems.append(Problem.of(code, where, variant, **values))

    # -- checks of what pyxform does not know about --------------------------------------------
    def _check(self, form: Form) -> Form:
        names: dict[str, Question | Group] = {}
        repeat_of: dict[str, str | None] = {}
        enclosing: dict[str, tuple[str, ...]] = {}  # the repeats around each name
        for item, parents in form.walk():
            if item.name in names:
                # Answers are kept by name: two questions of one name would share one answer.
                self._problem("F112", item.row, "name", name=item.name, row=names[item.name].row)
            names[item.name] = item
            reps = tuple(p.name for p in parents if p.repeat)
            repeat_of[item.name] = reps[-1] if reps else None
            enclosing[item.name] = reps

        def check_refs(owner: Question | Group, column: str, expr: Expression | None) -> None:
            if expr is None:
                return
            for ref in sorted(expr.references()):
                if ref not in names:
                    self._problem("F106", owner.row, column, ref=ref)
                    continue
                inner = repeat_of[ref]
                if inner is not None and inner == owner.name:
                    self._problem("F113", owner.row, column, ref=ref)
                elif inner is not None and inner not in enclosing[owner.name]:
                    self._problem("F107", owner.row, column, ref=ref, repeat=inner)

        for column, wanted in (
            ("registry_limits", form.registry_limits),
            ("voters_added", (form.voters_added,) if form.voters_added else ()),
            ("registered_voters", (form.registered_voters,) if form.registered_voters else ()),
        ):
            for name in wanted:
                item = names.get(name)
                if not isinstance(item, Question) or item.type not in ("integer", "decimal"):
                    self.problems.append(
                        Problem.of(
                            "F114",
                            place(self.name, form_sheet="settings", column=column),
                            name=name,
                        )
                    )
        calculations: dict[str, frozenset[str]] = {}
        for item, _parents in form.walk():
            check_refs(item, "relevant", item.relevant)
            if isinstance(item, Question):
                for column, expr in (
                    ("required", item.required),
                    ("constraint", item.constraint),
                    ("calculation", item.calculation),
                    ("finding", item.finding),
                ):
                    check_refs(item, column, expr)
                if item.type == "calculate" and item.calculation is None:
                    self._problem("F108", item.row, "calculation", name=item.name)
                if item.calculation is not None:
                    calculations[item.name] = item.calculation.references()
                if item.is_select and item.list_name not in form.choices:
                    self._problem("F109", item.row, "type", list=item.list_name)
        order = self._calculation_order(calculations, names)
        return dataclasses.replace(form, calculation_order=order)

    def _calculation_order(
        self, calculations: dict[str, frozenset[str]], names: Mapping[str, Question | Group]
    ) -> tuple[str, ...]:
        order: list[str] = []
        state: dict[str, int] = {}  # 1 visiting, 2 done

        def visit(name: str, path: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                cycle = [*path[path.index(name) :], name]
                rows = Items(
                    (Phrase("name_row", name=n, row=names[n].row) for n in cycle[:-1]), shown=None
                )
                self._problem(
                    "F111", names[name].row, "calculation", cycle=" -> ".join(cycle), rows=rows
                )
                raise _Cycle
            state[name] = 1
            for dep in sorted(calculations.get(name, ())):
                if dep in calculations:
                    visit(dep, [*path, name])
            state[name] = 2
            order.append(name)

        for name in calculations:
            try:
                visit(name, [])
            except _Cycle:
                return ()
        return tuple(order)

    # -- row numbers, titles and pyxform's messages -------------------------------------------
    def _row_numbers(self) -> dict[str, list[int]]:
        """Question and group names to the survey sheet row they stand on (header is row 1)."""
        rows: dict[str, list[int]] = {}
        try:
            book = openpyxl.load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)
        except Exception:  # pyxform reports an unreadable workbook with its own message
            return rows
        try:
            sheet = next((book[s] for s in book.sheetnames if s.strip().lower() == "survey"), None)
            if sheet is None:
                return rows
            name_col = type_col = None
            for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if name_col is None:
                    headers = [str(v or "").strip().lower() for v in values]
                    if "name" in headers:
                        name_col = headers.index("name")
                        type_col = headers.index("type") if "type" in headers else None
                    continue
                if name_col < len(values) and values[name_col] not in (None, ""):
                    name = str(values[name_col]).strip()
                    rows.setdefault(name, []).append(index)
                    if type_col is not None and type_col < len(values):
                        self.raw_types.setdefault(name, str(values[type_col] or "").strip())
        finally:
            book.close()
        return rows

    def _pop_title_translations(self, book: dict[str, Any]) -> dict[str, str]:
        """Take ``form_title::Language (code)`` out of the settings (pyxform chokes on it)."""
        titles: dict[str, str] = {}
        settings = book.get("settings") or []
        if settings and isinstance(settings[0], dict):
            for key in [k for k in settings[0] if str(k).startswith("form_title::")]:
                value = settings[0].pop(key)
                if value:
                    titles[_lang(str(key).split("::", 1)[1])[0]] = str(value)
            header = book.get("settings_header")
            if isinstance(header, list) and header and isinstance(header[0], dict):
                for key in [k for k in header[0] if str(k).startswith("form_title::")]:
                    header[0].pop(key)
        return titles

    def _pyxform_problem(self, message: str) -> Problem:
        m = re.match(r"\s*\[row\s*:\s*(\d+)\]\s*(.*)", message, re.S)
        text = message.strip()
        row = None
        if m:
            row, text = int(m.group(1)), m.group(2).strip()
        sheet = "survey"
        lowered = text.lower()
        if "'choices' sheet" in lowered or ("choices sheet" in lowered and "not in" not in lowered):
            sheet = "choices"
        elif "settings" in lowered:
            sheet = "settings"
        where = place(self.name, form_sheet=sheet, row=row or None)
        variant = None
        if "duplicate" in lowered or "unique" in lowered:
            variant = "duplicate"
        elif "list name not in choices" in lowered:
            variant = "list"
        elif "missing calculation" in lowered:
            variant = "calculation"
        elif "reference variables" in lowered or "could not find the name" in lowered:
            variant = "reference"
        return Problem.of("F100", where, variant, text=text.rstrip(".") + ".")


class _Cycle(Exception):
    pass
