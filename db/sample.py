"""A mission's sample declaration and the 95% intervals it allows (Wilson; stratified by region).

Without a declaration no interval is given: stations that were not drawn at random support no
margin of error. The population is the station registry; the sample is the registry's stations
(all of them, or those whose registry column ``column`` is true) that were drawn at random.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Literal

from db.errors import InputError
from db.mission import Mission

Design = Literal["simple", "stratified"]
Z95 = 1.959963984540054
_TRUE = {"1", "yes", "y", "true", "x", "да", "+"}


@dataclass(frozen=True)
class Sample:
    """``design``: simple random or stratified by region; ``column``: registry column marking
    the drawn stations (None: every registered station may be in the sample)."""

    design: Design
    column: str | None = None


@dataclass(frozen=True)
class Frame:
    """The population and sample sizes an interval needs, from the registry."""

    sample: Sample
    population: int  # stations in the registry
    strata: Mapping[str, int]  # region -> stations in the registry
    in_sample: frozenset[str] | None  # station codes drawn (None: any registered station)


def declare_sample(mission: Mission, design: Design | None, column: str | None = None) -> None:
    """Declare (or with ``design=None`` withdraw) the mission's sample."""
    if design is not None and design not in ("simple", "stratified"):
        raise InputError(f"{design!r} is not a sample design. Use simple or stratified.")
    if design is not None and column:
        found = mission.conn.execute(
            "SELECT count(*) FROM stations WHERE json_extract(attributes, '$.' || json_quote(?))"
            " IS NOT NULL",
            (column,),
        ).fetchone()[0]
        if not found:
            raise InputError(
                f"No station of the registry has a column {column!r}. Import a station list "
                "with that column (1/yes for the stations drawn), or leave --column out."
            )
    value = None if design is None else json.dumps(asdict(Sample(design, column or None)))
    with mission.transaction():
        mission.conn.execute("UPDATE mission SET sample = ? WHERE id = 1", (value,))


def get_sample(mission: Mission) -> Sample | None:
    row = mission.conn.execute("SELECT sample FROM mission WHERE id = 1").fetchone()
    if row is None or not row[0]:
        return None
    data = json.loads(row[0])
    return Sample(design=data["design"], column=data.get("column"))


def sample_frame(mission: Mission) -> Frame | None:
    """The registry's sizes for the declared sample; None when no sample is declared."""
    sample = get_sample(mission)
    if sample is None:
        return None
    strata: dict[str, int] = {}
    for region, n in mission.conn.execute(
        "SELECT coalesce(region, ''), count(*) FROM stations GROUP BY 1"
    ):
        strata[region] = n
    in_sample = None
    if sample.column:
        rows = mission.conn.execute(
            "SELECT code, json_extract(attributes, '$.' || json_quote(?)) FROM stations",
            (sample.column,),
        )
        in_sample = frozenset(
            code for code, flag in rows if str(flag or "").strip().lower() in _TRUE
        )
    return Frame(sample, sum(strata.values()), strata, in_sample)


def wilson(x: int, n: int, population: int | None = None) -> tuple[float, float] | None:
    """Wilson's 95% interval for x of n, in percent, with the finite-population correction.

    The correction shrinks the variance by (N - n) / (N - 1): the effective sample size grows
    as the sample covers more of the population, and the interval closes when it covers all.
    """
    if n <= 0:
        return None
    p = x / n
    n_eff = float(n)
    if population is not None and population > 1 and n < population:
        n_eff = n * (population - 1) / (population - n)
    elif population is not None and n >= population:
        return (round(100 * p, 2), round(100 * p, 2))
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = Z95 * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff)) / (1 + z2 / n_eff)
    return (round(100 * max(0.0, centre - half), 2), round(100 * min(1.0, centre + half), 2))


@dataclass(frozen=True)
class Stratified:
    """A stratified estimate: weighted percent, its standard error, and the 95% interval."""

    estimate: float
    se: float
    ci95: tuple[float, float]


def stratified(
    counts: Iterable[tuple[str, int, int]], strata: Mapping[str, int]
) -> Stratified | None:
    """The stratum-weighted estimate from ``(stratum, x, n)`` per stratum, in percent.

    Weights are the strata's registry sizes; strata without observations are left out and the
    weights of the others renormalised. Variance: sum of W_h² (1 - f_h) p_h (1 - p_h) / (n_h - 1).
    """
    rows = [(h, x, n) for h, x, n in counts if n > 0 and strata.get(h, 0) > 0]
    if not rows:
        return None
    total = sum(strata[h] for h, _x, _n in rows)
    estimate = 0.0
    variance = 0.0
    for h, x, n in rows:
        w = strata[h] / total
        p = x / n
        f = min(1.0, n / strata[h])
        estimate += w * p
        variance += w * w * (1 - f) * p * (1 - p) / max(1, n - 1)
    se = math.sqrt(variance)
    lo, hi = max(0.0, estimate - Z95 * se), min(1.0, estimate + Z95 * se)
    return Stratified(
        round(100 * estimate, 2), round(100 * se, 2), (round(100 * lo, 2), round(100 * hi, 2))
    )
