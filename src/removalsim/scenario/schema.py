"""The scenario's shape: every parameter of the model, with its unit, range and meaning.

A scenario file is a TOML document with these tables. Rates named `hazard_*` or
`*_rate` are per person-year; capacities are per day unless the unit says
otherwise. Parameters whose spec says `scales` are multiplied by the run's
`scale` (a proportional sample of the country).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterator, Mapping

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .params import Param, Section, check_date, date_input, outside_own_range, share, spec

CHANNELS = ("border", "evaded", "overstay")

# A scenario's (or sweep's) name becomes part of folder and file names under --out, so it is a name, never a path.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
NAME_RULE = ("letters, digits, '_', '.' and '-', starting with a letter or digit, at most 100 characters, "
             "no '..' (a name, not a path)")


def name_problem(name: Any) -> str | None:
    """Why `name` cannot name a scenario or a sweep (None if it can).

    >>> name_problem("judges_plus_700") is None, name_problem("../../x") is not None
    (True, True)
    """
    if not isinstance(name, str) or not NAME.match(name) or ".." in name:
        return f"{name!r} is not allowed; expected {NAME_RULE}"
    return None


def _safe(name: str) -> str:
    """A name as it may appear inside a dotted path of a message (no colon or line break to split the line)."""
    return re.sub(r"[:\r\n]", "_", name)[:60] or "''"


def sample_problem(sc: "Scenario", scale: float, flag: str = "scale") -> str | None:
    """Why a `scale` sample of `sc` is unusable (None if it is usable): a sample that holds nobody at the start
    would report zeros "for the whole country".

    >>> from removalsim import load_scenario
    >>> sample_problem(load_scenario("baseline"), 1e-9)[:60]
    'scale 1e-09 holds nobody: 0.014 of the 14,000,000 people of '
    """
    total = sc.population.total.number()
    held = total * scale
    if round(held) < 1:
        least = 0.5 / total if total > 0 else 1.0
        return (f"{flag} {scale:g} holds nobody: {held:.2g} of the {total:,.0f} people of {sc.name} at the start; "
                f"expected a scale of at least {least:.2g}")
    return None


def name_from_stem(stem: str) -> str:
    """A usable name made from a file's stem, for a scenario or sweep file that gives no `name`.

    >>> name_from_stem("my policy (v2)"), name_from_stem("..x"), name_from_stem("")
    ('my_policy_v2', 'x', 'scenario')
    """
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).replace("..", "_")
    name = re.sub(r"^[^A-Za-z0-9]+|_+$", "", name)[:100]
    return name or "scenario"


class Population(Section):
    """National totals at the start date; named groups take their part, the remainder group the rest."""

    total: Param = spec("people", scales=True, description="unauthorized population at the start date")
    pending_cases: Param = spec("people", scales=True, description="pending removal cases (detained and not)")
    final_orders: Param = spec("people", scales=True, description="final orders on the non-detained docket")
    protected: Param = spec("people", scales=True, description="people with TPS, parole or DACA-like protection")
    recent_entrant_share: Param = share("share of the stock who entered in the two years before the start")
    initial_backlog_age_days: Param = spec("days", description="mean age of pending cases at the start")
    recent_entrant_window_days: Param = spec("days", 1, 3650, description="a recent entrant entered this many days "
                                             "or fewer before the start")
    initial_in_absentia_share: Param = share("of the final orders at large at the start, the share given in absentia "
                                             "(they may be reopened)")
    initial_custody_age_days: Param = spec("days", 1, 365, description="the starting detainees were booked in over "
                                           "this many days before the start")
    usc_relatives_per_person: Param = spec("relatives", 1, 10, description="U.S.-citizen spouses and children of a "
                                           "person who has any (due-process measures)")


class Arrests(Section):
    """ICE interior arrests: a daily capacity spent on at-large people by priority class."""

    officers: Param = spec("officers", dated=True, scales=True, description="ERO officers making arrests")
    arrests_per_officer_day: Param = spec("arrests/officer/day", dated=True)
    weight_criminal: Param = spec("relative", dated=True, description="relative arrest propensity, criminal record")
    weight_final_order: Param = spec("relative", dated=True, description="... final order, no criminal record")
    weight_pending_case: Param = spec("relative", dated=True, description="... pending case, no criminal record")
    weight_no_case: Param = spec("relative", dated=True, description="... no case, no criminal record")
    noncooperating_factor: Param = share("arrest propensity in non-cooperating jurisdictions, relative", dated=True)
    release_share: Param = share("people arrested without a final order whom ICE releases at booking (bond, "
                                 "recognizance, parole) rather than holds", dated=True)
    cost_per_arrest: Param = spec("USD", description="officer time and processing per arrest")
    cost_per_officer_year: Param = spec("USD/year", description="an officer's pay, benefits and support for a year "
                                                               "(the fully loaded cost basis)")


class Detention(Section):
    """Detention beds: arrested people are held if a bed is free, final orders and criminal records first."""

    beds: Param = spec("beds", dated=True, scales=True)
    initial_detained: Param = spec("people", scales=True)
    initial_final_order_share: Param = share("share of the initial detained with a final order")
    bed_day_cost: Param = spec("USD/day")
    custody_limit_days: Param = spec("days", 1, description="post-order custody limit before release")


class Atd(Section):
    """Alternatives to detention for people released onto the non-detained docket."""

    capacity: Param = spec("people", dated=True, scales=True)
    initial_enrolled: Param = spec("people", scales=True)
    day_cost: Param = spec("USD/day")
    in_absentia_factor: Param = spec("relative", 0, 1, description="in-absentia chance on ATD, relative")


class Court(Section):
    """Immigration court: judges x completions per judge-day; detained docket first, then filing order."""

    judges: Param = spec("judges", dated=True, scales=True)
    completions_per_judge_day: Param = spec("cases/judge/day", dated=True)
    detained_min_days: Param = spec("days", dated=True, description="earliest decision after detention of a "
                                                                  "contested case (a merits hearing)")
    detained_first_hearing_days: Param = spec("days", description="first hearing after detention, where an "
                                                                  "uncontested case is decided")
    detained_contested_share: Param = share("detained respondents who contest removal at their first hearing",
                                            dated=True)
    nondetained_min_days: Param = spec("days", description="earliest decision after filing")
    representation_share_detained: Param = share("detained respondents with counsel")
    in_absentia_share: Param = share("non-detained unrepresented completions ordered in absentia", dated=True)
    in_absentia_factor_represented: Param = spec("relative", 0, 1)
    grant_factor_detained: Param = spec("relative", 0, 1, description="relief granted to detained respondents "
                                                                      "who contest, relative to the same "
                                                                      "respondent at large")
    voluntary_departure_share: Param = share("of hearings without relief: voluntary departure")
    closure_share: Param = share("of non-detained hearings without relief: case closed or terminated", dated=True)
    closure_share_detained: Param = share("of contested detained cases without relief: case closed or terminated",
                                          dated=True)
    voluntary_departure_compliance: Param = share("non-detained VD grantees who leave")
    cost_per_completion: Param = spec("USD")
    cost_per_judge_year: Param = spec("USD/year", description="a judge with clerks, interpreters and courtroom for "
                                                             "a year (the fully loaded cost basis)")
    reopened_per_day: Param = spec("cases/day", dated=True, scales=True,
                                   description="closed cases recalendared and in-absentia orders reopened")
    referrals_per_day: Param = spec("cases/day", dated=True, scales=True,
                                    description="cases filed against people at large without an ICE arrest or a "
                                                "border release (asylum referrals, other agencies' notices)")

    @model_validator(mode="after")
    def _outcome_shares(self) -> "Court":
        vd = self.voluntary_departure_share.number()
        for name in ("closure_share", "closure_share_detained"):
            cl = max(v for _, v in getattr(self, name).schedule())
            if vd + cl > 1:
                raise ValueError(f"voluntary_departure_share + {name} = {vd + cl:g} exceeds 1")
        first = self.detained_first_hearing_days.number()
        merits = min(v for _, v in self.detained_min_days.schedule())
        if merits < first and not outside_own_range(self.detained_min_days):  # (that message first)
            raise ValueError(f"detained_min_days {merits:g} is before detained_first_hearing_days {first:g}: a "
                             "contested case's merits hearing comes after its first hearing")
        return self


class Appeals(Section):
    """Board of Immigration Appeals: a share of removal orders appeal; capacity-limited; some reversed."""

    appeal_share_represented: Param = share()
    appeal_share_unrepresented: Param = share()
    completions_per_day: Param = spec("cases/day", dated=True, scales=True)
    min_days: Param = spec("days", description="earliest decision after filing the appeal")
    reversal_share: Param = share("appeals ending in relief")
    cost_per_appeal: Param = spec("USD")


class TravelDocuments(Section):
    """Shared travel-document costs; the per-country pipeline is in each group."""

    cost_per_document: Param = spec("USD")
    request_before_order_share: Param = share("of the custody before a removal order that counts toward the "
                                              "country's verification (documents asked for while the case is "
                                              "pending)")


class LandRegion(Section):
    """Removal by land to a neighbouring country: a daily capacity."""

    capacity_per_day: Param = spec("people/day", dated=True, scales=True)
    cost_per_person: Param = spec("USD/person")


class AirRegion(Section):
    """Removal by charter flights to a region: flights per week x seats, cost per flight hour x hours.

    Extra charters, up to `max_flights_per_week` in all, carry the people who were waiting `response_days`
    ago; a schedule at or above the ceiling flies no extras.
    """

    @model_validator(mode="after")
    def _response(self) -> "AirRegion":
        if (self.max_flights_per_week is None) != (self.response_days is None):
            raise ValueError("max_flights_per_week and response_days go together: give both or neither")
        return self

    flights_per_week: Param = spec("flights/week", dated=True, scales=True)
    max_flights_per_week: Param = spec("flights/week", dated=True, optional=True,
                                       description="ceiling of scheduled plus extra charters flown when people wait "
                                                   "(none: the schedule only)")
    response_days: Param = spec("days", 1, 365, optional=True,
                                description="extra charters answer the number waiting this long ago")
    seats_per_flight: Param = spec("seats", 1)
    min_load_share: Param = share("share of seats that must be filled for a flight to go")
    flight_hours: Param = spec("hours", description="billed hours per flight, round trip")
    cost_per_flight_hour: Param = spec("USD/hour")


class Transport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    land: dict[str, LandRegion] = Field(default_factory=dict)
    air: dict[str, AirRegion] = Field(default_factory=dict)

    def region_names(self) -> list[str]:
        return list(self.land) + list(self.air)


class SelfDeparture(Section):
    """Leaving on one's own: a daily hazard by state, scaled by policy."""

    hazard_no_case: Param = spec("1/year", 0, 5)
    hazard_case_pending: Param = spec("1/year", 0, 5)
    hazard_final_order: Param = spec("1/year", 0, 5)
    hazard_protected: Param = spec("1/year", 0, 5)
    enforcement_fear_multiplier: Param = spec("relative", 0, 50, dated=True)
    stipend_multiplier: Param = spec("relative", 0, 50, dated=True)
    stipend_usd: Param = spec("USD", dated=True)
    stipend_takeup_share: Param = share("self-departures that claim the stipend", dated=True)


