"""Count what bad input still does wrong (issue 18): tracebacks, crashes, silent accepts, unclear messages, lost work.

    python scripts/fuzz_probe.py            # the counts, then one line per failing case
    python scripts/fuzz_probe.py --quiet    # the counts only

The corpus is tests/test_fuzz.py's (generated from the schema plus hand-written cases) and the probe's own
cases below (the issue's remaining list and the rules added since). Each case is classified by what a user
sees: the documented exception (removalsim.RemovalsimInputError, or before it existed ScenarioError,
SweepError, SettingsError) or exit status 2 with one line naming what the case expects is *clear*; any other
exception or a "Traceback" is a *traceback*; a native crash (signal) is a *crash*; exit status 0 or no
exception is a *silent accept*; a refusal on several lines or without the expected words is *unclear*; a
refusal after the engine ran (in this process) is *lost work*. Native crashes are looked for in subprocesses
(the cases that crashed before the inputs were checked).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import removalsim  # noqa: E402
import removalsim.api  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from removalsim.cli import app  # noqa: E402


def documented() -> tuple[type, ...]:
    """The exception types an API user is told to expect for bad input."""
    if hasattr(removalsim, "RemovalsimInputError"):
        return (removalsim.RemovalsimInputError,)
    from removalsim.cli.settings import SettingsError
    from removalsim.scenario import ScenarioError
    from removalsim.uncertainty.sweep import SweepError

    return (ScenarioError, SweepError, SettingsError)


@dataclass
class Case:
    kind: str  # api | cli
    id: str
    call: Any  # api: a function; cli: argv
    must: tuple[str, ...] = ()  # words the message must hold
    lines: int = 1  # lines the message must have (one per error)
    setup: Callable[[Path], None] | None = None
    files: dict[str, str | bytes] = field(default_factory=dict)


SIMULATED: list[int] = []
_real_run = removalsim.api.run  # the engine's day loop, as `simulate` calls it


def _spy(*a, **k):
    SIMULATED.append(1)
    return _real_run(*a, **k)


def classify(case: Case, folder: Path) -> tuple[str, str]:
    """(outcome, what was seen): outcome is clear, traceback, silent accept, unclear or lost work."""
    SIMULATED.clear()
    for name, content in case.files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    if case.setup:
        case.setup(folder)
        SIMULATED.clear()
    old = os.getcwd()
    os.chdir(folder)
    try:
        if case.kind == "api":
            try:
                case.call()
            except documented() as e:
                msg = str(e)
            except Exception as e:  # noqa: BLE001 (anything else is what is being counted)
                return "traceback", f"{type(e).__name__}: {str(e)[:150]}"
            else:
                return ("lost work" if False else "silent accept"), "no exception"
        else:
            argv = [a.replace("{tmp}", str(folder)) for a in case.call]
            r = CliRunner().invoke(app, argv)
            msg = r.output
            if r.exception is not None and not isinstance(r.exception, SystemExit):
                return "traceback", f"{type(r.exception).__name__}: {str(r.exception)[:150]}"
            if "Traceback" in msg:
                return "traceback", msg.strip().splitlines()[-1][:150]
            if r.exit_code == 0:
                return "silent accept", "exit 0"
            if r.exit_code != 2:
                return "traceback", f"exit {r.exit_code}: {msg.strip()[-150:]}"
    finally:
        os.chdir(old)
    if SIMULATED:
        return "lost work", f"refused after simulating: {msg.strip()[:150]}"
    got = [ln for ln in msg.strip().splitlines() if ln.strip()]
    missing = [m for m in case.must if m not in msg]
    if len(got) != case.lines or missing or any(len(ln) > 600 for ln in got):
        return "unclear", f"{len(got)} line(s), missing {missing}: {msg.strip()[:200]!r}"
    return "clear", ""


def corpus_from_tests() -> list[Case]:
    import test_fuzz as tf

    cases: list[Case] = []
    for id_, text, path in tf.SCHEMA_CASES:
        cases.append(Case("api", f"schema:{id_}", lambda: removalsim.load_scenario("bad.toml"), ("bad.toml", path),
                          files={"bad.toml": text}))
    for id_, content, expected in tf.FILES:
        cases.append(Case("api", f"file:{id_}", lambda: removalsim.load_scenario("self.toml"),
                          ("self.toml", expected), files={"self.toml": content}))
    for id_, content, expected in tf.CLI_FILES:
        for cmd in (["scenarios", "show", "self.toml"], ["run", "self.toml", *tf.FAST, "--out", "o"],
                    ["run", "self.toml", *tf.FAST, "--replicates", "2", "--out", "o"]):
            tag = f"{' '.join(cmd[:2])}{'-r' if '--replicates' in cmd else ''}"
            cases.append(Case("cli", f"cli-file:{id_}:{tag}", cmd, ("error: self.toml", expected),
                              files={"self.toml": content}))
    ok_sweep = ('scenario = "baseline"\nyears = 0.1\nscale = 0.001\n[grid]\n"court.judges" = [700, 800]\n')
    for id_, argv, expected in tf.COMMANDS:
        cases.append(Case("cli", f"command:{id_}", argv, ("error: ", expected),
                          files={"afile": "not a folder", "ok-sweep.toml": ok_sweep}))
    for id_, content, expected in tf.SWEEPS:
        files = {"sw.toml": content, "bad.toml": 'extends = "baseline"\nname = "../x"\n'}
        from removalsim.uncertainty.sweep import load_sweep

        cases.append(Case("api", f"sweep:{id_}", lambda: load_sweep("sw.toml"), ("sw.toml", expected), files=files))
        cases.append(Case("cli", f"sweep-cli:{id_}", ["sweep", "sw.toml", "-q"], ("error: sw.toml", expected),
                          files=files))
    base = removalsim.load_scenario("baseline")
    for i, (ov, expected) in enumerate(tf.OVERRIDES):
        cases.append(Case("api", f"override:{i}:{list(ov)[0]}={list(ov.values())[0]!r}"[:60],
                          lambda ov=ov: base.with_overrides(ov), (expected,)))
    for name in ["../../x", "/etc/passwd.toml", "nosuch", "[bold]", "x" * 300, "", "a\x00b"]:
        cases.append(Case("api", f"name:{name[:20]!r}", lambda name=name: removalsim.load_scenario(name)))
    # the hand-written cases added with issue 18's first item (absent from older versions of the file)
    for id_, content, lines in getattr(tf, "MULTI", []):
        cases.append(Case("api", f"multi:{id_}", lambda: removalsim.load_scenario("s.toml"), tuple(lines),
                          lines=len(lines), files={"s.toml": content}))
        cases.append(Case("cli", f"multi-cli:{id_}", ["run", "s.toml", *tf.FAST, "--out", "o"], tuple(lines),
                          lines=len(lines), files={"s.toml": content}))
    for id_, content, lines in getattr(tf, "SWEEP_MULTI", []):
        cases.append(Case("api", f"sweep-multi:{id_}", lambda: load_sweep("sw.toml"), tuple(lines), lines=len(lines),
                          files={"sw.toml": content}))
        cases.append(Case("cli", f"sweep-multi-cli:{id_}", ["sweep", "sw.toml", "-q"], tuple(lines),
                          lines=len(lines), files={"sw.toml": content}))
    for id_, call, expected in getattr(tf, "API_CALLS", []):
        cases.append(Case("api", f"api:{id_}", call, (expected,)))
    for id_, argv, expected in getattr(tf, "LATE", []):
        cases.append(Case("cli", f"late:{id_}", argv, ("error: ", expected),
                          files={"nochina.toml": NO_CHINA(), "dollar.toml": GROUP("Ch$na"),
                                 "tiny.toml": 'scale = 1e-9\nyears = 0.1\n[grid]\n"court.judges" = [700, 800]\n'}))
    return cases


FAST = ["--years", "0.1", "--scale", "0.001", "-q"]
SCEN = 'extends = "baseline"\nname = "t"\n'
J = 'unit = "judges", source = "stats:ij-count-2025-01"'


def NO_CHINA() -> str:
    """baseline.toml without its China group (a whole scenario, not an extension: groups cannot be removed)."""
    from importlib import resources

    text = (resources.files("removalsim.scenario") / "data" / "baseline.toml").read_text()
    head, rest = text.split("[groups.China]\n", 1)
    tail = rest.split("[groups.Other]\n", 1)[1]
    return head.replace('name = "baseline"', 'name = "nochina"') + "[groups.Other]\n" + tail


def GROUP(name: str) -> str:
    """A scenario with one more (valid) group called `name`."""
    people = 'unit = "people", source = "assumption", note = "x", low = 0, high = 1e6'
    return (SCEN + f'[groups."{name}"]\nregion = {{ value = "asia", unit = "region", source = "assumption", '
            f'note = "x" }}\npopulation = {{ value = 1000, {people} }}\npending_cases = {{ value = 10, {people} }}\n'
            f'final_orders = {{ value = 10, {people} }}\nprotected = {{ value = 10, {people} }}\n')


def _short_run(folder: Path) -> None:
    """A replicated run of one month, catalogued in folder/o."""
    CliRunner().invoke(app, ["run", "--years", "0.05", "--scale", "0.0005", "-q", "--replicates", "2",
                             "--workers", "1", "--out", str(folder / "o")])


def _short_run_id(folder: Path) -> str:
    return next(p.name for p in (folder / "o").iterdir() if p.name.startswith("baseline-"))


class ShortRunFigures:
    """`runs figures` on a one-month run (the run id is only known after the setup)."""

    def __init__(self) -> None:
        self.folder: Path | None = None

    def setup(self, folder: Path) -> None:
        self.folder = folder
        _short_run(folder)

    def __call__(self) -> None:
        assert self.folder is not None
        r = CliRunner().invoke(app, ["runs", "figures", _short_run_id(self.folder), "--catalogue",
                                     str(self.folder / "o" / "catalogue.duckdb")])
        if r.exit_code == 0:
            return
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            raise r.exception
        raise removalsim_error(r.output.strip())


def removalsim_error(msg: str) -> Exception:
    return documented()[0](msg)


def probe_cases() -> list[Case]:
    """The issue's remaining cases and the rules of its first item, beyond tests/test_fuzz.py."""
    base = removalsim.load_scenario("baseline")
    sim = removalsim.simulate
    cases = [
        # item 5: the remaining cases
        Case("cli", "seed=-1-replicates", ["run", "--seed", "-1", "--replicates", "2", *FAST], ("--seed",)),
        Case("cli", "seed=2**63-replicates", ["run", "--seed", str(2**63), "--replicates", "2", *FAST], ("--seed",)),
        Case("api", "simulate seed=-1", lambda: sim(base, years=0.05, seed=-1, scale=0.0005), ("seed",)),
        Case("api", "simulate seed=2**64", lambda: sim(base, years=0.05, seed=2**64, scale=0.0005), ("seed",)),
        Case("cli", "runs-sql-empty", ["runs", "sql", ""], ("query is empty",)),
        Case("cli", "sweep-overrides-5", ["sweep", "sw.toml", "-q"], ("overrides",),
             files={"sw.toml": 'scenario = "baseline"\nyears = 0.1\nscale = 0.001\n[[points]]\nname = "a"\n'
                               'overrides = 5\n'}),
        Case("api", "runs-figures-one-month", ShortRunFigures(), ("shorter than two",), setup=None),
        Case("cli", "report-dollar-group", ["report", "baseline", "g.toml", *FAST, "-r", "1", "--workers", "1",
                                            "--out", "r.html"], ("g.toml", "groups.Ch$na"),
             files={"g.toml": GROUP("Ch$na")}),
        Case("cli", "report-markup-group", ["report", "baseline", "g.toml", *FAST, "-r", "1", "--workers", "1",
                                            "--out", "r.html"], ("g.toml", "groups.[b]x"),
             files={"g.toml": GROUP("[b]x")}),
        Case("cli", "china-without-china", ["china", "nochina.toml", "--years", "0.1", "--scale", "0.001", "-r", "1",
                                            "--workers", "1", "-q"], ("nochina", "China"),
             files={"nochina.toml": NO_CHINA()}),
        Case("cli", "sensitivity-n-0", ["sensitivity", "--n", "0"], ("--n",)),
        Case("api", "sensitivity-api-n-0", lambda: __import__("removalsim.uncertainty.sensitivity", fromlist=["x"])
             .sensitivity(base, "sobol", "removals", 0, 0.1, 0.001, 0, 1, None, None), ("n",)),
        Case("cli", "scale-holds-nobody", ["run", "--years", "0.1", "--scale", "1e-9", "-q", "--out", "o"],
             ("--scale", "nobody")),
        Case("api", "simulate-holds-nobody", lambda: sim(base, years=0.05, scale=1e-9), ("scale", "nobody")),
        # item 4: wrong types through the API
        Case("api", "simulate years='x'", lambda: sim(base, years="x", scale=0.001), ("years",)),
        Case("api", "simulate scale=None", lambda: sim(base, years=0.1, scale=None), ("scale",)),
        Case("api", "simulate seed=1.5", lambda: sim(base, years=0.1, seed=1.5, scale=0.001), ("seed",)),
        Case("api", "simulate seed=True", lambda: sim(base, years=0.1, seed=True, scale=0.001), ("seed",)),
        Case("api", "simulate scenario=5", lambda: sim(5, years=0.1, scale=0.001), ("scenario",)),
        Case("api", "simulate progress=5", lambda: sim(base, years=0.1, scale=0.001, progress=5), ("progress",)),
        Case("api", "simulate years=nan", lambda: sim(base, years=math.nan, scale=0.001), ("years",)),
        Case("api", "load_scenario(5)", lambda: removalsim.load_scenario(5), ("5",)),
        Case("api", "load_scenario(None)", lambda: removalsim.load_scenario(None), ("None",)),
        Case("api", "with_overrides(list)", lambda: base.with_overrides([1, 2]), ("overrides",)),
        Case("api", "with_overrides(int key)", lambda: base.with_overrides({5: 1}), ("5",)),
        Case("api", "with_overrides dated bad pair", lambda: base.with_overrides({"court.judges": [(1, 2, 3)]}),
             ("court.judges",)),
        Case("api", "with_overrides dated int", lambda: base.with_overrides({"court.judges": [5]}),
             ("court.judges",)),
        Case("api", "load_sweep(5)", lambda: __import__("removalsim.uncertainty.sweep", fromlist=["x"])
             .load_sweep(5), ("5",)),
        Case("api", "RunSettings years='x'", lambda: __import__("removalsim.cli.settings", fromlist=["x"])
             .RunSettings(years="x"), ("--years",)),
        Case("api", "RunSettings seed='x'", lambda: __import__("removalsim.cli.settings", fromlist=["x"])
             .RunSettings(seed="x"), ("--seed",)),
        # item 2: per-field maxima with their unit, counts are whole numbers
        Case("api", "judges 1e9", lambda: base.with_overrides({"court.judges": 1e9}), ("court.judges", "judges")),
        Case("api", "beds 1e9", lambda: base.with_overrides({"detention.beds": 1e9}), ("detention.beds", "beds")),
        Case("api", "officers 1e10", lambda: base.with_overrides({"arrests.officers": 1e10}), ("arrests.officers",)),
        Case("api", "flights 1e6/week", lambda: base.with_overrides({"transport.air.asia.flights_per_week": 1e6}),
             ("flights_per_week", "flights/week")),
        Case("api", "stipend 1e11 USD", lambda: base.with_overrides({"self_departure.stipend_usd": 1e11}),
             ("stipend_usd", "USD")),
        Case("api", "judges 700.5", lambda: base.with_overrides({"court.judges": 700.5}),
             ("court.judges", "whole number")),
        Case("api", "beds 41500.5", lambda: base.with_overrides({"detention.beds": 41500.5}),
             ("detention.beds", "whole number")),
        Case("api", "officers dated 6000.5", lambda: base.with_overrides(
            {"arrests.officers": [("2025-01-20", 6000), ("2026-01-01", 6000.5)]}), ("arrests.officers", "whole")),
        Case("api", "seats 135.5", lambda: base.with_overrides({"transport.air.asia.seats_per_flight": 135.5}),
             ("seats_per_flight", "whole")),
        Case("api", "file judges 700.5", lambda: removalsim.load_scenario("s.toml"), ("s.toml", "court.judges",
                                                                                     "whole number"),
             files={"s.toml": SCEN + f"[court]\njudges = {{ value = 700.5, {J} }}\n"}),
        Case("api", "file days 1e6", lambda: removalsim.load_scenario("s.toml"),
             ("s.toml", "court.nondetained_min_days", "(days)"),
             files={"s.toml": SCEN + '[court]\nnondetained_min_days = { value = 900000, unit = "days", '
                                     'source = "assumption", note = "x", low = 0, high = 1000 }\n'}),
        # item 3: ranges of dated values
        Case("api", "dated first step outside range", lambda: removalsim.load_scenario("s.toml"),
             ("s.toml", "court.judges", "2025-01-01", "600"),
             files={"s.toml": SCEN + '[court]\njudges = { steps = [{from = 2025-01-01, value = 600}, '
                                     '{from = 2026-01-01, value = 900}], unit = "judges", source = "assumption", '
                                     'note = "x", low = 700, high = 800 }\n'}),
        Case("api", "dated step own range", lambda: removalsim.load_scenario("s.toml"),
             ("s.toml", "court.judges", "2026-01-01"),
             files={"s.toml": SCEN + '[court]\njudges = { steps = [{from = 2025-01-01, value = 734}, '
                                     '{from = 2026-01-01, value = 900, low = 1000, high = 1500}], unit = "judges",'
                                     ' source = "assumption", note = "x", low = 700, high = 800 }\n'}),
        # item 1: every error of a file at once
        Case("api", "three errors", lambda: removalsim.load_scenario("s.toml"),
             ("s.toml", "court.judges", "detention.beds", "arrests.officers"), lines=3,
             files={"s.toml": SCEN + f'[court]\njudges = {{ value = inf, {J} }}\n[detention]\nbeds = {{ value = -1, '
                                     'unit = "beds", source = "stats:detention-funded-beds-fy2025" }\n[arrests]\n'
                                     'officers = { value = true, unit = "officers", source = '
                                     '"stats:deportation-officers-2025" }\n'}),
        Case("api", "two unknown keys", lambda: removalsim.load_scenario("s.toml"),
             ("s.toml", "court.judgez", "detention.bedz"), lines=2,
             files={"s.toml": SCEN + "[court]\njudgez = 3\n[detention]\nbedz = 4\n"}),
        Case("api", "two source overrides", lambda: removalsim.load_scenario("s.toml"),
             ("s.toml", "court.judges", "detention.beds"), lines=2,
             files={"s.toml": SCEN + '[court]\njudges = { value = 700, unit = "judges", source = "override" }\n'
                                     '[detention]\nbeds = { value = 700, unit = "beds", source = "override" }\n'}),
        Case("cli", "three errors on the command line", ["scenarios", "show", "s.toml"],
             ("error: s.toml", "court.judges", "detention.beds", "arrests.officers"), lines=3,
             files={"s.toml": SCEN + f'[court]\njudges = {{ value = inf, {J} }}\n[detention]\nbeds = {{ value = -1, '
                                     'unit = "beds", source = "stats:detention-funded-beds-fy2025" }\n[arrests]\n'
                                     'officers = { value = true, unit = "officers", source = '
                                     '"stats:deportation-officers-2025" }\n'}),
        Case("cli", "sweep three errors", ["sweep", "sw.toml", "-q"], ("sw.toml", "years", "seed", "grid"), lines=3,
             files={"sw.toml": 'years = 0\nseed = -1\n[grid]\n"court.judges" = [inf]\n'}),
        Case("cli", "sweep two bad points", ["sweep", "sw.toml", "-q"], ("sw.toml", "points[0]", "points[1]"),
             lines=2, files={"sw.toml": 'years = 0.1\nscale = 0.001\n[[points]]\nname = "a"\noverrides = '
                                        '{ "court.judges" = -1 }\n[[points]]\nname = "b"\noverrides = '
                                        '{ "detention.beds" = inf }\n'}),
    ]
    for c in cases:
        if isinstance(c.call, ShortRunFigures):
            c.setup = c.call.setup
    return cases


