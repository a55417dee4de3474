"""Pollcheck's own messages to users, in every language it speaks: the catalog and its rendering.

Every problem (``Problem``) and every user error (``PollcheckError``) the core makes is a
:class:`Phrase`: a key of :data:`CATALOG` and the values of its placeholders, kept as given.
The English rendering is what the command line prints, what logs and mission files store and
what tests assert; the desktop program renders the same phrase in its interface language.

Keys are problem codes (``S205``), a code and a variant when one code says several things
(``S206.letters``), or dotted names for errors and parts of messages (``sqlite.locked``,
``place.row``). Each entry gives, per language, the text and, for problems, the fix. Templates
use ``str.format`` fields with names (``{row}``, ``{form!r}``); values are never parsed as
templates, so a value with braces in it is shown as it is. A value that is itself a
:class:`Phrase` or :class:`Items` is rendered in the same language first.

Numbers take the words that go with them by the language's plural rule: ``{n:|problem|problems}``
in English (one, other), ``{n:|проблема|проблемы|проблем}`` in Russian (one, few, many: 1, 21
проблема; 2, 22 проблемы; 5, 11, 25 проблем).

An unknown language, or a template that cannot be rendered in it, falls back to English.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CATALOG", "LANGUAGES", "Items", "Phrase", "Problem", "place", "plural", "render"]

LANGUAGES = ("en", "ru")


@dataclass(frozen=True, init=False)
class Phrase:
    """A message of the catalog with its values: ``Phrase("place.row", row=3)``.

    Immutable and hashable (when its values are). ``text(language)`` renders the message,
    ``fix(language)`` the entry's fix (problems have one; other entries give ``""``).
    """

    key: str
    values: tuple[tuple[str, Any], ...]

    def __init__(self, key: str, /, **values: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "values", tuple(values.items()))

    def text(self, language: str = "en") -> str:
        return render(self.key, dict(self.values), language)

    def fix(self, language: str = "en") -> str:
        return render(self.key, dict(self.values), language, fix=True)


@dataclass(frozen=True, init=False)
class Items:
    """Several values shown as one: joined by ``sep``, the first ``shown`` of them, then
    "and 3 more" (``total`` counts them all when only some were fetched)."""

    items: tuple[Any, ...]
    sep: str = ", "
    shown: int | None = 5
    total: int | None = None

    def __init__(
        self,
        items: Iterable[Any],
        *,
        sep: str = ", ",
        shown: int | None = 5,
        total: int | None = None,
    ) -> None:
        object.__setattr__(self, "items", tuple(items))
        object.__setattr__(self, "sep", sep)
        object.__setattr__(self, "shown", shown)
        object.__setattr__(self, "total", total)

    def text(self, language: str = "en") -> str:
        items = [_value(item, language) for item in self.items]
        total = len(items) if self.total is None else self.total
        if self.shown is None:
            return self.sep.join(str(i) for i in items)
        text = self.sep.join(str(i) for i in items[: self.shown])
        if total > self.shown:
            text += Phrase("list.more", n=total - self.shown).text(language)
        return text


def place(
    file: str | None = None,
    *,
    form_sheet: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    letter: str | None = None,
) -> tuple[Phrase, ...]:
    """Where a problem is, part by part: ``x.csv, sheet 'S', row 4, column 'number'``.

    ``form_sheet`` names an XLSForm sheet (``survey sheet``), ``letter`` a column that has no
    header (``column B``).
    """
    parts: list[Phrase] = []
    if file is not None:
        parts.append(Phrase("place.file", name=file))
    if form_sheet is not None:
        parts.append(Phrase("place.form_sheet", sheet=form_sheet))
    if sheet is not None:
        parts.append(Phrase("place.sheet", sheet=sheet))
    if row is not None:
        parts.append(Phrase("place.row", row=row))
    if column is not None:
        parts.append(Phrase("place.column", column=column))
    if letter is not None:
        parts.append(Phrase("place.letter", letter=letter))
    return tuple(parts)


def _compose(where: str, what: str, fix: str) -> str:
    text = f"{where}: {what}" if where else what
    return f"{text} {fix}".rstrip() if fix else text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what a user brought: where it is, what is wrong, how to fix it.

    ``code`` names the kind of problem (see the catalog below) so that scripts and
    translations can rely on it; ``where`` names the file, sheet, row, column or question.
    ``where``, ``what`` and ``fix`` are the English texts. A problem made with :meth:`of` also
    keeps ``message`` (its catalog phrase and values) and ``place`` (where it is, part by
    part), from which :meth:`text` renders it in another language. Equality and hashing use
    the English texts only.
    """

    code: str
    where: str
    what: str
    fix: str = ""
    message: Phrase | None = field(default=None, compare=False, repr=False)
    place: tuple[Phrase, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(
        cls, code: str, where: Iterable[Phrase], variant: str | None = None, /, **values: Any
    ) -> Problem:
        """The problem ``code`` (its catalog entry ``code.variant`` if given) at ``where``
        (see :func:`forms.messages.place`), with the values its texts name."""
        message = Phrase(code if variant is None else f"{code}.{variant}", **values)
        parts = tuple(where)
        return cls(
            code,
            _where(parts, "en"),
            message.text("en"),
            message.fix("en"),
            message,
            parts,
        )

    def __str__(self) -> str:
        return _compose(self.where, self.what, self.fix)

    def text(self, language: str = "en") -> str:
        """The problem in one line in ``language`` (``en`` gives exactly ``str(problem)``)."""
        where = _where(self.place, language) if self.place else self.where
        if self.message is None:
            return _compose(where, self.what, self.fix)
        return _compose(where, self.message.text(language), self.message.fix(language))

    def location(self) -> dict[str, Any]:
        """Where the problem is as data: ``{"file": "x.csv", "row": 4, "column": "number"}``."""
        out: dict[str, Any] = {}
        for part in self.place:
            values = part.values
            out[part.key.removeprefix("place.")] = values[0][1] if values else None
        return out


def _where(parts: tuple[Phrase, ...], language: str) -> str:
    return ", ".join(p.text(language) for p in parts)


def _value(value: Any, language: str) -> Any:
    render_in = getattr(value, "text", None)
    if callable(render_in) and not isinstance(value, str | bytes):
        return render_in(language)
    return value


def render(key: str, values: Mapping[str, Any], language: str = "en", *, fix: bool = False) -> str:
    """The text (or the fix) of ``key`` with ``values``, in ``language``.

    Raises:
        KeyError: ``key`` is not in the catalog, or the English template needs a value that
            is not given (both are bugs of the caller).
    """
    entry = CATALOG[key]
    index = 1 if fix else 0
    if language != "en" and language in entry:
        try:
            return _Formatter(language).vformat(
                entry[language][index], (), {k: _value(v, language) for k, v in values.items()}
            )
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            pass  # a translation that does not fit: English says the same
    return _Formatter("en").vformat(
        entry["en"][index], (), {k: _value(v, "en") for k, v in values.items()}
    )


class _Formatter(string.Formatter):
    """``str.format`` with plural forms: a field ``{n:|one|other}`` gives the word for ``n``."""

    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec.startswith("|"):
            return plural(value, format_spec[1:].split("|"), self.language)
        return super().format_field(value, format_spec)


def plural(n: Any, forms: Sequence[str], language: str) -> str:
    """The one of ``forms`` that goes with the number ``n`` in ``language``.

    English gives two forms (one, other); Russian three (one, few, many), as CLDR's rules for
    whole numbers. Anything but a whole number takes the last form.
    """
    if not isinstance(n, int) or isinstance(n, bool):
        return forms[-1]
    if language == "ru" and len(forms) == 3:
        if n % 10 == 1 and n % 100 != 11:
            return forms[0]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return forms[1]
        return forms[2]
    return forms[0] if n == 1 else forms[-1]


# -- the catalog ---------------------------------------------------------------------------------
#
# Problems: key -> (English text, English fix, Russian text, Russian fix).
# Texts: key -> (English, Russian).

_FRESH_COPY = (
    "Ask the observer for a fresh copy made with 'Prepare file for HQ' (pollcheck send), "
    "and merge that."
)
_FRESH_COPY_RU = (
    "Попросите наблюдателя сделать свежую копию командой «Подготовить файл для штаба» "
    "(pollcheck send) и объедините ее."
)


def _fresh(en: str, ru: str) -> tuple[str, str, str, str]:
    """A merge refusal whose fix is to ask for a fresh copy."""
    return (en, _FRESH_COPY, ru, _FRESH_COPY_RU)


_TEXTS: dict[str, tuple[str, str]] = {
    # -- where a problem is ---------------------------------------------------------------------
    "place.file": ("{name}", "{name}"),
    "place.form_sheet": ("{sheet} sheet", "лист {sheet}"),
    "place.sheet": ("sheet '{sheet}'", "лист «{sheet}»"),
    "place.row": ("row {row}", "строка {row}"),
    "place.column": ("column '{column}'", "столбец «{column}»"),
    "place.letter": ("column {letter}", "столбец {letter}"),
    "place.station": ("station {code}", "участок {code}"),
    "place.the_station": ("station", "участок"),
    "place.question": ("question {path}", "вопрос {path}"),
    # -- parts of messages ----------------------------------------------------------------------
    "list.more": (" and {n} more", " и еще {n}"),
    "none_yet": ("none yet", "пока нет"),
    "quoted": ("'{text}'", "«{text}»"),
    "quoted.repr": ("{text!r}", "«{text}»"),
    "form_version": ("{form} version {version}", "{form}, версия {version}"),
    "name_row": ("{name} (row {row})", "{name} (строка {row})"),
    "status.complete": ("complete", "заполненный"),
    "status.draft": ("draft", "черновик"),
    "field.code": ("code", "код"),
    "field.number": ("number", "номер"),
    "field.region": ("region", "регион"),
    "field.district": ("district", "район"),
    "field.name": ("name", "название"),
    "field.address": ("address", "адрес"),
    "field.registered_voters": ("registered voters", "число избирателей"),
    "kind.table": ("table", "таблица"),
    "kind.index": ("index", "индекс"),
    "kind.view": ("view", "представление"),
    "kind.trigger": ("trigger", "триггер"),
    "schema.trigger": ("a trigger {name!r}", "триггер «{name}»"),
    "schema.unexpected": ("an unexpected {kind} {name!r}", "лишний объект «{name}» ({kind})"),
    "schema.not_ours": (
        "a {kind} {name!r} that is not Pollcheck's",
        "объект «{name}» ({kind}), созданный не Pollcheck",
    ),
    "schema.in_place": (
        "a {kind} in place of the {want} {name!r} that is not Pollcheck's",
        "объект «{name}» ({kind} вместо «{want}»), созданный не Pollcheck",
    ),
    "schema.missing": ("no {kind} {name!r}", "нет объекта «{name}» ({kind})"),
    "merge.other_form": ("{uuid} ({form}, here {here})", "{uuid} ({form}, здесь {here})"),
    # -- errors: the mission file -------------------------------------------------------------
    "sqlite.locked": (
        "{path}: the mission file is in use by another program (locked). "
        "Close Pollcheck or any other program that has it open, then try again.",
        "{path}: файл миссии занят другой программой (заблокирован). "
        "Закройте Pollcheck или другую программу, в которой он открыт, и попробуйте снова.",
    ),
    "sqlite.readonly": (
        "{path}: the mission file cannot be written (read-only file or media). "
        "Copy it to a folder you can write to, or make the file writable.",
        "{path}: в файл миссии нельзя записывать (файл или носитель только для чтения). "
        "Скопируйте его в папку, доступную для записи, или разрешите запись в файл.",
    ),
    "sqlite.full": (
        "{path}: the disk is full; nothing of the last change was written. "
        "Free some space on the disk, then try again.",
        "{path}: диск заполнен; последнее изменение не записано. "
        "Освободите место на диске и попробуйте снова.",
    ),
    "sqlite.cantopen": (
        "{path}: the mission file cannot be opened (missing folder or no permission). "
        "Check the path and that you may read and write there.",
        "{path}: файл миссии не открывается (нет папки или нет прав). "
        "Проверьте путь и права на чтение и запись в этой папке.",
    ),
    "sqlite.ioerr": (
        "{path}: the disk reported an input/output error ({name}). "
        "Check the disk or USB stick, copy the file to another disk, and try again.",
        "{path}: диск сообщил об ошибке ввода-вывода ({name}). "
        "Проверьте диск или флешку, скопируйте файл на другой диск и попробуйте снова.",
    ),
    "sqlite.notadb": (
        "{path}: this is not a Pollcheck mission file, or it is damaged ({name}). "
        "Open the right file, or ask for a fresh copy of it.",
        "{path}: это не файл миссии Pollcheck, или он поврежден ({name}). "
        "Откройте нужный файл или попросите его свежую копию.",
    ),
    "mission.not_found": (
        "{path}: no such mission file. Check the name, or make one with 'pollcheck new'.",
        "{path}: такого файла миссии нет. Проверьте имя или создайте миссию (pollcheck new).",
    ),
    "mission.foreign": (
        "{path}: this is not a Pollcheck mission file. Open a .pollcheck file made by "
        "Pollcheck, or make a new mission with 'pollcheck new'.",
        "{path}: это не файл миссии Pollcheck. Откройте файл .pollcheck, созданный "
        "Pollcheck, или создайте новую миссию (pollcheck new).",
    ),
    "mission.newer": (
        "{path}: this mission file was written by a newer Pollcheck (file schema "
        "{version}, this program reads up to {supported}). "
        "Install the newer Pollcheck to open it; the file was not changed.",
        "{path}: этот файл миссии записан более новой версией Pollcheck (схема файла "
        "{version}, эта программа читает схемы до {supported}). "
        "Чтобы открыть его, установите новую версию Pollcheck; файл не изменен.",
    ),
    "mission.upgrade_readonly": (
        "{path}: this mission file is from an older Pollcheck and must be upgraded "
        "once, which needs write access. Copy it to a folder you can write to.",
        "{path}: этот файл миссии создан старой версией Pollcheck, и его нужно один раз "
        "обновить, а для этого нужна запись. Скопируйте его в папку, доступную для записи.",
    ),
    "mission.no_record": (
        "{path}: the mission file has no mission record.",
        "{path}: в файле миссии нет записи о миссии.",
    ),
    "mission.no_title": (
        "A mission needs a title: give one with --title.",
        "У миссии должно быть название: укажите его (--title).",
    ),
    "mission.bad_date": (
        "Election date {date!r} is not a date. Write it as YYYY-MM-DD.",
        "Дата выборов «{date}» — не дата. Запишите ее в виде ГГГГ-ММ-ДД.",
    ),
    "file.exists": (
        "{path}: a file of that name exists already. Choose another name, "
        "or remove the old file first.",
        "{path}: файл с таким именем уже есть. Выберите другое имя "
        "или сначала удалите старый файл.",
    ),
    # -- errors: exports ----------------------------------------------------------------------
    # The quality checks (db/checks.py): titles by check name, then what each finding says.
    "check.duplicates": (
        "Duplicate visits (one station, one form, several reports)",
        "Повторные посещения (один участок, одна форма, несколько отчетов)",
    ),
    "check.rules": (
        "Complete reports whose answers break the form's rules",
        "Заполненные отчеты, ответы которых нарушают правила формы",
    ),
    "check.unknown_stations": (
        "Reports at stations missing from the registry",
        "Отчеты с участков, которых нет в реестре",
    ),
    "check.registry_numbers": (
        "Numbers out of line with the registry",
        "Числа, не согласующиеся с реестром",
    ),
    "check.conflicts": (
        "Conflicts found by merges (one revision saved twice, differently)",
        "Конфликты при объединении (одна редакция сохранена дважды по-разному)",
    ),
    "check.duplicates.differ": (
        "form {form}: {n} {n:|report|reports}; they disagree on: {questions}",
        "форма {form}: {n} {n:|отчет|отчета|отчетов}; они расходятся в ответах: {questions}",
    ),
    "check.duplicates.same": (
        "form {form}: {n} {n:|report|reports}, all with the same answers",
        "форма {form}: {n} {n:|отчет|отчета|отчетов}, ответы во всех одинаковы",
    ),
    "check.rules.detail": ("{problems}", "{problems}"),
    "check.unknown_station": (
        "form {form}: station {code} is not in the registry",
        "форма {form}: участка {code} нет в реестре",
    ),
    "check.above_registry": (
        "{question} = {value} is above the registry's {voters} registered voters plus"
        " {added} added",
        "{question} = {value}: больше, чем {voters} избирателей по реестру и {added}"
        " включенных дополнительно",
    ),
    "check.registry_differs": (
        "{question} = {value}, the registry says {registry}",
        "{question} = {value}, а в реестре {registry}",
    ),
    "check.conflict.settled": (
        "form {form}: revision {revision} exists in two versions; the rule kept the one {kept},"
        " not the one {other}; settled since by revision {current}",
        "форма {form}: редакция {revision} существует в двух вариантах; по правилу оставлен"
        " вариант{kept}, а не тот{other}; с тех пор решено редакцией {current}",
    ),
    "check.conflict.both": (
        "form {form}: revision {revision} exists in two versions; the rule kept the one {kept},"
        " not the one {other}; both versions are in the report's history",
        "форма {form}: редакция {revision} существует в двух вариантах; по правилу оставлен"
        " вариант{kept}, а не тот{other}; оба варианта есть в истории отчета",
    ),
    # Which version of a conflict: where and when it was saved, else (no history) its digest.
    "check.conflict.saved": (
        "saved on {device} at {time} UTC",
        ", сохраненный на {device} {time} UTC",
    ),
    "check.conflict.saved_by": (
        "saved by {observer} on {device} at {time} UTC",
        ", сохраненный наблюдателем {observer} на {device} {time} UTC",
    ),
    "check.conflict.digest": ("with digest {digest}", " с дайджестом {digest}"),
    "export.cannot_write": (
        "{path}: cannot write the export ({reason}). Check that the folder exists, that you may "
        "write there, that the disk has space, and that the file is not open in another program.",
        "{path}: не удается записать файл выгрузки ({reason}). Проверьте, что папка существует, "
        "что в нее можно записывать, что на диске есть место и что файл не открыт в другой "
        "программе.",
    ),
    "export.font_missing": (
        "The font file resources/fonts/{file} is missing or damaged ({reason}), so PDFs cannot "
        "print Cyrillic or Kazakh letters. Reinstall Pollcheck.",
        "Файл шрифта resources/fonts/{file} отсутствует или поврежден ({reason}), поэтому PDF не "
        "может напечатать кириллицу и казахские буквы. Переустановите Pollcheck.",
    ),
    # -- errors: copies of the mission (kits, files for HQ) -----------------------------------
    "kit.same_file": (
        "{path}: this is the file being copied. Choose another name for the copy.",
        "{path}: это и есть копируемый файл. Выберите для копии другое имя.",
    ),
    "kit.wal": (
        "{path}: this mission file is open in Pollcheck or was not closed properly "
        "(a '-wal' file is beside it). Close it, or choose another name.",
        "{path}: этот файл миссии открыт в Pollcheck или не был правильно закрыт "
        "(рядом с ним лежит файл «-wal»). Закройте его или выберите другое имя.",
    ),
    "kit.no_folder": (
        "{path}: no such folder. Choose a folder that exists.",
        "{path}: такой папки нет. Выберите существующую папку.",
    ),
    "kit.folder_unwritable": (
        "{path}: cannot write in that folder ({error}). Check that the folder "
        "exists, that you may write there and that the disk is not full.",
        "{path}: не удается записать в эту папку ({error}). Проверьте, что папка "
        "существует, что у вас есть права на запись и что диск не заполнен.",
    ),
    "kit.unwritable": (
        "{path}: cannot write the file ({error}). Check that the disk is "
        "not full and that you may write there.",
        "{path}: не удается записать файл ({error}). Проверьте, что диск "
        "не заполнен и что у вас есть права на запись.",
    ),
    "kit.check_failed": (
        "{path}: the copy did not pass its check after writing. The disk may be failing: "
        "try another disk or USB stick.",
        "{path}: копия не прошла проверку после записи. Возможно, диск неисправен: "
        "попробуйте другой диск или флешку.",
    ),
    "kit.not_mission": (
        "{path}: the copy does not hold the mission. Try again.",
        "{path}: в копии нет миссии. Попробуйте снова.",
    ),
    "kit.no_region": (
        "The mission has no stations in region {regions}. Its regions: {known}.",
        "В миссии нет участков в регионе {regions}. Ее регионы: {known}.",
    ),
    # -- errors: tables, station lists, reports imports, merges ------------------------------
    "table.file": ("{problem}", "{problem}"),
    "table.problems": (
        "{where}: the table cannot be read as it is ({n} {n:|problem|problems}, listed below). "
        "Fix them and try again.",
        "{where}: таблицу нельзя прочитать в таком виде ({n} {n:|проблема|проблемы|проблем}, "
        "они перечислены ниже). Исправьте их и попробуйте снова.",
    ),
    "stations.problems": (
        "{where}: {n} {n:|problem|problems} in the station list (listed below); nothing was "
        "imported. Fix them and import the file again.",
        "{where}: в списке участков {n} {n:|проблема|проблемы|проблем} (они перечислены ниже); "
        "ничего не загружено. Исправьте их и загрузите файл снова.",
    ),
    "observers.cannot_import": (
        "{path}: the observers were not imported; nothing was changed.",
        "{path}: наблюдатели не импортированы; ничего не изменено.",
    ),
    "stations.cannot_store": (
        "Station {code!r} cannot be stored.",
        "Участок «{code}» нельзя сохранить.",
    ),
    "reports.problems": (
        "{name}: no report was imported; fix these and import again.",
        "{name}: ни один отчет не загружен; исправьте эти проблемы и загрузите файл снова.",
    ),
    "merge.readonly": (
        "{path}: the mission file is open read-only; open it for writing to merge.",
        "{path}: файл миссии открыт только для чтения; чтобы объединять, откройте его для записи.",
    ),
    # -- errors: forms ---------------------------------------------------------------------------
    "form.xls": (
        "{name}: old Excel (.xls) workbooks are not read. "
        "Open it in Excel or LibreOffice and save it as .xlsx, then add that file.",
        "{name}: старые книги Excel (.xls) не читаются. "
        "Откройте файл в Excel или LibreOffice, сохраните как .xlsx и добавьте новый файл.",
    ),
    "form.too_big": (
        "{name}: the workbook is over 20 MB; a form is never that big.",
        "{name}: книга больше 20 МБ; таких больших форм не бывает.",
    ),
    "form.unreadable_file": (
        "{name}: cannot read the file ({error}).",
        "{name}: не удается прочитать файл ({error}).",
    ),
    "form.not_xlsx": (
        "{name}: this is not an Excel workbook (.xlsx). "
        "Save the form from Excel or LibreOffice as .xlsx and add it again.",
        "{name}: это не книга Excel (.xlsx). "
        "Сохраните форму из Excel или LibreOffice как .xlsx и добавьте ее снова.",
    ),
    "form.unreadable": (
        "{name}: the workbook cannot be read ({error}). "
        "Open it in Excel or LibreOffice, save it again as .xlsx, and retry.",
        "{name}: книгу не удается прочитать ({error}). "
        "Откройте ее в Excel или LibreOffice, снова сохраните как .xlsx и повторите.",
    ),
    "form.invalid": (
        "{name}: the form is not a valid XLSForm.",
        "{name}: форма не соответствует формату XLSForm.",
    ),
    "form.invalid_detail": (
        "{name}: the form is not a valid XLSForm ({error}). "
        "Check the survey, choices and settings sheets against docs/forms.md.",
        "{name}: форма не соответствует формату XLSForm ({error}). "
        "Сверьте листы survey, choices и settings с docs/forms.md.",
    ),
    "form.problems": (
        "{name}: the form cannot be used as it is.",
        "{name}: форму нельзя использовать в таком виде.",
    ),
    "form.version_exists": (
        "{name}: the mission already has version {version!r} of form {form!r}, with other "
        "content. Raise 'version' in the settings sheet (e.g. to today's date and a number, "
        "2026112802) and add the form again.",
        "{name}: в миссии уже есть версия «{version}» формы «{form}» с другим содержимым. "
        "Увеличьте «version» на листе settings (например, до сегодняшней даты с номером: "
        "2026112802) и добавьте форму снова.",
    ),
    "form.not_found": (
        "The mission has no form {form!r}. Its forms: {known}. Add one with 'pollcheck forms add'.",
        "В миссии нет формы «{form}». Ее формы: {known}. Добавьте форму (pollcheck forms add).",
    ),
    "form.version_not_found": (
        "The mission has no form {form!r} version {version!r}. Its forms: {known}. "
        "Add one with 'pollcheck forms add'.",
        "В миссии нет формы «{form}» версии «{version}». Ее формы: {known}. "
        "Добавьте форму (pollcheck forms add).",
    ),
    # -- errors: reports --------------------------------------------------------------------------
    "report.not_found": ("The mission has no report {uuid}.", "В миссии нет отчета {uuid}."),
    "report.changed": (
        "Report {uuid} was changed elsewhere (another window or program) "
        "while you edited it; nothing was saved. Reopen it and make the change again.",
        "Отчет {uuid} изменили в другом месте (в другом окне или программе), "
        "пока вы его правили; ничего не сохранено. Откройте его снова и повторите изменение.",
    ),
    "report.changed_revision": (
        "Report {uuid} was changed elsewhere (now revision {revision}, you had "
        "{expected}); nothing was saved. Reopen it and make the change again.",
        "Отчет {uuid} изменили в другом месте (теперь редакция {revision}, у вас была "
        "{expected}); ничего не сохранено. Откройте его снова и повторите изменение.",
    ),
    "report.bad_status": (
        "Status {status!r} is not a report status. Use draft or complete.",
        "«{status}» — не статус отчета. Используйте draft или complete.",
    ),
    "report.invalid_new": (
        "The report cannot be saved as {status}.",
        "Отчет нельзя сохранить как {status}.",
    ),
    "report.invalid": (
        "Report {uuid} cannot be saved as {status}.",
        "Отчет {uuid} нельзя сохранить как {status}.",
    ),
    "report.exists": (
        "A report with id {uuid} exists already.",
        "Отчет с идентификатором {uuid} уже есть.",
    ),
    "report.deleted": (
        "Report {uuid} is deleted; restore it before changing it.",
        "Отчет {uuid} удален; восстановите его, прежде чем изменять.",
    ),
}

_PROBLEMS: dict[str, tuple[str, str, str, str]] = {
    # -- F1xx: XLSForm workbooks ----------------------------------------------------------------
    "F100": (
        "{text}",
        "Correct the workbook as described, then add the form again.",
        "{text}",
        "Исправьте книгу, как здесь сказано, и добавьте форму снова.",
    ),
    "F100.duplicate": (
        "{text}",
        "Give every question, group and choice within a list a different name.",
        "{text}",
        "Дайте разные имена всем вопросам, группам и вариантам ответа внутри одного списка.",
    ),
    "F100.list": (
        "{text}",
        "Add that list to the choices sheet, or correct the list name in the type.",
        "{text}",
        "Добавьте этот список на лист choices или исправьте имя списка в типе.",
    ),
    "F100.calculation": (
        "{text}",
        "Write the expression in the 'calculation' column, or change the type.",
        "{text}",
        "Запишите выражение в столбец «calculation» или измените тип.",
    ),
    "F100.reference": (
        "{text}",
        "Correct the ${{name}} so that it names a question of the survey sheet.",
        "{text}",
        "Исправьте ${{name}}, чтобы там было имя вопроса с листа survey.",
    ),
    "F101": (
        "the form id {form_id!r} is not a plain name.",
        "Give a short id of letters, digits, _ or - (e.g. 'eday').",
        "идентификатор формы «{form_id}» — не простое имя.",
        "Дайте короткий идентификатор из латинских букв, цифр, _ или - (например, «eday»).",
    ),
    "F101.missing": (
        "the form has no form_id.",
        "Give a short id of letters, digits, _ or - (e.g. 'eday').",
        "у формы нет form_id.",
        "Дайте короткий идентификатор из латинских букв, цифр, _ или - (например, «eday»).",
    ),
    "F102": (
        "{station!r} is not a station rule.",
        "Write required, optional or absent (or leave it empty for required).",
        "«{station}» — не правило для участка.",
        "Напишите required, optional или absent (пустая ячейка означает required).",
    ),
    "F103": (
        "question {name!r} has type {type!r}, which Pollcheck does not support.",
        "Pollcheck supports text, integer, decimal, select_one, select_multiple, date, "
        "time, datetime, note, calculate, groups and repeats: change the type or delete "
        "the row.",
        "у вопроса «{name}» тип «{type}», который Pollcheck не поддерживает.",
        "Pollcheck поддерживает text, integer, decimal, select_one, select_multiple, date, "
        "time, datetime, note, calculate, группы и повторяющиеся блоки: измените тип "
        "или удалите строку.",
    ),
    "F103.metadata": (
        "question {name!r} has type {type!r}, which Pollcheck does not support.",
        "Pollcheck records the report's start, submission time, device and observer "
        "itself: delete this row.",
        "у вопроса «{name}» тип «{type}», который Pollcheck не поддерживает.",
        "Pollcheck сам записывает начало отчета, время отправки, устройство и наблюдателя: "
        "удалите эту строку.",
    ),
    "F104": (
        "an expression cannot differ by language.",
        "Use a single '{column}' column.",
        "выражение не может различаться по языкам.",
        "Используйте один столбец «{column}».",
    ),
    "F105": (
        "the expression {source!r} cannot be read: {reason}.",
        "Correct it; docs/forms.md lists the operators and functions Pollcheck understands.",
        "выражение «{source}» не читается: {reason}.",
        "Исправьте его; операторы и функции, которые понимает Pollcheck, перечислены "
        "в docs/forms.md.",
    ),
    "F105.at": (
        "the expression {source!r} cannot be read: {reason} (at character {position}).",
        "Correct it; docs/forms.md lists the operators and functions Pollcheck understands.",
        "выражение «{source}» не читается: {reason} (символ {position}).",
        "Исправьте его; операторы и функции, которые понимает Pollcheck, перечислены "
        "в docs/forms.md.",
    ),
    "F106": (
        "the expression refers to ${{{ref}}}, but no question has that name.",
        "Correct the name or add the question.",
        "выражение ссылается на ${{{ref}}}, но вопроса с таким именем нет.",
        "Исправьте имя или добавьте вопрос.",
    ),
    "F107": (
        "${{{ref}}} is inside the repeat {repeat!r}, which has many rows; it can only be "
        "used by questions of that repeat.",
        "Move the question into the repeat or drop the reference.",
        "${{{ref}}} находится внутри повторяющегося блока «{repeat}», в котором много строк; "
        "его могут использовать только вопросы этого блока.",
        "Перенесите вопрос в этот блок или уберите ссылку.",
    ),
    "F108": (
        "calculate {name!r} has no calculation.",
        "Write the expression in the 'calculation' column.",
        "у вычисления «{name}» нет выражения.",
        "Запишите выражение в столбец «calculation».",
    ),
    "F109": (
        "choice list {list!r} is not on the choices sheet.",
        "Add its choices, or correct the list name.",
        "списка вариантов «{list}» нет на листе choices.",
        "Добавьте его варианты или исправьте имя списка.",
    ),
    "F110": (
        "a group cannot have a finding rule.",
        "Put the finding on the questions inside the group.",
        "у группы не может быть правила нарушения (finding).",
        "Задайте finding для вопросов внутри группы.",
    ),
    "F111": (
        "calculations depend on each other in a circle: {cycle} [{rows}].",
        "Break the circle so that one calculation does not use the other.",
        "вычисления зависят друг от друга по кругу: {cycle} [{rows}].",
        "Разорвите круг, чтобы одно вычисление не использовало другое.",
    ),
    "F112": (
        "the name {name!r} is used already on row {row}.",
        "Give every question and group of the form a different name.",
        "имя «{name}» уже занято в строке {row}.",
        "Дайте всем вопросам и группам формы разные имена.",
    ),
    "F113": (
        "the repeat's own question ${{{ref}}} cannot decide whether the repeat applies at all.",
        "Use a question before the repeat, or put the condition on the questions inside it.",
        "вопрос самого повторяющегося блока ${{{ref}}} не может решать, нужен ли этот блок.",
        "Используйте вопрос перед блоком или поставьте условие на вопросы внутри него.",
    ),
    "F114": (
        "{name!r} is not a number question of the survey sheet.",
        "Name integer or decimal questions, separated by spaces.",
        "«{name}» — не числовой вопрос листа survey.",
        "Укажите вопросы типа integer или decimal через пробел.",
    ),
    # -- T1xx: reading tables --------------------------------------------------------------------
    "T101": (
        "no such file.",
        "Check the name and folder: {path}",
        "такого файла нет.",
        "Проверьте имя и папку: {path}",
    ),
    "T101.folder": (
        "this is a folder, not a file.",
        "Choose a .csv or .xlsx file.",
        "это папка, а не файл.",
        "Выберите файл .csv или .xlsx.",
    ),
    "T102": (
        "'{suffix}' files cannot be read as a table.",
        "Save the table as .xlsx or .csv (in Excel: File > Save As) and use that.",
        "файлы «{suffix}» нельзя прочитать как таблицу.",
        "Сохраните таблицу как .xlsx или .csv (в Excel: Файл > Сохранить как) "
        "и выберите новый файл.",
    ),
    "T102.none": (
        "'(no extension)' files cannot be read as a table.",
        "Save the table as .xlsx or .csv (in Excel: File > Save As) and use that.",
        "файлы без расширения нельзя прочитать как таблицу.",
        "Сохраните таблицу как .xlsx или .csv (в Excel: Файл > Сохранить как) "
        "и выберите новый файл.",
    ),
    "T103": (
        "old Excel workbooks (.xls) cannot be read.",
        "Open it in Excel and save it as 'Excel Workbook (*.xlsx)' or as CSV, then use that.",
        "старые книги Excel (.xls) не читаются.",
        "Откройте файл в Excel и сохраните его как «Книга Excel (*.xlsx)» или как CSV, "
        "затем выберите новый файл.",
    ),
    "T103.office": (
        "this is an old Excel workbook (.xls) or another Office file, not CSV text.",
        "Open it in Excel and save it as 'Excel Workbook (*.xlsx)' or as CSV.",
        "это старая книга Excel (.xls) или другой файл Office, а не текст CSV.",
        "Откройте файл в Excel и сохраните его как «Книга Excel (*.xlsx)» или как CSV.",
    ),
    "T104": (
        "the file is {size} MB; tables over {limit} MB are refused.",
        "Split it into smaller files, or remove columns that are not needed.",
        "размер файла {size} МБ; таблицы больше {limit} МБ не принимаются.",
        "Разделите его на файлы поменьше или удалите ненужные столбцы.",
    ),
    "T104.unpacked": (
        "the workbook unpacks to {size} MB, which is refused.",
        "Copy the table into a new workbook, or save it as CSV.",
        "в распакованном виде книга занимает {size} МБ; такие не принимаются.",
        "Скопируйте таблицу в новую книгу или сохраните ее как CSV.",
    ),
    "T105": (
        "the file is not text in UTF-8 or Windows-1251 (cp1251).",
        "Save it from Excel as 'CSV UTF-8' or as .xlsx, and use that.",
        "файл не является текстом в кодировке UTF-8 или Windows-1251 (cp1251).",
        "Сохраните его из Excel как «CSV UTF-8» или как .xlsx и выберите новый файл.",
    ),
    "T105.zip": (
        "this is a zip file or an Excel workbook, not CSV text.",
        "If it is a workbook, give it the .xlsx extension; else save the table as CSV.",
        "это архив ZIP или книга Excel, а не текст CSV.",
        "Если это книга Excel, дайте файлу расширение .xlsx; иначе сохраните таблицу как CSV.",
    ),
    "T105.binary": (
        "the file is not a text table (it holds binary data).",
        "Choose the .csv or .xlsx file with the table, or save the table again as CSV.",
        "файл не является текстовой таблицей (в нем двоичные данные).",
        "Выберите файл .csv или .xlsx с таблицей или заново сохраните таблицу как CSV.",
    ),
    "T106": (
        "this is not an Excel workbook that can be read (damaged, or another kind of file).",
        "Open it in Excel and save it again as 'Excel Workbook (*.xlsx)', or save it as CSV.",
        "это не книга Excel, которую можно прочитать (файл поврежден или другого типа).",
        "Откройте его в Excel и снова сохраните как «Книга Excel (*.xlsx)» или как CSV.",
    ),
    "T107": (
        "the workbook has no sheet '{sheet}'.",
        "Choose one of its sheets: {sheets}.",
        "в книге нет листа «{sheet}».",
        "Выберите один из ее листов: {sheets}.",
    ),
    "T107.none": ("the workbook has no worksheets.", "", "в книге нет листов.", ""),
    "T108": (
        "near line {line} a cell is too long to be a table cell ({error}); often"
        ' a quote (") is opened and never closed.',
        "Check the quotes around that line, or save the table again from Excel.",
        "около строки {line} ячейка слишком длинная для ячейки таблицы ({error}); часто это"
        ' открытая и не закрытая кавычка (").',
        "Проверьте кавычки около этой строки или заново сохраните таблицу из Excel.",
    ),
    "T109": (
        "the file is not in the {encoding} encoding (byte {byte} does not fit).",
        "Choose another encoding, or let Pollcheck choose.",
        "файл не в кодировке {encoding} (байт {byte} в нее не укладывается).",
        "Выберите другую кодировку или доверьте выбор Pollcheck.",
    ),
    "T109.unknown": (
        "'{encoding}' is not an encoding Pollcheck knows.",
        "Choose UTF-8 or Windows-1251 (cp1251).",
        "Pollcheck не знает кодировку «{encoding}».",
        "Выберите UTF-8 или Windows-1251 (cp1251).",
    ),
    "T110": (
        "this column has data but no header.",
        "Type a header for it, or delete the column.",
        "в этом столбце есть данные, но нет заголовка.",
        "Введите заголовок столбца или удалите столбец.",
    ),
    "T111": (
        "column {letter} has the same header as column {first} ('{header}'); headers must"
        " differ, and capitals do not count.",
        "Rename or delete one of the two columns.",
        "у столбца {letter} тот же заголовок, что у столбца {first} («{header}»); заголовки"
        " должны различаться, и заглавные буквы не в счет.",
        "Переименуйте или удалите один из двух столбцов.",
    ),
    "T112": (
        "the row has a value ('{value}') to the right of the last column with a header ({last}).",
        "Give column {letter} a header, or move or delete the value (a separator inside an"
        " unquoted cell also causes this).",
        "в строке есть значение («{value}») правее последнего столбца с заголовком ({last}).",
        "Дайте столбцу {letter} заголовок или перенесите либо удалите значение (так бывает"
        " и из-за разделителя внутри ячейки без кавычек).",
    ),
    # -- S2xx: station lists ---------------------------------------------------------------------
    "S201": (
        "the file is empty.",
        "Choose the station list.",
        "файл пуст.",
        "Выберите список участков.",
    ),
    "S202": (
        "there is no column of station numbers.",
        "Add a column 'number' (or 'номер') with each station's number.",
        "нет столбца с номерами участков.",
        "Добавьте столбец «номер» (или «number») с номером каждого участка.",
    ),
    "S203": (
        "there is no 'code' column and no 'region' column; numbers repeat across"
        " regions, so each station needs one or the other.",
        "Add a column 'code' with a code unique to each station, or a column 'region'.",
        "нет ни столбца «код», ни столбца «регион»; номера в разных регионах повторяются,"
        " поэтому каждому участку нужен один из них.",
        "Добавьте столбец «код» со своим кодом для каждого участка или столбец «регион».",
    ),
    "S204": (
        "the file has a header but no stations under it.",
        "Choose the file with the station list, or fill it in.",
        "в файле есть заголовок, но под ним нет участков.",
        "Выберите файл со списком участков или заполните этот.",
    ),
    "O101": (
        "the table has no column of observers' names (its columns: {headers}).",
        "Title the column of names 'name' (or 'observer', 'имя', 'наблюдатель', 'ФИО').",
        "в таблице нет столбца с именами наблюдателей (ее столбцы: {headers}).",
        "Озаглавьте столбец с именами «имя» (или «наблюдатель», «ФИО», «name», «observer»).",
    ),
    "O102": (
        "the observer's name is empty.",
        "Type the name, or delete the row.",
        "имя наблюдателя не указано.",
        "Введите имя или удалите строку.",
    ),
    "O103": (
        "{name} is listed twice, in team {first} and in team {second}.",
        "Keep one row for each observer.",
        "{name} указан дважды: в команде {first} и в команде {second}.",
        "Оставьте по одной строке на наблюдателя.",
    ),
    "S205": (
        "the station number is missing.",
        "Type the number, or delete the row.",
        "не указан номер участка.",
        "Введите номер или удалите строку.",
    ),
    "S205.station": ("the station number is missing.", "", "не указан номер участка.", ""),
    "S206": (
        "the region is missing (with no 'code' column, the station's code is"
        " made from region and number).",
        "Type the region, or add a 'code' column.",
        "не указан регион (без столбца «код» код участка составляется из региона и номера).",
        "Введите регион или добавьте столбец «код».",
    ),
    "S206.letters": (
        "the region '{region}' has no letters or digits to make a code from.",
        "Type the region, or add a 'code' column.",
        "в регионе «{region}» нет букв или цифр, из которых можно составить код.",
        "Введите регион или добавьте столбец «код».",
    ),
    "S207": (
        "the station code is missing.",
        "Type the station's code; every station needs its own.",
        "не указан код участка.",
        "Введите код участка; у каждого участка должен быть свой.",
    ),
    "S207.station": ("the station code is missing.", "", "не указан код участка.", ""),
    "S208": (
        "the columns '{first}' and '{second}' both give the station's {field}.",
        "Delete or rename one of them.",
        "столбцы «{first}» и «{second}» оба задают {field} участка.",
        "Удалите или переименуйте один из них.",
    ),
    "S209": (
        "the number of registered voters is '{text}', which is not a whole number ≥ 0.",
        "Write the count as a whole number with digits only, such as 1234 or 1 234.",
        "число избирателей «{text}» не является целым числом ≥ 0.",
        "Запишите число только цифрами, например 1234 или 1 234.",
    ),
    "S209.negative": (
        "the number of registered voters is '{text}', which is not a whole number ≥ 0"
        " (it is negative).",
        "Write the count as a whole number with digits only, such as 1234 or 1 234.",
        "число избирателей «{text}» не является целым числом ≥ 0 (оно отрицательное).",
        "Запишите число только цифрами, например 1234 или 1 234.",
    ),
    "S209.separators": (
        "the number of registered voters is '{text}', which is not a whole number ≥ 0"
        " (commas and points are not allowed).",
        "Write the count as a whole number with digits only, such as 1234 or 1 234.",
        "число избирателей «{text}» не является целым числом ≥ 0 (запятые и точки не допускаются).",
        "Запишите число только цифрами, например 1234 или 1 234.",
    ),
    "S209.large": (
        "the number of registered voters '{text}' is too large.",
        "Write the count as a whole number with digits only, such as 1234 or 1 234.",
        "число избирателей «{text}» слишком велико.",
        "Запишите число только цифрами, например 1234 или 1 234.",
    ),
    "S209.station": (
        "{voters} registered voters is not possible.",
        "",
        "число избирателей {voters} невозможно.",
        "",
    ),
    "S210": (
        "the code '{code}' is also on row {first}; each station needs its own code.",
        "Delete one of the two rows, or give one of them another code.",
        "код «{code}» есть и в строке {first}; у каждого участка должен быть свой код.",
        "Удалите одну из двух строк или дайте одной из них другой код.",
    ),
    "S210.derived": (
        "region and number make the code '{code}', which row {first} makes too; two rows"
        " describe one station.",
        "Delete one of the two rows, or add a 'code' column that tells them apart.",
        "регион и номер дают код «{code}», как и в строке {first}; две строки описывают"
        " один участок.",
        "Удалите одну из двух строк или добавьте столбец «код», который их различает.",
    ),
    # -- I1xx, I2xx: importing reports from a sheet ------------------------------------------------
    "I101": (
        "form {form!r} has no question called {header!r}.",
        "Rename the column to a question name (see 'pollcheck forms export') or remove it.",
        "в форме «{form}» нет вопроса «{header}».",
        "Переименуйте столбец по имени вопроса (см. pollcheck forms export) или удалите его.",
    ),
    "I101.repeat": (
        "repeat {repeat!r} of form {form!r} has no question called {header!r}.",
        "Rename the column to a question of the repeat, or remove it.",
        "в повторяющемся блоке «{repeat}» формы «{form}» нет вопроса «{header}».",
        "Переименуйте столбец по имени вопроса этого блока или удалите его.",
    ),
    "I102": (
        "this question is inside a repeat; its rows cannot come from one sheet.",
        "Remove the column; enter those answers in the program.",
        "этот вопрос внутри повторяющегося блока; его строки нельзя взять из одного листа.",
        "Удалите столбец; введите эти ответы в программе.",
    ),
    "I103": (
        "there is no 'station' column, and this form is filled at a station.",
        "Add a 'station' column of station codes.",
        "нет столбца «station», а эта форма заполняется на участке.",
        "Добавьте столбец «station» с кодами участков.",
    ),
    "I104": (
        "the sheet has no rows of answers.",
        "Check that you chose the right file.",
        "на листе нет строк с ответами.",
        "Проверьте, тот ли файл выбран.",
    ),
    "I105.status": (
        "{status!r} is not a status.",
        "Write draft or complete.",
        "«{status}» — не статус.",
        "Напишите draft или complete.",
    ),
    "I105.uuid": (
        "{text!r} is not a report id (UUID).",
        "Leave it empty for a new report.",
        "«{text}» — не идентификатор отчета (UUID).",
        "Для нового отчета оставьте ячейку пустой.",
    ),
    "I105.same_uuid": (
        "the same report id is on row {row}.",
        "Keep one row per report.",
        "тот же идентификатор отчета есть в строке {row}.",
        "Оставьте по одной строке на отчет.",
    ),
    "I105.station": (
        "station {station!r} is not in the mission's registry.",
        "Correct the code, or import the station list first ('pollcheck stations import').",
        "участка «{station}» нет в реестре миссии.",
        "Исправьте код или сначала загрузите список участков (pollcheck stations import).",
    ),
    "I105.no_station": (
        "no station given.",
        "Write the station's code.",
        "участок не указан.",
        "Напишите код участка.",
    ),
    "I105.station_absent": (
        "form {form!r} is not about one station.",
        "Leave the station empty; give the region.",
        "форма «{form}» не относится к одному участку.",
        "Оставьте участок пустым; укажите регион.",
    ),
    "I105.time": (
        "{text!r} is not a date and time.",
        "Write it as YYYY-MM-DDTHH:MM:SS (Excel dates work too).",
        "«{text}» — не дата и время.",
        "Запишите в виде ГГГГ-ММ-ДДTЧЧ:ММ:СС (даты Excel тоже подходят).",
    ),
    "I106": (
        "report {uuid} is a report of form {form!r}, not {expected!r}.",
        "Import this row with that form, or leave its uuid empty for a new report.",
        "отчет {uuid} относится к форме «{form}», а не «{expected}».",
        "Загрузите эту строку с той формой или оставьте uuid пустым для нового отчета.",
    ),
    "I107": (
        "report {uuid} is deleted in the mission.",
        "Restore it in the program first, or leave the uuid empty for a new report.",
        "отчет {uuid} удален в миссии.",
        "Сначала восстановите его в программе или оставьте uuid пустым для нового отчета.",
    ),
    "I108": (
        "no report with id {id!r} on the first sheet ({sheet}).",
        "Give each row of a repeat the id of its report, as on the first sheet.",
        "на первом листе ({sheet}) нет отчета с идентификатором «{id}».",
        "Укажите в каждой строке повторяющегося блока идентификатор ее отчета,"
        " как на первом листе.",
    ),
    "I109": (
        "{text!r} is not a row number.",
        "Number the rows of each report 1, 2, 3…",
        "«{text}» — не номер строки.",
        "Нумеруйте строки каждого отчета 1, 2, 3…",
    ),
    "I109.nested": (
        "{text!r} is not a row number within its enclosing rows, such as 2.1.",
        "Number the rows of each report 1, 2, 3…",
        "«{text}» — не номер строки внутри охватывающих строк, такой как 2.1.",
        "Нумеруйте строки каждого отчета 1, 2, 3…",
    ),
    "I110": ("{message}", "Correct the value.", "{message}", "Исправьте значение."),
    "I110.required": (
        "{message}",
        "Fill it in, or set the row's status to draft.",
        "{message}",
        "Заполните ответ или поставьте строке статус draft.",
    ),
    "I110.constraint": (
        "{message}",
        "Correct the value, or set the row's status to draft to keep it as typed.",
        "{message}",
        "Исправьте значение или поставьте строке статус draft, чтобы сохранить его как есть.",
    ),
    "I110.choice": (
        "{message}",
        "Use one of the form's choice names (or labels).",
        "{message}",
        "Используйте имя (или подпись) одного из вариантов ответа формы.",
    ),
    "I110.integer": ("{message}", "Write a whole number.", "{message}", "Напишите целое число."),
    "I110.decimal": ("{message}", "Write a number.", "{message}", "Напишите число."),
    "I110.date": (
        "{message}",
        "Write the date as YYYY-MM-DD.",
        "{message}",
        "Запишите дату в виде ГГГГ-ММ-ДД.",
    ),
    "I110.time": (
        "{message}",
        "Write the time as HH:MM.",
        "{message}",
        "Запишите время в виде ЧЧ:ММ.",
    ),
    "I110.datetime": (
        "{message}",
        "Write it as YYYY-MM-DDTHH:MM.",
        "{message}",
        "Запишите в виде ГГГГ-ММ-ДДTЧЧ:ММ.",
    ),
    "I201": (
        "answer dropped: the question does not apply given the row's other answers.",
        "",
        "ответ отброшен: при других ответах этой строки вопрос не задается.",
        "",
    ),
    # -- R1xx: saving reports --------------------------------------------------------------------
    "R101": (
        "form {form!r} is filled at a station, and no station was given.",
        "Choose the station.",
        "форма «{form}» заполняется на участке, а участок не указан.",
        "Выберите участок.",
    ),
    "R102": (
        "form {form!r} is not about one station.",
        "Leave the station empty; give the region.",
        "форма «{form}» не относится к одному участку.",
        "Оставьте участок пустым; укажите регион.",
    ),
    "R103": (
        "station {station!r} is not in the mission's station registry.",
        "Check the code, or import the station list first.",
        "участка «{station}» нет в реестре участков миссии.",
        "Проверьте код или сначала загрузите список участков.",
    ),
    "R110": ("{message}", "", "{message}", ""),
    # -- M1xx: merging ---------------------------------------------------------------------------
    "M101": (
        "there is no such file.",
        "Check the file's name and folder.",
        "такого файла нет.",
        "Проверьте имя файла и папку.",
    ),
    "M102": _fresh(
        "this is not a Pollcheck mission file (not an SQLite database).",
        "это не файл миссии Pollcheck (не база данных SQLite).",
    ),
    "M102.zip": _fresh(
        "this is a ZIP archive (perhaps a compressed or renamed file), not a mission file.",
        "это архив ZIP (возможно, сжатый или переименованный файл), а не файл миссии.",
    ),
    "M102.empty": _fresh("the file is empty.", "файл пуст."),
    "M103": _fresh("the file is damaged ({error}).", "файл поврежден ({error})."),
    "M103.workbook": _fresh(
        "the workbook cannot be read ({reason})", "книгу не удается прочитать ({reason})"
    ),
    "M104": _fresh(
        "this is an SQLite database of another program, not a Pollcheck mission file.",
        "это база данных SQLite другой программы, а не файл миссии Pollcheck.",
    ),
    "M104.unfinished": _fresh(
        "the file is not a finished mission file.", "это незавершенный файл миссии."
    ),
    "M105": (
        "the file was written by a newer Pollcheck (file schema {version}, this "
        "Pollcheck reads up to {supported}).",
        "Install the newer Pollcheck on this computer, then merge again.",
        "файл записан более новой версией Pollcheck (схема файла {version}, эта версия "
        "читает схемы до {supported}).",
        "Установите новую версию Pollcheck на этот компьютер и объедините снова.",
    ),
    "M106": _fresh(
        "the file's tables are not those of a Pollcheck mission file (schema "
        "{version}): it has {wrong}. It was changed by another program.",
        "таблицы файла не такие, как в файле миссии Pollcheck (схема {version}): "
        "в нем {wrong}. Его изменила другая программа.",
    ),
    "M106.record": _fresh(
        "the file has no proper mission record.", "в файле нет правильной записи о миссии."
    ),
    "M107": _fresh(
        "the file has views that Pollcheck did not make ({views}). It was "
        "changed by another program.",
        "в файле есть представления, созданные не Pollcheck ({views}). "
        "Его изменила другая программа.",
    ),
    "M108": (
        "this file belongs to the mission {title!r} ({mission_id}), not to "
        "{target_title!r} ({target_id}).",
        "Merge it into a file of its own mission, or ask for the right file.",
        "этот файл относится к миссии «{title}» ({mission_id}), а не к "
        "«{target_title}» ({target_id}).",
        "Объедините его с файлом его миссии или попросите нужный файл.",
    ),
    "M109.reports": _fresh(
        "the content of reports {reports} does not match its digest:"
        " the file was changed by another program or damaged.",
        "содержимое отчетов {reports} не совпадает с контрольной суммой:"
        " файл изменен другой программой или поврежден.",
    ),
    "M109.history": _fresh(
        "the content of the history of reports {reports} does not match its digest:"
        " the file was changed by another program or damaged.",
        "содержимое истории отчетов {reports} не совпадает с контрольной суммой:"
        " файл изменен другой программой или поврежден.",
    ),
    "M110.definitions": _fresh(
        "the definitions of form {forms} are damaged.", "описания форм {forms} повреждены."
    ),
    "M110.workbooks": _fresh(
        "the workbooks of form {forms} are damaged.", "файлы XLSForm форм {forms} повреждены."
    ),
    "M110.history_orphans": _fresh(
        "the file has history of reports {reports} but not the reports.",
        "в файле есть история отчетов {reports}, но нет самих отчетов.",
    ),
    "M110.history_mismatch": _fresh(
        "the history of reports {reports} does not match the reports.",
        "история отчетов {reports} не соответствует отчетам.",
    ),
    "M110.stations": _fresh(
        "stations {stations} have values that Pollcheck never writes.",
        "у участков {stations} есть значения, которые Pollcheck никогда не записывает.",
    ),
    "M110.observers": _fresh(
        "observers {observers} have values that Pollcheck never writes.",
        "у наблюдателей {observers} есть значения, которые Pollcheck никогда не записывает.",
    ),
    "M110.reports": _fresh(
        "reports {reports} have values that Pollcheck never writes.",
        "у отчетов {reports} есть значения, которые Pollcheck никогда не записывает.",
    ),
    "M110.history": _fresh(
        "the history of reports {reports} has values that Pollcheck never writes.",
        "в истории отчетов {reports} есть значения, которые Pollcheck никогда не записывает.",
    ),
    "M110.inconsistent": _fresh(
        "the file's data is inconsistent ({error}).", "данные файла противоречивы ({error})."
    ),
    "M111": (
        "the file has reports of form {forms}, which neither it nor this mission has.",
        "Add that form version to this mission first, then merge again.",
        "в файле есть отчеты формы {forms}, которой нет ни в нем, ни в этой миссии.",
        "Сначала добавьте эту версию формы в миссию, затем объедините снова.",
    ),
    "M112": _fresh(
        "reports {reports} are of another form in this mission; a report never changes its form.",
        "отчеты {reports} в этой миссии относятся к другой форме; отчет никогда не меняет форму.",
    ),
    "M113": (
        "this workbook has no report ids: its first sheet ({sheet}) has no 'uuid'"
        " and 'revision' columns, as the Reports sheet of a Pollcheck export has.",
        "Import it with 'pollcheck reports import' instead (its rows then become new saves), "
        "or ask for the observer's mission file.",
        "в этой книге нет идентификаторов отчетов: на ее первом листе ({sheet}) нет столбцов"
        " «uuid» и «revision», как на листе Reports экспорта Pollcheck.",
        "Вместо этого загрузите ее командой pollcheck reports import (ее строки станут новыми"
        " сохранениями) или попросите у наблюдателя его файл миссии.",
    ),
    "M114": (
        "the file was not closed properly: its '-wal' file beside it holds saves "
        "that are not in the file yet, and the folder is read-only.",
        "Copy the file and its '-wal' file to a folder you can write to and merge "
        "the copy, or ask for a fresh copy made with 'Prepare file for HQ'.",
        "файл не был правильно закрыт: рядом с ним лежит его файл «-wal» с сохранениями, "
        "которых еще нет в файле, а папка только для чтения.",
        "Скопируйте файл вместе с его файлом «-wal» в папку, доступную для записи, и объедините "
        "копию или попросите свежую копию, сделанную командой «Подготовить файл для штаба».",
    ),
    "M115": (
        "this is the file being merged into.",
        "Choose the files that came from observers or regions.",
        "это тот самый файл, в который идет объединение.",
        "Выберите файлы, полученные от наблюдателей или из регионов.",
    ),
    "M116": (
        "the file cannot be read ({error}).",
        "Check the USB stick or disk, copy the file to this computer, and merge the copy.",
        "файл не читается ({error}).",
        "Проверьте флешку или диск, скопируйте файл на этот компьютер и объедините копию.",
    ),
    "M117": (
        "the row has no report id.",
        "Give the row its report's id as the export wrote it, or import it with "
        "'pollcheck reports import'.",
        "в строке нет идентификатора отчета.",
        "Укажите в строке идентификатор ее отчета так, как его записал экспорт, или загрузите"
        " ее командой pollcheck reports import.",
    ),
    "M117.rows": (
        "{n} problem(s) in the workbook's rows, listed below; nothing of it was merged.",
        "Correct the workbook's rows (or ask the observer to), then merge it again.",
        "проблем в строках книги: {n} (они перечислены ниже); из нее ничего не объединено.",
        "Исправьте строки книги (или попросите об этом наблюдателя) и объедините ее снова.",
    ),
    "M117.revision": (
        "{text!r} is not a revision.",
        "Write the report's revision as the export wrote it: a whole number from 1.",
        "«{text}» — не номер редакции.",
        "Запишите редакцию отчета так, как ее записал экспорт: целое число от 1.",
    ),
    "M117.no_revision": (
        "the row has no revision.",
        "Write the report's revision as the export wrote it: a whole number from 1.",
        "в строке нет редакции.",
        "Запишите редакцию отчета так, как ее записал экспорт: целое число от 1.",
    ),
    "M117.updated": (
        "{text!r} is not a date and time.",
        "Write it as YYYY-MM-DDTHH:MM:SS, or leave it empty.",
        "«{text}» — не дата и время.",
        "Запишите в виде ГГГГ-ММ-ДДTЧЧ:ММ:СС или оставьте пустым.",
    ),
    "M118": (
        "the workbook's reports cannot be matched to a form: its columns are not the"
        " questions of any of this mission's forms.",
        "Check that the workbook was exported from this mission, whose forms it must have.",
        "отчеты книги не удается сопоставить с формой: ее столбцы не совпадают с вопросами"
        " ни одной формы этой миссии.",
        "Проверьте, что книга экспортирована из этой миссии: в ней должны быть ее формы.",
    ),
    "M118.several": (
        "the workbook's reports cannot be matched to a form: its columns fit several of this"
        " mission's forms ({forms}), and none of its reports is in this mission.",
        "Check that the workbook was exported from this mission, whose forms it must have.",
        "отчеты книги не удается сопоставить с формой: ее столбцы подходят к нескольким формам"
        " этой миссии ({forms}), а ни одного ее отчета в этой миссии нет.",
        "Проверьте, что книга экспортирована из этой миссии: в ней должны быть ее формы.",
    ),
}


def _catalog() -> dict[str, dict[str, tuple[str, str]]]:
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for key, (en, ru) in _TEXTS.items():
        out[key] = {"en": (en, ""), "ru": (ru, "")}
    for key, (en, en_fix, ru, ru_fix) in _PROBLEMS.items():
        assert key not in out, key
        out[key] = {"en": (en, en_fix), "ru": (ru, ru_fix)}
    return out


CATALOG: Mapping[str, Mapping[str, tuple[str, str]]] = _catalog()
"""Every message: key -> language -> (text, fix)."""