class Legalization(Section):
    """Adjustment via a U.S.-citizen spouse or child."""

    usc_adjustment_rate: Param = spec("1/year", 0, 1, description="for at-large people with USC family")


class Mortality(Section):
    death_rate: Param = spec("1/year", 0, 0.2)


class Border(Section):
    """What happens to the groups' border arrivals (CBP apprehensions) besides expedited removal.

    One draw per arrival picks, in this order: expedited removal or reinstatement (`expedited_removal.
    arrival_share`, if a bed is free), voluntary return, removal by ICE straight from CBP custody, a notice
    to appear on the detained docket (if a bed is free); the rest are paroled (`arrivals_protected_share`)
    or released with a notice to appear.
    """

    voluntary_return_share: Param = share("border arrivals returned at once (DHS returns)", dated=True)
    cbp_custody_removal_share: Param = share(
        "border arrivals given an expedited-removal or reinstated order and removed by ICE from CBP custody, "
        "without an ICE detention book-in", dated=True)
    detained_nta_share: Param = share("border arrivals booked into ICE detention with a notice to appear",
                                      dated=True)


class ExpeditedRemoval(Section):
    """Removal without a court hearing for border arrivals and, by policy, recent entrants."""

    arrival_share: Param = share("border arrivals put in expedited removal", dated=True)
    recent_arrival_share: Param = share("arrested recent entrants without a case put in ER", dated=True)
    recent_window_days: Param = spec("days", description="how recent an entry counts as recent")
    fear_claim_share: Param = share("ER subjects who claim fear")
    fear_pass_share: Param = share("fear claims found credible (go to court, detained)")


