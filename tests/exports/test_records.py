"""Findings per report as the exporters decide them: remembered decisions never mix answers up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from exports.records import Findings
from forms.model import Form
from forms.xlsform import load_form

FORM = """
| survey |
|  | type | name | label | finding |
|  | select_one yn | sealed | Box sealed? | . = 'no' |
|  | integer | registered | Registered | |
|  | integer | issued | Ballots issued | . > ${registered} |
|  | integer | added | Voters added | . > 0 |
|  | begin_repeat | problems | Problems | |
|  | select_one yn | resolved | Resolved? | . = 'no' |
|  | integer | hurt | People hurt | . > ${added} |
|  | end_repeat | | | |
| choices |
|  | list_name | name | label |
|  | yn | yes | Yes |
|  | yn | no | No |
| settings |
|  | form_id | version |
|  | rules | 1 |
"""


@pytest.fixture
def form(xlsform: Callable[[str], Path]) -> Form:
    return load_form(xlsform(FORM))


def test_of_report__same_answer_other_references__decided_for_each(form: Form) -> None:
    rules = Findings(form)
    assert rules.of_report({"issued": 900, "registered": 1000}) == []
    assert rules.of_report({"issued": 900, "registered": 800}) == ["issued"]
    assert rules.of_report({"issued": 900}) == []  # no number to compare with: no finding
    assert rules.of_report({"issued": 900, "registered": 800, "sealed": "no"}) == [
        "sealed",
        "issued",
    ]


def test_of_report__repeat_rows__each_finding_once_with_the_report_answers(form: Form) -> None:
    rows = [{"resolved": "no", "hurt": 1}, {"resolved": "no", "hurt": 5}]
    assert Findings(form).of_report({"added": 2, "problems": rows}) == [
        "added",
        "resolved",
        "hurt",
    ]
    assert Findings(form).of_report({"added": 7, "problems": rows}) == ["added", "resolved"]


def test_of_report__lists_and_objects_for_answers__no_crash_and_no_mix_up(form: Form) -> None:
    rules = Findings(form)
    assert rules.of_report({"sealed": ["no"], "issued": 5, "registered": [1]}) == []
    assert rules.of_report({"sealed": "no", "issued": 5, "registered": 1}) == ["sealed", "issued"]
    assert rules.of_report({"added": {"a": 1}}) == []
    assert rules.holds(form.question("sealed"), "no", lambda name: None)
    assert not rules.holds(form.question("registered"), 5, lambda name: None)  # no rule
