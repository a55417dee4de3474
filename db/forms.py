"""The forms of a mission: every version with its workbook, and a readable view per form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from db.errors import InputError, Items, NotFoundError, Phrase
from db.mission import Mission, now
from forms.definition import form_from_dict, form_to_dict
from forms.files import write_atomically
from forms.model import Form, Question

# Columns every form view starts with; a question of the same name gets a "q_" prefix.
_VIEW_COLUMNS = (
    "uuid",
    "station_code",
    "station_number",
    "region",
    "district",
    "observer",
    "status",
    "revision",
    "created",
    "updated",
)


@dataclass(frozen=True)
class FormRecord:
    """One stored version of a form."""

    form_id: str
    version: str
    title: str
    added: str
    latest: bool
    reports: int


@dataclass(frozen=True)
class AddedForm:
    """What :func:`add_form` did: ``status`` is ``added``, ``new_version`` or ``unchanged``."""

    form: Form
    status: str


def quote(identifier: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + identifier.replace('"', '""') + '"'


def add_form(
    mission: Mission, source: str | Path | bytes, *, filename: str | None = None
) -> AddedForm:
    """Add a form workbook to the mission, or a new version of a form it has.

    The same version with the same workbook changes nothing; the same version with another
    workbook is refused (the author must raise ``version`` in the settings sheet).

    Raises:
        FormError: the workbook is not a usable form (every problem listed).
        InputError: the version exists already with other content.
    """
    # Imported here: the XLSForm reader (pyxform, openpyxl) takes a third of a second to import,
    # and the desktop program starts without it.
    from forms.xlsform import load_form

    if isinstance(source, bytes):
        data, name = source, filename or "form.xlsx"
        form = load_form(data, filename=name)
    else:
        path = Path(source)
        form = load_form(path, filename=filename)  # reads and checks it, with clear errors
        data, name = path.read_bytes(), filename or path.name
    import hashlib  # on first use: start-up time

    digest = hashlib.sha256(data).hexdigest()
    definition = json.dumps(form_to_dict(form), ensure_ascii=False)
    existing = mission.conn.execute(
        "SELECT definition FROM forms WHERE form_id = ? AND version = ?",
        (form.form_id, form.version),
    ).fetchone()
    if existing is not None:
        # The same form, even from a workbook saved again (other bytes, same content).
        if existing[0] == definition:
            return AddedForm(form, "unchanged")
        raise InputError(
            Phrase("form.version_exists", name=name, version=form.version, form=form.form_id)
        )
    had_form = mission.conn.execute(
        "SELECT 1 FROM forms WHERE form_id = ?", (form.form_id,)
    ).fetchone()
    with mission.transaction():
        seq = mission.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM forms").fetchone()[0]
        mission.db["forms"].insert(
            {
                "form_id": form.form_id,
                "version": form.version,
                "seq": seq,
                "title": form.title,
                "definition": definition,
                "workbook": data,
                "workbook_name": name,
                "sha256": digest,
                "added": now(),
            }
        )
        _create_view(mission, form)
    mission._forms_cache.clear()
    return AddedForm(form, "new_version" if had_form else "added")


def get_form(mission: Mission, form_id: str, version: str | None = None) -> Form:
    """A form of the mission: ``version``, or the latest one added.

    Raises:
        NotFoundError: the mission has no such form or version.
    """
    key = (form_id, version or "")
    cached = mission._forms_cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    if version is None:
        row = mission.conn.execute(
            "SELECT definition FROM forms WHERE form_id = ? ORDER BY seq DESC LIMIT 1", (form_id,)
        ).fetchone()
    else:
        row = mission.conn.execute(
            "SELECT definition FROM forms WHERE form_id = ? AND version = ?", (form_id, version)
        ).fetchone()
    if row is None:
        ids = [r.form_id for r in list_forms(mission) if r.latest]
        known = Items(ids, shown=None) if ids else Phrase("none_yet")
        raise NotFoundError(
            Phrase("form.version_not_found", form=form_id, version=version, known=known)
            if version
            else Phrase("form.not_found", form=form_id, known=known)
        )
    form = form_from_dict(json.loads(row[0]))
    mission._forms_cache[key] = form
    return form


def list_forms(mission: Mission) -> list[FormRecord]:
    """Every version of every form, oldest first, with its count of reports."""
    rows = mission.conn.execute(
        """
        SELECT f.form_id, f.version, f.title, f.added,
               f.seq = (SELECT max(seq) FROM forms g WHERE g.form_id = f.form_id),
               (SELECT count(*) FROM reports r
                 WHERE r.form_id = f.form_id AND r.form_version = f.version AND r.deleted = 0)
          FROM forms f ORDER BY f.form_id, f.seq
        """
    ).fetchall()
    return [FormRecord(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]


def export_workbook(
    mission: Mission, form_id: str, out: str | Path, version: str | None = None
) -> Path:
    """Write the form's original workbook to ``out`` (atomically), to edit and add again."""
    form = get_form(mission, form_id, version)
    data = mission.conn.execute(
        "SELECT workbook FROM forms WHERE form_id = ? AND version = ?",
        (form.form_id, form.version),
    ).fetchone()[0]
    return write_atomically(Path(out), bytes(data))


def view_name(form_id: str) -> str:
    """The readable view of a form's reports: ``reports_<form_id>`` (quote it: ids may hold -)."""
    return "reports_" + form_id


def view_sql(form: Form) -> str:
    """The ``CREATE VIEW`` statement of ``reports_<form_id>`` for ``form``, as SQLite keeps it.

    One row per report, one column per question. Merging compares a file's views with this
    text: a view that is not exactly ours is refused.
    """
    columns = [
        "r.uuid AS uuid",
        "r.station_code AS station_code",
        "s.number AS station_number",
        "coalesce(r.region, s.region) AS region",
        "s.district AS district",
        "r.observer AS observer",
        "r.status AS status",
        "r.revision AS revision",
        "r.created AS created",
        "r.updated AS updated",
    ]
    taken = set(_VIEW_COLUMNS)
    for item, parents in form.walk():
        if not isinstance(item, Question) or not item.takes_answer:
            continue
        if any(p.repeat for p in parents):
            continue  # rows of a repeat stay in the answers JSON
        alias = item.name if item.name not in taken else f"q_{item.name}"
        taken.add(alias)
        path = "$." + json.dumps(item.name)
        columns.append(f"json_extract(r.answers, '{path}') AS {quote(alias)}")
    name = quote(view_name(form.form_id))
    return (
        f"CREATE VIEW {name} AS SELECT {', '.join(columns)} FROM reports r "
        "LEFT JOIN stations s ON s.code = r.station_code "
        f"WHERE r.deleted = 0 AND r.form_id = {_sql_string(form.form_id)}"
    )


def _create_view(mission: Mission, form: Form) -> None:
    """(Re)create ``reports_<form_id>`` from ``form``."""
    mission.conn.execute(f"DROP VIEW IF EXISTS {quote(view_name(form.form_id))}")
    mission.conn.execute(view_sql(form))


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