class Group(Section):
    """A nationality group: its stock, arrivals, court odds and its country's travel-document pipeline."""

    population: Param | None = spec("people", scales=True, optional=True)
    pending_cases: Param | None = spec("people", scales=True, optional=True)
    final_orders: Param | None = spec("people", scales=True, optional=True)
    protected: Param | None = spec("people", scales=True, optional=True)
    unexecutable_share: Param = share("initial final orders that cannot be executed")
    recent_entrant_share: Param | None = share("of the group's stock, entered in the two years before the start "
                                               "(default: population.recent_entrant_share)", optional=True)
    arrivals_per_day: Param = spec("people/day", dated=True, scales=True)
    share_border: Param = share("arrivals apprehended at the border")
    share_evaded: Param = share("arrivals who evade apprehension")
    share_overstay: Param = share("arrivals who overstay a visa")
    arrivals_protected_share: Param = share("released border arrivals given parole or TPS", dated=True)
    criminal_record_share: Param = share()
    arrest_factor: Param = spec("relative", description="chance that a member at large is arrested, relative "
                                                        "to others of the same priority class and jurisdiction")
    usc_family_share: Param = share("with a U.S.-citizen spouse or child")
    noncooperating_share: Param = share("living in non-cooperating jurisdictions", dated=False)
    representation_share: Param = share("non-detained respondents with counsel")
    grant_rate_unrepresented: Param = share("relief granted at a hearing, without counsel")
    grant_rate_represented: Param = share("relief granted at a hearing, with counsel")
    protection_end_date: Param = spec("date", kind="date", description="when protection ends")
    region: Param = spec("region", kind="name",
                         description="transport region (a key of transport.land or transport.air)")
    doc_monthly_capacity: Param = spec("documents/month", dated=True, scales=True)
    doc_lag_median_days: Param = spec("days", description="verification lag, median")
    doc_lag_sigma: Param = spec("log-days", 0, 3, description="verification lag, lognormal shape")
    doc_refusal_share: Param = share("requests refused by the receiving country", dated=True)

    @model_validator(mode="after")
    def _channels_sum(self) -> "Group":
        total = self.share_border.number() + self.share_evaded.number() + self.share_overstay.number()
        if abs(total - 1) > 1e-6:
            raise ValueError(f"share_border + share_evaded + share_overstay = {total:g}; they must sum to 1")
        return self