CRASHERS = [  # (id, scenario text): these crashed the kernels before inputs were checked
    ("asia-inf", SCEN + '[transport.air.asia]\nflights_per_week = { value = inf, unit = "flights/week", '
                        'source = "assumption", low = 0, high = 1, note = "x" }\n'),
    ("asia-1e308", SCEN + '[transport.air.asia]\nflights_per_week = { value = 1e308, unit = "flights/week", '
                          'source = "assumption", low = 0, high = 1, note = "x" }\n'),
    ("mexico-inf", SCEN + '[transport.land.mexico]\ncapacity_per_day = { value = inf, unit = "people/day", '
                          'source = "assumption", low = 0, high = 1, note = "x" }\n'),
]


def crashes(folder: Path) -> list[tuple[str, str]]:
    """The native-crash cases in subprocesses: (id, outcome)."""
    out = []
    for id_, text in CRASHERS:
        f = folder / f"{id_}.toml"
        f.write_text(text)
        r = subprocess.run([sys.executable, "-m", "removalsim.cli", "run", str(f), *FAST, "--out", str(folder / id_)],
                           capture_output=True, text=True, timeout=600)
        out.append((id_, "crash" if r.returncode < 0 else "clear" if r.returncode == 2 and
                    "Traceback" not in r.stderr else "silent accept" if r.returncode == 0 else "traceback"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    removalsim.api.run = _spy  # count simulations in this process (workers=1 keeps them here)
    results: list[tuple[str, str, str]] = []
    seen = set()
    for case in corpus_from_tests() + probe_cases():
        if (case.kind, case.id) in seen:
            continue
        seen.add((case.kind, case.id))
        with tempfile.TemporaryDirectory() as d, contextlib.redirect_stderr(open(os.devnull, "w")):
            outcome, seen_text = classify(case, Path(d))
        results.append((outcome, f"{case.kind}:{case.id}", seen_text))
    with tempfile.TemporaryDirectory() as d:
        for id_, outcome in crashes(Path(d)):
            results.append((outcome, f"subprocess:{id_}", ""))
    counts = Counter(o for o, _, _ in results)
    print(f"cases tried {len(results)}: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in
                                                      ("clear", "traceback", "crash", "silent accept", "unclear",
                                                       "lost work")))
    if not args.quiet:
        for outcome, id_, text in sorted(results):
            if outcome != "clear":
                print(f"{outcome:14} {id_[:60]:60} {text}")


if __name__ == "__main__":
    main()
