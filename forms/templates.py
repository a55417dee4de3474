"""The built-in form templates shipped in ``resources/templates``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from forms.errors import FormError
from forms.model import Form
from forms.xlsform import load_form
from resources import resource

# Template name -> workbook file, in the order they are listed.
TEMPLATES = {
    "election_day": "election_day.xlsx",
    "critical_incident": "critical_incident.xlsx",
    "lto_weekly": "lto_weekly.xlsx",
}


@dataclass(frozen=True)
class Template:
    """A built-in form: its name (for ``--template``), the form, and the workbook's bytes."""

    name: str
    form: Form
    workbook: bytes

    @property
    def filename(self) -> str:
        return TEMPLATES[self.name]


@cache
def template(name: str) -> Template:
    """The built-in template called ``name``."""
    if name not in TEMPLATES:
        known = ", ".join(TEMPLATES)
        raise FormError(f"There is no built-in template {name!r}. The templates are: {known}.")
    data = resource("templates", TEMPLATES[name]).read_bytes()
    return Template(name, load_form(data, filename=TEMPLATES[name]), data)


def templates() -> list[Template]:
    """Every built-in template, loaded."""
    return [template(name) for name in TEMPLATES]