def spec_at(path: str) -> Any:
    """The ParamSpec declared for a dotted parameter path of any scenario (None if the path is no parameter).

    >>> spec_at("groups.China.population").unit, spec_at("transport.air.asia.seats_per_flight").count
    ('people', True)
    """
    parts = path.split(".")
    if parts[0] in ("groups", "group_defaults") and len(parts) >= 2:
        cls: Any = Group
    elif parts[0] == "transport" and len(parts) == 4:
        cls = LandRegion if parts[1] == "land" else AirRegion if parts[1] == "air" else None
    else:
        field = Scenario.model_fields.get(parts[0]) if len(parts) == 2 else None
        cls = field.annotation if field is not None else None
    specs = cls.param_specs() if isinstance(cls, type) and issubclass(cls, Section) else {}
    return specs.get(parts[-1])


STOCK_FIELDS = ("population", "pending_cases", "final_orders", "protected")
_NATIONAL = {"population": "total"}


class Scenario(BaseModel):
    """A whole scenario, validated. Build one with :func:`removalsim.load_scenario`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    description: str = ""
    extends: str | None = None
    start_date: dt.date
    remainder_group: str
    population: Population
    arrests: Arrests
    detention: Detention
    atd: Atd
    court: Court
    appeals: Appeals
    travel_documents: TravelDocuments
    transport: Transport
    self_departure: SelfDeparture
    legalization: Legalization
    mortality: Mortality
    expedited_removal: ExpeditedRemoval
    border: Border
    groups: dict[str, Group]
    _raw: dict = PrivateAttr(default_factory=dict)
    _origins: dict = PrivateAttr(default_factory=dict)

    @field_validator("start_date", mode="before")
    @classmethod
    def _a_date(cls, v: Any) -> Any:
        return date_input(v, "a date such as 2025-01-20")

    @field_validator("start_date", mode="after")
    @classmethod
    def _supported(cls, v: dt.date) -> dt.date:
        return check_date(v, "")

    @field_validator("name", mode="after")
    @classmethod
    def _name(cls, v: str) -> str:
        problem = name_problem(v)
        if problem:
            raise ValueError(problem)
        return v

    def with_overrides(self, overrides: Mapping[str, Any]) -> "Scenario":
        """A copy with some values replaced, by dotted path; plain values keep the unit.

        >>> from removalsim import load_scenario
        >>> sc = load_scenario("baseline").with_overrides({"court.judges": 1434})
        >>> sc.court.judges.number(), sc.court.judges.source
        (1434.0, 'override')
        """
        from .loader import with_overrides

        return with_overrides(self, overrides)

    def param(self, path: str) -> Any:
        """The parameter at a dotted path (sections by attribute, groups and regions by name).

        >>> from removalsim import load_scenario
        >>> sc = load_scenario("china")
        >>> refusal = sc.param("groups.China.doc_refusal_share")
        >>> sc.param("court.detained_min_days").unit, refusal is sc.groups["China"].doc_refusal_share
        ('days', True)
        """
        from .loader import NoSuchParameter

        if not isinstance(path, str):
            raise NoSuchParameter(f"{str(path)[:40]!r}: a parameter path is text, such as \"court.judges\"")
        node: Any = self
        for i, part in enumerate(path.split(".")):
            try:
                node = node[part] if isinstance(node, dict) else getattr(node, part)
            except (KeyError, AttributeError):
                where = ".".join(path.split(".")[:i]) or "the scenario"
                known = list(node) if isinstance(node, dict) else list(getattr(type(node), "model_fields", {}))
                has = f"it has {', '.join(known)}" if known else "it is a value, not a table"
                raise NoSuchParameter(f"{path[:80]}: {where} has no {part[:40]!r}; {has}") from None
        return node

    def section_names(self) -> list[str]:
        """The top-level sections that hold parameters (population, arrests, ..., border), in schema order."""
        return [name for name in type(self).model_fields if isinstance(getattr(self, name), Section)]

    def params_by_path(self) -> Iterator[tuple[str, Any]]:
        """(dotted path, Param) of every parameter: sections, then transport regions, then groups."""
        for section in self.section_names():
            for k, p in getattr(self, section).params().items():
                yield f"{section}.{k}", p
        for kind in ("land", "air"):
            for r, sec in getattr(self.transport, kind).items():
                for k, p in sec.params().items():
                    yield f"transport.{kind}.{r}.{k}", p
        for g, sec in self.groups.items():
            for k, p in sec.params().items():
                yield f"groups.{g}.{k}", p

    def origin(self, path: str) -> str:
        """The file that set the parameter at `path` (for messages and `--sources`)."""
        from .loader import _origin

        return _origin(self._origins, path)

    @model_validator(mode="after")
    def _cross_checks(self) -> "Scenario":
        """Checks across sections, all of them: one line per problem, each starting with the path it blames."""
        problems = self._name_problems()
        if self.remainder_group not in self.groups:
            problems.append(f"remainder_group: {self.remainder_group!r} is not one of the groups "
                            f"({', '.join(self.groups)})")
        regions = self.transport.region_names()
        for gname, g in self.groups.items():
            if g.region.value not in regions:
                problems.append(f"groups.{gname}.region: {g.region.value!r} is not a transport region; "
                                f"expected one of {', '.join(regions)}")
            for f in STOCK_FIELDS:
                given = getattr(g, f) is not None
                if gname == self.remainder_group and given:
                    problems.append(f"groups.{gname}.{f}: the remainder group takes what the named "
                                    "groups leave of the national total; do not set it")
                if gname != self.remainder_group and not given:
                    problems.append(f"groups.{gname}.{f}: missing; every named group needs it")
        for path, p in self.params_by_path():
            if p is not None and p.steps is not None and p.steps[0].from_ > self.start_date:
                problems.append(f"{path}: the first step (from {p.steps[0].from_}) comes after the start date "
                                f"{self.start_date}, so no value is in force on the first days; add a step "
                                f"from {self.start_date} or earlier")
        if problems:  # the stock sums below need every group's stocks
            raise ValueError("\n".join(problems))
        for f in STOCK_FIELDS:
            named = sum(getattr(g, f).number() for n, g in self.groups.items() if n != self.remainder_group)
            total = getattr(self.population, _NATIONAL.get(f, f)).number()
            if named > total:
                problems.append(f"groups: the named groups' {f} ({named:,.0f}) exceed "
                                f"population.{_NATIONAL.get(f, f)} ({total:,.0f})")
        for gname in self.groups:
            held = sum(self.stock(gname, f) for f in STOCK_FIELDS[1:])
            if held > self.stock(gname, "population"):
                problems.append(f"groups.{gname}: pending_cases + final_orders + protected ({held:,.0f}) "
                                f"exceed its population ({self.stock(gname, 'population'):,.0f})")
        if self.detention.initial_detained.number() > self.detention.beds.schedule()[0][1]:
            problems.append("detention.initial_detained: exceeds the beds at the start date")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _name_problems(self) -> list[str]:
        """Group and region names become column values, file names and figure labels: names, not text."""
        problems = []
        for kind in ("land", "air"):
            for r in getattr(self.transport, kind):
                problem = name_problem(r)
                if problem:
                    problems.append(f"transport.{kind}.{_safe(r)}: the region name {problem}")
        for g in self.groups:
            problem = name_problem(g)
            if problem:
                problems.append(f"groups.{_safe(g)}: the group name {problem}")
        return problems

    def group_names(self) -> list[str]:
        return list(self.groups)

    def stock(self, group: str, field: str) -> float:
        """Initial stock of `field` in `group`; the remainder group takes what is left of the total."""
        if group != self.remainder_group:
            return getattr(self.groups[group], field).number()
        named = sum(getattr(g, field).number() for n, g in self.groups.items() if n != self.remainder_group)
        return getattr(self.population, _NATIONAL.get(field, field)).number() - named
