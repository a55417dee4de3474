"""The built-in templates: they load, speak English and Russian throughout, and cover the findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.definition import form_to_dict
from forms.model import Form, Group
from forms.tables import workbook_bytes
from forms.templates import TEMPLATES, template, templates
from forms.xlsform import load_form

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_template__loads_with_both_languages(name: str) -> None:
    form = template(name).form
    assert form.language_codes() == ("en", "ru")
    assert form.title_in("ru") != form.title_in("en")


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_template__every_text_in_english_and_russian(name: str) -> None:
    form = template(name).form
    missing = []
    for item, _parents in form.walk():
        texts = {"label": item.labels}
        if not isinstance(item, Group):
            texts |= {
                "hint": item.hints,
                "constraint_message": item.constraint_messages,
                "required_message": item.required_messages,
            }
        for column, labels in texts.items():
            if labels and set(labels) != {"en", "ru"}:
                missing.append(f"{item.name}.{column}")
    for list_name, choices in form.choices.items():
        missing += [f"{list_name}/{c.name}" for c in choices if set(c.labels) != {"en", "ru"}]
    assert missing == []


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_template__workbook_built_from_its_markdown_source(name: str) -> None:
    source = ROOT / "resources" / "templates" / TEMPLATES[name].replace(".xlsx", ".md")
    rebuilt = load_form(workbook_bytes(source.read_text(encoding="utf-8")))
    shipped = template(name).form
    # Run `make templates` after editing a template's markdown source.
    assert form_to_dict(rebuilt) == form_to_dict(shipped)


def _findings(form: Form) -> set[str]:
    return {q.name for q in form.questions() if q.finding is not None}


def test_election_day__every_problem_of_the_enemo_report__has_a_finding() -> None:
    form = template("election_day").form
    # Section III of shared/domain's preliminary report, problem by problem.
    named_in_report = {
        "opening_boxes_sealed",  # ballot boxes were not sealed
        "unauthorized_present",  # police officers and other strangers present
        "campaigning",  # campaigning on election day
        "sample_ballot_posted",  # no posted sample of how to fill in ballots
        "opening_protocol",  # opening protocol in pencil or not filled in
        "absentee_voters_recorded",  # absentee certificates not in the voter list
        "absentee_data_available",  # data on absentee certificates not available
        "mobile_list_marked",  # voter list not marked for mobile voting
        "organized_voting",  # organized voting of students
        "voting_tracked",  # lists of who voted kept by administrators
        "voters_added",  # hundreds added to the list on election day
        "evoting_help",  # electronic voting with help from commission members
        "evoting_failures",  # failures of the electronic system
        "observer_access",  # observers obstructed
    }
    assert named_in_report <= _findings(form)


def test_election_day__station_required_and_no_station_question() -> None:
    form = template("election_day").form
    assert form.station == "required"
    names = {q.name for q in form.questions()}
    assert not names & {"station", "station_code", "station_number", "region", "district"}


def test_other_templates__station_rules() -> None:
    assert template("critical_incident").form.station == "optional"
    assert template("lto_weekly").form.station == "absent"
    assert [t.name for t in templates()] == list(TEMPLATES)
