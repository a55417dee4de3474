"""Turns a form into plain JSON-able data and back: how a form is kept in the mission file."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from forms.expressions import Expression, parse
from forms.model import Choice, Form, Group, Language, Question

# Bumped when the shape below changes; older shapes stay readable.
DEFINITION_FORMAT = 1

_EXPRESSIONS = ("required", "relevant", "constraint", "calculation", "finding")
_LABELS = ("labels", "hints", "required_messages", "constraint_messages")


def _expr(e: Expression | None) -> str | None:
    return None if e is None else e.source


def _element_to_dict(item: Question | Group) -> dict[str, Any]:
    if isinstance(item, Group):
        return {
            "kind": "repeat" if item.repeat else "group",
            "name": item.name,
            "row": item.row,
            "labels": dict(item.labels),
            "relevant": _expr(item.relevant),
            "appearance": item.appearance,
            "children": [_element_to_dict(c) for c in item.children],
        }
    out: dict[str, Any] = {
        "kind": "question",
        "name": item.name,
        "type": item.type,
        "row": item.row,
        "list_name": item.list_name,
        "default": item.default,
        "read_only": item.read_only,
        "appearance": item.appearance,
    }
    for key in _LABELS:
        out[key] = dict(getattr(item, key))
    for key in _EXPRESSIONS:
        out[key] = _expr(getattr(item, key))
    return out


def form_to_dict(form: Form) -> dict[str, Any]:
    """The form as JSON-able data (expressions by their source text)."""
    return {
        "format": DEFINITION_FORMAT,
        "form_id": form.form_id,
        "title": form.title,
        "titles": dict(form.titles),
        "version": form.version,
        "languages": [[lang.code, lang.name] for lang in form.languages],
        "default_language": form.default_language,
        "station": form.station,
        "calculation_order": list(form.calculation_order),
        "registry_limits": list(form.registry_limits),
        "voters_added": form.voters_added,
        "registered_voters": form.registered_voters,
        "choices": {
            name: [[c.name, dict(c.labels)] for c in items] for name, items in form.choices.items()
        },
        "children": [_element_to_dict(c) for c in form.children],
    }


def _parse(text: str | None) -> Expression | None:
    return None if text is None else parse(text)


def _labels(d: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(d or {}))


def _element_from_dict(d: Mapping[str, Any]) -> Question | Group:
    if d["kind"] in ("group", "repeat"):
        return Group(
            name=d["name"],
            row=d.get("row", 0),
            labels=_labels(d.get("labels")),
            relevant=_parse(d.get("relevant")),
            repeat=d["kind"] == "repeat",
            appearance=d.get("appearance"),
            children=tuple(_element_from_dict(c) for c in d.get("children", [])),
        )
    return Question(
        name=d["name"],
        type=d["type"],
        row=d.get("row", 0),
        list_name=d.get("list_name"),
        default=d.get("default"),
        read_only=bool(d.get("read_only")),
        appearance=d.get("appearance"),
        **{key: _labels(d.get(key)) for key in _LABELS},
        **{key: _parse(d.get(key)) for key in _EXPRESSIONS},
    )


def form_from_dict(d: Mapping[str, Any]) -> Form:
    """The form kept by :func:`form_to_dict`."""
    return Form(
        form_id=d["form_id"],
        title=d["title"],
        titles=_labels(d.get("titles")),
        version=d["version"],
        languages=tuple(Language(code, name) for code, name in d["languages"]),
        default_language=d["default_language"],
        station=d.get("station", "required"),
        calculation_order=tuple(d.get("calculation_order", ())),
        registry_limits=tuple(d.get("registry_limits", ())),
        voters_added=d.get("voters_added"),
        registered_voters=d.get("registered_voters"),
        choices=MappingProxyType(
            {
                name: tuple(Choice(c[0], _labels(c[1])) for c in items)
                for name, items in d.get("choices", {}).items()
            }
        ),
        children=tuple(_element_from_dict(c) for c in d.get("children", [])),
    )
