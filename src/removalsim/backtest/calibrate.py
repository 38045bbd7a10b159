"""Fit free parameters of the backtest models to historical series (SciPy least squares).

A fit minimises the squared log errors (simulated / recorded) over the chosen
fiscal years, with each parameter searched on a log scale within its bounds: a coarse
grid, then SciPy's trust-region least squares from the best grid point.
Standard errors come from the Jacobian at the optimum scaled by the residual
variance; with as many parameters as observations they are not defined (NaN).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from .history import (COURT_COMPLETIONS, COURT_PENDING, ICE_INTERIOR_REMOVALS, ICE_ARRESTS, ICE_LAG_ID,
                      Obs, court_segments, series)
from .models import court_segment, ice_interior
from ..data import get
from ..errors import RemovalsimInputError


class CalibrationError(RemovalsimInputError):
    """A calibration request that cannot be run; the message is one line naming the fix."""


@dataclass(frozen=True)
class FreeParam:
    """A parameter the calibration may fit: default, search bounds, and where it lives in a scenario."""

    default: float
    low: float
    high: float
    unit: str
    scenario_path: str | None
    source: str


def _baseline_value(path: str) -> float:
    from ..scenario import load_scenario

    sc = load_scenario("baseline")
    node = sc
    for part in path.split("."):
        node = getattr(node, part)
    return node.number()


MODELS = ("court", "ice")
#: target series -> (model, output name, the statistics ids per fiscal year)
TARGETS: dict[str, tuple[str, str, dict[int, str]]] = {
    "court-completions": ("court", "completions", COURT_COMPLETIONS),
    "court-pending": ("court", "pending", COURT_PENDING),
    "ice-interior-removals": ("ice", "interior_removals", ICE_INTERIOR_REMOVALS),
}


def free_params(model: str) -> dict[str, FreeParam]:
    """The parameters of `model` that a calibration may fit, with their defaults."""
    if model == "court":
        return {
            "completions_per_judge_day": FreeParam(
                _baseline_value("court.completions_per_judge_day"), 0.2, 10.0, "cases/judge/day",
                "court.completions_per_judge_day", "baseline"),
            "nondetained_min_days": FreeParam(
                _baseline_value("court.nondetained_min_days"), 1.0, 720.0, "days",
                "court.nondetained_min_days", "baseline"),
        }
    return {
        "removal_share_per_arrest": FreeParam(0.5, 0.01, 1.0, "share", None, "starting guess"),
        "arrest_to_removal_days": FreeParam(float(get(ICE_LAG_ID)["value"]), 1.0, 720.0, "days", None,
                                            f"stats:{ICE_LAG_ID}"),
    }


def model_years(model: str) -> list[int]:
    """Fiscal years the model can simulate from recorded inputs."""
    if model == "court":
        segs, _ = court_segments()
        return [y for s in segs for y in s.years]
    return sorted(ICE_ARRESTS)


def simulate(model: str, values: dict[str, float | np.ndarray], *, rng: np.random.Generator | None = None,
             replicates: int = 1, year_sigma: float = 0.0) -> dict[str, dict[int, np.ndarray]]:
    """Run a model over every year it can simulate: {output: {fy: values per replicate}}."""
    if model == "court":
        res: dict[str, dict[int, np.ndarray]] = {"completions": {}, "pending": {}}
        for seg in court_segments()[0]:
            comp, pend = court_segment(seg, values["completions_per_judge_day"], values["nondetained_min_days"],
                                       rng=rng, replicates=replicates, year_sigma=year_sigma)
            for i, y in enumerate(seg.years):
                res["completions"][y] = comp[:, i]
                res["pending"][y] = pend[:, i]
        return res
    years = tuple(model_years("ice"))
    rem = ice_interior(years, values["removal_share_per_arrest"], values["arrest_to_removal_days"],
                       rng=rng, replicates=replicates, year_sigma=year_sigma)
    return {"interior_removals": {y: rem[:, i] for i, y in enumerate(years)}}


def parse_years(text: str) -> tuple[int, ...]:
    """'2009-2014', 'FY2009-FY2014' or '2024' -> fiscal years; CalibrationError otherwise."""
    m = re.fullmatch(r"\s*(?:FY)?(\d{4})\s*(?:[-:]\s*(?:FY)?(\d{4}))?\s*", str(text), flags=re.I)
    if not m:
        raise CalibrationError(f"--years {text!r} is not a year range; expected e.g. 2009-2014 or 2024")
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if b < a:
        raise CalibrationError(f"--years {text!r} runs backwards; expected FIRST-LAST with FIRST <= LAST")
    return tuple(range(a, b + 1))


@dataclass
class Fit:
    """A fitted calibration: values, uncertainty, the data used and how well it fits."""

    model: str
    targets: tuple[str, ...]
    years: tuple[int, ...]
    values: dict[str, float]              # every model parameter (fitted and fixed)
    fitted: tuple[str, ...]
    se: dict[str, float]                  # standard error of each fitted parameter
    se_log: dict[str, float]              # ... of its logarithm (for drawing replicates)
    observations: list[tuple[str, Obs]]   # (target, observation) used in the fit
    simulated: list[float]
    notes: list[str] = field(default_factory=list)

    @property
    def log_errors(self) -> np.ndarray:
        return np.log(np.array(self.simulated) / np.array([o.value for _, o in self.observations]))

    @property
    def rms_log_error(self) -> float:
        return float(np.sqrt(np.mean(self.log_errors**2)))

    @property
    def mape(self) -> float:
        obs = np.array([o.value for _, o in self.observations])
        return mape(np.array(self.simulated), obs)

    def year_sigma(self, target: str) -> float:
        """Spread of the log errors of one target over the fit years (0 with fewer than 2)."""
        e = [x for (t, _), x in zip(self.observations, self.log_errors) if t == target]
        return float(np.sqrt(np.sum(np.square(e)) / (len(e) - 1))) if len(e) > 1 else 0.0

    def summary_line(self) -> str:
        vals = ", ".join(f"{k} = {self.values[k]:.4g} (se {self.se[k]:.2g})" for k in self.fitted)
        years = f"FY{self.years[0]}-FY{self.years[-1]}" if len(self.years) > 1 else f"FY{self.years[0]}"
        return (f"{vals}; fit to {', '.join(self.targets)} {years} ({len(self.observations)} figures): "
                f"MAPE {100 * self.mape:.1f}%, RMS log error {self.rms_log_error:.3f}")


def mape(simulated: np.ndarray, recorded: np.ndarray) -> float:
    """Mean absolute percentage error as a fraction: mean(|sim - rec| / rec)."""
    simulated, recorded = np.asarray(simulated, float), np.asarray(recorded, float)
    if simulated.size == 0:
        return float("nan")
    return float(np.mean(np.abs(simulated - recorded) / recorded))


def fit(targets: list[str] | tuple[str, ...], params: list[str] | tuple[str, ...], years: tuple[int, ...],
        fixed: dict[str, float] | None = None, records: dict[str, dict[int, float]] | None = None) -> Fit:
    """Fit `params` so the model reproduces `targets` over fiscal `years` (raises CalibrationError).

    `records` replaces the recorded series of a target ({target: {fy: value}}), e.g. with
    synthetic data from the model itself to check that a fit recovers a known value.
    """
    targets = tuple(dict.fromkeys(targets))
    if not targets:
        raise CalibrationError("no --target given; allowed: " + ", ".join(TARGETS))
    for t in targets:
        if t not in TARGETS:
            raise CalibrationError(f"--target {t!r} is unknown; allowed: {', '.join(TARGETS)}")
    models = {TARGETS[t][0] for t in targets}
    if len(models) > 1:
        raise CalibrationError(f"--target {','.join(targets)} mixes models ({', '.join(sorted(models))}); "
                               "fit the court and ICE series separately")
    model = models.pop()
    allowed = free_params(model)
    params = tuple(dict.fromkeys(params))
    if not params:
        raise CalibrationError(f"no --params given; allowed for {model}: {', '.join(allowed)}")
    for p in params:
        if p not in allowed:
            raise CalibrationError(f"--params {p!r} is not a free parameter of the {model} model; "
                                   f"allowed: {', '.join(allowed)}")
    values = {k: v.default for k, v in allowed.items()} | dict(fixed or {})
    can = set(model_years(model))
    obs: list[tuple[str, Obs]] = []
    for t in targets:
        rec = series(TARGETS[t][2])
        if records and t in records:
            rec = {y: Obs(y, float(v), "synthetic", "synthetic") for y, v in records[t].items()}
        obs += [(t, rec[y]) for y in years if y in rec and y in can]
    if not obs:
        have = sorted({y for t in targets for y in series(TARGETS[t][2])} & can)
        raise CalibrationError(f"--years FY{years[0]}-FY{years[-1]}: no recorded {', '.join(targets)} the model "
                               f"can simulate; years available: {_ranges(have)}")
    used_years = tuple(sorted({o.fy for _, o in obs}))
    rec_log = np.log([o.value for _, o in obs])
    bounds = (np.log([allowed[p].low for p in params]), np.log([allowed[p].high for p in params]))

    def sim_of(x: np.ndarray) -> np.ndarray:
        v = values | {p: float(np.exp(xi)) for p, xi in zip(params, x)}
        out = simulate(model, v)
        return np.array([max(float(out[TARGETS[t][1]][o.fy][0]), 1e-9) for t, o in obs])

    def resid(x: np.ndarray) -> np.ndarray:
        return np.log(sim_of(x)) - rec_log

    # Coarse grid first: where capacity exceeds the cases that can be decided, completions do not
    # depend on productivity, so a local search started there would not move.
    axes = [np.linspace(lo, hi, 25 if len(params) == 1 else 9) for lo, hi in zip(*bounds)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, len(params))
    x0 = min(grid, key=lambda x: float(np.sum(resid(x) ** 2)))
    x0 = np.clip(x0, bounds[0] + 1e-9, bounds[1] - 1e-9)
    sol = least_squares(resid, x0, bounds=bounds, diff_step=1e-4)
    fitted = {p: float(np.exp(x)) for p, x in zip(params, sol.x)}
    n, k = len(obs), len(params)
    se_log = {p: float("nan") for p in params}
    notes = []
    if n > k:
        s2 = float(np.sum(sol.fun**2) / (n - k))
        try:
            cov = np.linalg.inv(sol.jac.T @ sol.jac) * s2
            se_log = {p: float(np.sqrt(max(cov[i, i], 0.0))) for i, p in enumerate(params)}
        except np.linalg.LinAlgError:
            notes.append("the parameters are not identified by these data (singular Jacobian)")
    else:
        notes.append(f"{n} figure(s) for {k} parameter(s): no residual degrees of freedom, so no standard error")
    for i, p in enumerate(params):
        if np.isclose(sol.x[i], bounds[0][i]) or np.isclose(sol.x[i], bounds[1][i]):
            notes.append(f"{p} stopped at its search bound ({allowed[p].low:g}-{allowed[p].high:g})")
    values |= fitted
    se = {p: fitted[p] * se_log[p] for p in params}
    return Fit(model, targets, used_years, values, params, se, se_log, obs, list(np.exp(sol.fun + rec_log)), notes)


def _ranges(years: list[int]) -> str:
    if not years:
        return "none"
    out, start = [], years[0]
    for a, b in zip(years, years[1:] + [None]):
        if b != a + 1:
            out.append(f"FY{start}" if start == a else f"FY{start}-FY{a}")
            start = b
    return ", ".join(out)


def override_toml(f: Fit, file_name: str, extends: str = "baseline", command: str = "") -> str:
    """A scenario override file: `extends` plus each fitted scenario parameter citing this calibration."""
    years = f"FY{f.years[0]}-FY{f.years[-1]}" if len(f.years) > 1 else f"FY{f.years[0]}"
    ids = ", ".join(o.stat_id for _, o in f.observations)
    lines = [
        f"# Calibration written by removalsim on {dt.date.today().isoformat()}.",
        f"# Command: {command}" if command else "# Command: (Python API)",
        f"# Fit: {f.summary_line()}",
        f"# Data (statistics ids): {ids}",
        *(f"# Note: {n}" for n in f.notes),
        f"extends = {_q(extends)}",
        f"name = {_q(Path(file_name).stem)}",
        "description = " + _q(extends + " with " + ", ".join(f.fitted) + " fitted to " + ", ".join(f.targets)
                              + " " + years),
    ]
    sections: dict[str, list[str]] = {}
    for p in f.fitted:
        info = free_params(f.model)[p]
        if info.scenario_path is None:
            continue
        section, key = info.scenario_path.rsplit(".", 1)
        v, se, sl = f.values[p], f.se[p], f.se_log[p]
        note = (f"Fitted by removalsim calibrate to {', '.join(f.targets)} {years} ({ids}); "
                f"MAPE {100 * f.mape:.1f}%, RMS log error {f.rms_log_error:.3f}")
        if math.isfinite(sl) and sl > 0:  # lognormal: the fit is on a log scale; low/high its 5th/95th pct
            lo, hi = float(f"{v * math.exp(-1.645 * sl):.4g}"), float(f"{v * math.exp(1.645 * sl):.4g}")
            spread = f", low = {lo:.4g}, high = {hi:.4g}, dist = \"lognormal\""
            note += f"; low/high = 90% interval from the fit's standard error ({se:.3g}), statistical only."
        else:
            spread = ""
            note += "; no standard error (as many parameters as figures)."
        sections.setdefault(section, []).append(
            f"{key} = {{ value = {v:.4g}, unit = {_q(info.unit)}, source = {_q('calibration:' + Path(file_name).name)}"
            f"{spread}, note = {_q(note)} }}")
    for section, rows in sections.items():
        lines += ["", f"[{section}]", *rows]
    return "\n".join(lines) + "\n"


def scenario_params(f: Fit) -> list[str]:
    """The fitted parameters that have a scenario counterpart."""
    return [p for p in f.fitted if free_params(f.model)[p].scenario_path is not None]


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
