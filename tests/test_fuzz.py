"""Bad input, a few hundred ways: each gets one clear line (exit status 2, or the documented ScenarioError /
SweepError, both ValueErrors) and never a traceback, a crash, a silent accept or work done before the refusal.

The corpus: every parameter of `baseline` given a bad value in a scenario file (generated from the schema, and a
late first step for the dated ones), hand-written scenario and sweep files (encodings, garbage, nesting, huge
numbers, dates, names that are paths, markup), command lines, and Python API calls. Every case fails at load or
while the options are checked, so nothing is simulated: `simulate` is replaced by a function that fails the test.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from typer.testing import CliRunner

from removalsim import RemovalsimInputError, ScenarioError, load_scenario
from removalsim.cli import app
from removalsim.scenario.params import ParamSpec
from removalsim.uncertainty.sweep import SweepError, load_sweep

BASE = load_scenario("baseline")
START = BASE.start_date


def _specs() -> dict[str, ParamSpec]:
    """The ParamSpec of every parameter path of baseline."""
    out: dict[str, ParamSpec] = {}
    for section in BASE.section_names():
        for k, ps in type(getattr(BASE, section)).param_specs().items():
            out[f"{section}.{k}"] = ps
    for kind in ("land", "air"):
        for r, sec in getattr(BASE.transport, kind).items():
            for k, ps in type(sec).param_specs().items():
                out[f"transport.{kind}.{r}.{k}"] = ps
    for g, sec in BASE.groups.items():
        for k, ps in type(sec).param_specs().items():
            out[f"groups.{g}.{k}"] = ps
    return out


SPECS = _specs()
NUMBER_BAD = ["-1", "inf", "nan", "1e308", '"text"', "true", "-inf", "1e400", "1" + "0" * 30, "2025-01-01"]
OTHER_BAD = ["5", "true", "1e308", "[1, 2]"]


def _toml(v) -> str:
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return repr(float(v)) if isinstance(v, float) else str(v)


def _param_file(path: str, value: str | None, steps: str | None = None) -> str:
    """A scenario extending baseline that replaces the parameter at `path` (value or steps given as TOML)."""
    p = BASE.param(path)
    *table, key = path.split(".")
    fields = {"unit": p.unit, "source": p.source, "note": p.note, "low": p.low, "high": p.high, "dist": p.dist}
    body = ", ".join(f"{k} = {_toml(v)}" for k, v in fields.items() if v is not None)
    body += f", value = {value}" if steps is None else f", steps = {steps}"
    header = ".".join(json.dumps(t) for t in table)
    return f'extends = "baseline"\nname = "fuzz"\n[{header}]\n{key} = {{ {body} }}\n'


SAME_AS_ANOTHER = set(BASE.groups) - {"China"} | set(BASE.transport.air) - {"asia"}


def _schema_cases() -> list[tuple[str, str, str]]:
    """(id, file text, what the message must say after the parameter path): one bad value per parameter,
    rotating through the bad values; for every number a value above its declared physical maximum (the
    message gives the unit), for every count a fraction, and for every dated parameter a first step after
    the start date and a later step outside the range it carries."""
    cases = []
    for i, (path, ps) in enumerate(sorted(SPECS.items())):
        if BASE.param(path) is None:
            continue
        bad = NUMBER_BAD if ps.kind == "number" else OTHER_BAD
        value = bad[i % len(bad)]
        cases.append((f"{path}={value[:12]}", _param_file(path, value), f"{path}:"))
        if path.split(".")[1] in SAME_AS_ANOTHER:  # every group and region has the same fields: check one of each
            continue
        if ps.kind == "number":
            above = ps.high * 2 if ps.high else 1.0
            cases.append((f"{path}:above-maximum", _param_file(path, repr(above)),
                          f"{path}: value {above:g} is out of range; expected a "))
            assert f"({ps.unit})" in ps.allowed()
        if ps.count:
            cases.append((f"{path}:fraction", _param_file(path, "700.5"),
                          f"{path}: value 700.5 is not a whole number; {ps.unit} are counted"))
        if ps.dated:
            late = START + dt.timedelta(days=30)
            v = BASE.param(path).number()
            steps = f"[{{from = {late.isoformat()}, value = {v:g}}}]"
            cases.append((f"{path}:late-step", _param_file(path, None, steps), f"{path}: the first step"))
            hi = ps.high if ps.high is not None else v + 2
            steps = (f"[{{from = {START.isoformat()}, value = {v:g}}}, {{from = {late.isoformat()}, value = 0, "
                     f"low = {hi / 2:g}, high = {hi:g}}}]")
            cases.append((f"{path}:step-outside-its-range", _param_file(path, None, steps),
                          f"{path}: step from {late.isoformat()}: value 0 lies outside its own plausible range"))
    return cases


SCHEMA_CASES = _schema_cases()


def one_clear_line(msg: str, *must: str) -> None:
    assert "Traceback" not in msg and "\n" not in msg.strip(), msg
    assert len(msg) < 600, msg
    for m in must:
        assert m in msg, (m, msg)


@pytest.fixture(autouse=True)
def nothing_simulates(monkeypatch):
    """Every case here must be refused before simulating."""
    import removalsim.api

    def refuse(*a, **k):
        raise AssertionError("simulated before refusing the input")

    monkeypatch.setattr(removalsim.api, "simulate", refuse)


@pytest.mark.parametrize("text, path", [c[1:] for c in SCHEMA_CASES], ids=[c[0] for c in SCHEMA_CASES])
def test_every_parameter_refuses_bad_values(tmp_path, text, path):
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(RemovalsimInputError) as e:
        load_scenario(f)
    one_clear_line(str(e.value), "bad.toml", path)


SCEN = 'extends = "baseline"\nname = "t"\n'
J = 'unit = "judges", source = "stats:ij-count-2025-01"'

# (id, file content (str or bytes), what the message says)
FILES: list[tuple[str, str | bytes, str]] = [
    ("utf16", SCEN.encode("utf-16"), "UTF-16"),
    ("utf16be", SCEN.encode("utf-16-be"), "UTF-8"),
    ("latin1", (SCEN + 'description = "caf\xe9"\n').encode("latin-1"), "not UTF-8"),
    ("garbage", bytes(range(256)) * 8, "UTF-8"),
    ("nul", b"\x00" * 100, "binary"),
    ("huge", SCEN + "#" * (2 << 20) + "\n", "bytes"),
    ("nested-arrays", SCEN + "x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ("nested-tables", SCEN + "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n", "nested too deeply"),
    ("nested-20", SCEN + "x = " + "[" * 20 + "]" * 20 + "\n", "nested too deeply"),
    ("5000-digit", SCEN + f"[court]\njudges = {{ value = {'9' * 5000}, {J} }}\n", "4300 digits"),
    ("4000-digit", SCEN + f"[court]\njudges = {{ value = 1{'0' * 4000}, {J} }}\n", "too large"),
    ("start-2300", SCEN + "start_date = 2300-01-01\n", "start_date: 2300-01-01 is outside the supported dates"),
    ("start-2263", SCEN + "start_date = 2263-01-01\n", "outside the supported dates"),
    ("start-1800", SCEN + "start_date = 1800-01-01\n", "outside the supported dates"),
    ("start-0001", SCEN + "start_date = 0001-01-01\n", "outside the supported dates"),
    ("start-0", SCEN + "start_date = 0\n", "start_date: 0 is not a date"),
    ("start-true", SCEN + "start_date = true\n", "is not a date"),
    ("start-float", SCEN + "start_date = 1.5\n", "is not a date"),
    ("start-datetime", SCEN + "start_date = 2025-01-20T10:00:00\n", "is not a date"),
    ("start-text", SCEN + 'start_date = "soon"\n', "start_date"),
    ("step-9999", SCEN + f"[court]\njudges = {{ steps = [{{from = 2025-01-01, value = 700}}, "
                         f"{{from = 9999-01-01, value = 800}}], {J} }}\n", "outside the supported dates"),
    ("step-from-int", SCEN + f"[court]\njudges = {{ steps = [{{from = 5, value = 700}}], {J} }}\n", "not a date"),
    ("bool-judges", SCEN + f"[court]\njudges = {{ value = true, {J} }}\n",
     "court.judges: value true is a boolean; expected a whole number in [0, 10000] (judges)"),
    ("bool-step", SCEN + f"[court]\njudges = {{ steps = [{{from = 2025-01-01, value = false}}], {J} }}\n",
     "false is a boolean"),
    ("bool-low", SCEN + f"[court]\njudges = {{ value = 700, low = true, high = 800, {J} }}\n", "boolean"),
    ("low-above-high", SCEN + f"[court]\njudges = {{ value = 700, low = 800, high = 600, {J} }}\n",
     "court.judges: plausible range low 800 > high 600"),
    ("value-outside-range", SCEN + f"[court]\njudges = {{ value = 700, low = 800, high = 900, {J} }}\n",
     "court.judges: value 700 lies outside its own plausible range [800, 900]"),
    ("low-inf", SCEN + f"[court]\njudges = {{ value = 700, low = -inf, high = 900, {J} }}\n",
     "plausible-range low -inf is not a finite number"),
    ("days-1e11", SCEN + '[court]\ndetained_min_days = { value = 1e11, unit = "days", source = "assumption", '
                         'note = "x", low = 0, high = 1000 }\n',
     "court.detained_min_days: value 1e+11 is out of range"),
    ("source-override", SCEN + '[court]\njudges = { value = 700, unit = "judges", source = "override" }\n',
     "court.judges: source 'override' is not allowed in a file"),
    ("source-override-cited", SCEN + '[court]\njudges = { value = 700, unit = "judges", '
                                     'source = "stats:ij-count-2025-01; override" }\n', "reserved"),
    ("source-override-group", SCEN + '[group_defaults]\narrest_factor = { value = 1, unit = "relative", '
                                     'source = "override" }\n', "group_defaults.arrest_factor: source 'override'"),
    ("name-traversal", 'extends = "baseline"\nname = "../../x"\n', "name: '../../x' is not allowed"),
    ("name-absolute", 'extends = "baseline"\nname = "/tmp/x"\n', "name: '/tmp/x' is not allowed"),
    ("name-dots", 'extends = "baseline"\nname = "a..b"\n', "is not allowed"),
    ("name-backslash", 'extends = "baseline"\nname = "..\\\\x"\n', "is not allowed"),
    ("name-markup", 'extends = "baseline"\nname = "[bold]x[/]"\n', "name: '[bold]x[/]' is not allowed"),
    ("name-closing-tag", 'extends = "baseline"\nname = "a[/b]"\n', "name: 'a[/b]' is not allowed"),
    ("name-dollar", 'extends = "baseline"\nname = "a$b"\n', "is not allowed"),
    ("name-empty", 'extends = "baseline"\nname = ""\n', "is not allowed"),
    ("name-long", 'extends = "baseline"\nname = "' + "a" * 101 + '"\n', "at most 100 characters"),
    ("name-int", 'extends = "baseline"\nname = 5\n', "name"),
    ("name-newline", 'extends = "baseline"\nname = "a\\nb"\n', "is not allowed"),
    ("extends-int", "extends = 5\n", "extends"),
    ("extends-self", 'extends = "self.toml"\n', "cycle"),
    ("extends-missing", 'extends = "nowhere.toml"\n', "no such scenario file"),
    ("bad-toml", "[court\n", "not valid TOML"),
    ("groups-int", SCEN + "groups = 5\n", "groups"),
    ("unknown-key", SCEN + "[court]\njudgez = 3\n", "court.judgez: unknown key"),
    ("array-value", SCEN + f"[court]\njudges = {{ value = [1, 2], {J} }}\n", "court.judges: value [1, 2]"),
    ("inf-population", SCEN + '[population]\ntotal = { value = inf, unit = "people", source = "assumption", '
                              'note = "x", low = 0, high = 1 }\n', "population.total: value inf"),
    ("asia-inf", SCEN + '[transport.air.asia]\nflights_per_week = { value = inf, unit = "flights/week", '
                        'source = "assumption", low = 0, high = 1, note = "x" }\n', "flights_per_week: value inf"),
]


@pytest.mark.parametrize("content, expected", [c[1:] for c in FILES], ids=[c[0] for c in FILES])
def test_bad_scenario_files_via_the_api(tmp_path, content, expected):
    f = tmp_path / "self.toml"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ScenarioError) as e:
        load_scenario(f)
    one_clear_line(str(e.value), "self.toml", expected)


# A sample of the files through the command line: `scenarios show`, `run` and `run --replicates`.
CLI_FILES = [c for c in FILES if c[0] in {"utf16", "garbage", "nested-arrays", "5000-digit", "start-2300", "start-0",
                                          "bool-judges", "low-above-high", "source-override", "name-traversal",
                                          "name-absolute", "name-markup", "name-closing-tag", "days-1e11"}]


@pytest.mark.parametrize("command", [["scenarios", "show"], ["run", "--years", "0.1", "--scale", "0.001", "-q"],
                                     ["run", "--years", "0.1", "--scale", "0.001", "-q", "--replicates", "2"]],
                         ids=["show", "run", "replicates"])
@pytest.mark.parametrize("content, expected", [c[1:] for c in CLI_FILES], ids=[c[0] for c in CLI_FILES])
def test_bad_scenario_files_on_the_command_line(tmp_path, monkeypatch, command, content, expected):
    monkeypatch.chdir(tmp_path)
    f = tmp_path / "self.toml"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    r = CliRunner().invoke(app, [*command, "self.toml"] if command[0] == "scenarios" else
                           [command[0], "self.toml", *command[1:], "--out", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    one_clear_line(r.output, "error: self.toml", expected)
    assert not (tmp_path / "o").exists() and not (tmp_path.parent / "x").exists()


FAST = ["--years", "0.1", "--scale", "0.001", "-q"]
# (id, argv, text the one line must contain); {tmp} is the test's folder; "afile" there is a plain file
COMMANDS: list[tuple[str, list[str], str]] = [
    *[(f"years={v}", ["run", "--years", v], "--years") for v in ("0", "-1", "51", "nan", "inf", "x", "1e400")],
    *[(f"scale={v}", ["run", "--scale", v], "--scale") for v in ("0", "-1", "2", "nan", "inf", "x", "1e308")],
    *[(f"seed={v}", ["run", "--seed", v, *FAST], "--seed") for v in ("-1", str(2**63), str(2**64), "x", "1.5")],
    *[(f"seed={v}-replicates", ["run", "--seed", v, "--replicates", "2", *FAST], "--seed") for v in ("-1", str(2**63))],
    *[(f"replicates={v}", ["run", "--replicates", v, *FAST], "--replicates") for v in ("0", "-1", "x", "nan")],
    *[(f"workers={v}", ["run", "--replicates", "1", "--workers", v, *FAST], "--workers") for v in ("0", "-3", "x")],
    *[(f"freq={v}", ["run", "--freq", v, *FAST], "--freq") for v in ("W", "", "ms", "[bold]")],
    ("fixed-params-alone", ["run", "--fixed-params", *FAST], "--fixed-params"),
    ("workers-alone", ["run", "--workers", "2", *FAST], "--workers"),
    ("unknown-option", ["run", "--frobnicate"], "--frobnicate"),
    ("unknown-command", ["frobnicate"], "frobnicate"),
    ("unknown-scenario", ["run", "nosuch", *FAST], "unknown scenario"),
    ("missing-file", ["run", "missing.toml", *FAST], "no such scenario file"),
    ("traversal-arg", ["run", "../../etc/passwd", *FAST], "no such scenario file"),
    ("markup-arg", ["run", "[bold]x[/]", *FAST], "[bold]x[/]"),
    ("closing-tag-arg", ["run", "x[/b]", *FAST], "x[/b]"),
    ("out-is-file", ["run", *FAST, "--out", "{tmp}/afile"], "exists and is not a folder"),
    ("out-under-file", ["run", *FAST, "--out", "{tmp}/afile/sub"], "is a file, so no folder can be made under it"),
    ("out-under-file-replicates", ["run", *FAST, "--replicates", "2", "--out", "{tmp}/afile/sub"], "is a file"),
    ("sweep-out-under-file", ["sweep", "{tmp}/ok-sweep.toml", "--out", "{tmp}/afile/x"], "is a file"),
    ("sweep-batch-0", ["sweep", "{tmp}/ok-sweep.toml", "--batch", "0"], "--batch"),
    ("sweep-workers-0", ["sweep", "{tmp}/ok-sweep.toml", "--workers", "0"], "--workers"),
    ("report-out-folder", ["report", "baseline", "--out", "{tmp}"], "is a folder"),
    ("report-out-under-file", ["report", "baseline", "--out", "{tmp}/afile/r.html"], "is a file"),
    ("report-runs-file", ["report", "baseline", "--runs", "{tmp}/afile"], "exists and is not a folder"),
    ("report-replicates-0", ["report", "baseline", "--replicates", "0"], "--replicates"),
    ("report-bad-scenario", ["report", "baseline", "nosuch", "--out", "{tmp}/r.html"], "unknown scenario"),
    ("report-same-twice", ["report", "baseline", "baseline", "--out", "{tmp}/r.html"], "scenarios must differ"),
    ("compare-same-twice", ["compare", "baseline", "baseline"], "scenarios must differ"),
    ("compare-csv-under-file", ["compare", "baseline", "china", "--csv", "{tmp}/afile/x.csv"], "is a file"),
    ("compare-csv-folder", ["compare", "baseline", "china", "--csv", "{tmp}"], "is a folder"),
    ("compare-missing-arg", ["compare", "baseline"], "Missing argument"),
    ("compare-scale", ["compare", "baseline", "china", "--scale", "nan"], "--scale"),
    ("china-bad-scenario", ["china", "nosuch"], "unknown scenario"),
    ("china-years", ["china", "--years", "0"], "--years"),
    ("sensitivity-n-0", ["sensitivity", "--n", "0"], "--n 0 is out of range"),
    ("sensitivity-method", ["sensitivity", "--method", "x"], "--method"),
    ("sensitivity-output", ["sensitivity", "--output", "x"], "--output"),
    ("sensitivity-out-file", ["sensitivity", "--out", "{tmp}/afile"], "exists and is not a folder"),
    ("sensitivity-figure-folder", ["sensitivity", "--figure", "{tmp}"], "is a folder"),
    ("scenarios-show-missing", ["scenarios", "show"], "Missing argument"),
    ("scenarios-show-unknown", ["scenarios", "show", "nosuch"], "unknown scenario"),
    ("data-show-unknown", ["data", "show", "no-such-id"], "no-such-id"),
    ("data-show-markup", ["data", "show", "[red]x[/]"], "[red]x[/]"),
    ("runs-sql-empty", ["runs", "sql", ""], "the query is empty"),
    ("runs-sql-blank", ["runs", "sql", "   "], "the query is empty"),
    ("runs-show-missing", ["runs", "show"], "Missing argument"),
    ("validate-years", ["validate", "--years", "-1"], "--years"),
]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "ok-sweep.toml").write_text('scenario = "baseline"\nyears = 0.1\nscale = 0.001\n'
                                            '[grid]\n"court.judges" = [700, 800]\n')
    return tmp_path


@pytest.mark.parametrize("argv, expected", [c[1:] for c in COMMANDS], ids=[c[0] for c in COMMANDS])
def test_bad_command_lines(folder, argv, expected):
    r = CliRunner().invoke(app, [a.replace("{tmp}", str(folder)) for a in argv])
    assert r.exit_code == 2, r.output
    one_clear_line(r.output, "error: ", expected)
    assert not (folder / "out").exists() and not (folder / "afile").is_dir()


SW = 'scenario = "baseline"\nyears = 0.1\nscale = 0.001\n'
GRID = '[grid]\n"court.judges" = [700, 800]\n'
SWEEPS: list[tuple[str, str | bytes, str]] = [
    ("utf16", (SW + GRID).encode("utf-16"), "UTF-16"),
    ("garbage", bytes(range(256)) * 8, "UTF-8"),
    ("huge", SW + GRID + "#" * (2 << 20), "bytes"),
    ("nested", SW + "x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ("bad-toml", "[grid\n", "not valid TOML"),
    ("bigint", SW + "seed = " + "9" * 5000 + "\n" + GRID, "4300 digits"),
    ("name-traversal", 'name = "../../x"\n' + SW + GRID, "name: '../../x' is not allowed"),
    ("name-absolute", 'name = "/tmp/x"\n' + SW + GRID, "is not allowed"),
    ("name-markup", 'name = "[bold]x"\n' + SW + GRID, "is not allowed"),
    ("unknown-key", SW + "replicate = 3\n" + GRID, "unknown key 'replicate'"),
    ("years-text", 'years = "x"\n' + GRID, "years"),
    ("years-0", "years = 0\n" + GRID, "years = 0 is out of range"),
    ("years-inf", "years = inf\n" + GRID, "out of range"),
    ("years-nan", "years = nan\n" + GRID, "out of range"),
    ("scale-2", "scale = 2\n" + GRID, "scale = 2 is out of range"),
    ("replicates-0", "replicates = 0\n" + GRID, "replicates = 0 is out of range"),
    ("replicates-bool", "replicates = true\n" + GRID, "wrong type"),
    ("seed-negative", "seed = -1\n" + GRID, "seed = -1 is out of range"),
    ("seed-2-63", f"seed = {2**63}\n" + GRID, "out of range"),
    ("freq-W", 'freq = "W"\n' + GRID, "freq"),
    ("grid-empty", SW + '[grid]\n"court.judges" = []\n', "non-empty list"),
    ("grid-text", SW + '[grid]\n"court.judges" = ["x"]\n', "is not allowed"),
    ("grid-bool", SW + '[grid]\n"court.judges" = [true]\n', "is not allowed"),
    ("grid-inf", SW + '[grid]\n"court.judges" = [inf]\n', "not a finite number"),
    ("grid-1e308", SW + '[grid]\n"court.judges" = [1e308]\n',
     "out of range; expected a whole number in [0, 10000] (judges)"),
    ("grid-negative", SW + '[grid]\n"court.judges" = [-5]\n', "out of range"),
    ("grid-unknown-path", SW + '[grid]\n"court.jugdes" = [1]\n', "court.jugdes"),
    ("grid-bad-dated", SW + '[grid]\n"court.judges" = [[["2025-01-20"]]]\n', "dated path"),
    ("grid-bad-date", SW + '[grid]\n"court.judges" = [[["tomorrow", 5]]]\n', "not a date"),
    ("grid-late-step", SW + '[grid]\n"court.judges" = [[["2026-01-01", 700]]]\n', "comes after the start date"),
    ("points-overrides-int", SW + '[[points]]\nname = "a"\noverrides = 5\n', "points[0].overrides = 5"),
    ("points-extra-key", SW + '[[points]]\nname = "a"\nfoo = 1\n', "points[0]"),
    ("points-duplicate", SW + '[[points]]\nname = "a"\n[[points]]\nname = "a"\n', "both named 'a'"),
    ("no-points", SW, "no points"),
    ("scenario-unknown", 'scenario = "nosuch"\n' + GRID, "unknown scenario"),
    ("scenario-bad-file", 'scenario = "bad.toml"\n' + GRID, "name: '../x' is not allowed"),
]


@pytest.mark.parametrize("content, expected", [c[1:] for c in SWEEPS], ids=[c[0] for c in SWEEPS])
def test_bad_sweep_files(tmp_path, monkeypatch, content, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text('extends = "baseline"\nname = "../x"\n')
    f = tmp_path / "sw.toml"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(SweepError) as e:
        load_sweep(f)
    one_clear_line(str(e.value), "sw.toml", expected)
    r = CliRunner().invoke(app, ["sweep", "sw.toml", "-q"])
    assert r.exit_code == 2, r.output
    one_clear_line(r.output, "error: sw.toml", expected)
    assert not (tmp_path / "out").exists()


OVERRIDES = [
    *[({"court.judges": v}, "court.judges") for v in (math.inf, -math.inf, math.nan, -1, 1e308, 1e13, "x", True,
                                                      None, [("2030-01-01", 700)], [("tomorrow", 700)])],
    *[({"detention.beds": v}, "detention.beds") for v in (math.inf, -5, "many", False)],
    ({"court.detained_min_days": 1e308}, "court.detained_min_days"),
    ({"population.total": math.inf}, "population.total"),
    ({"transport.air.asia.flights_per_week": 1e308}, "transport.air.asia.flights_per_week"),
    ({"transport.land.mexico.capacity_per_day": math.inf}, "transport.land.mexico.capacity_per_day"),
    ({"groups.China.arrivals_per_day": math.nan}, "groups.China.arrivals_per_day"),
    ({"groups.Mars.arrivals_per_day": 5}, "no group 'Mars'"),
    ({"court.nosuch": 5}, "court.nosuch"),
    ({"nosuch.judges": 5}, "nosuch"),
    ({"court.judges": {"value": 700, "unit": "people"}}, "court.judges"),
]


@pytest.mark.parametrize("overrides, expected", OVERRIDES, ids=[f"{k}={v!r}"[:40] for o, _ in OVERRIDES
                                                                 for k, v in o.items()])
def test_bad_overrides_through_the_api(overrides, expected):
    with pytest.raises(ScenarioError) as e:
        BASE.with_overrides(overrides)
    assert isinstance(e.value, ValueError)
    one_clear_line(str(e.value), expected)


@pytest.mark.parametrize("name", ["../../x", "/etc/passwd.toml", "nosuch", "[bold]", "x" * 300, "", "a\x00b"])
def test_bad_names_through_the_api(name):
    with pytest.raises(ScenarioError) as e:
        load_scenario(name)
    one_clear_line(str(e.value))


def test_a_file_without_a_name_gets_a_usable_one(tmp_path):
    f = tmp_path / "my policy (v2).toml"
    f.write_text('extends = "baseline"\n')
    assert load_scenario(f).name == "my_policy_v2"


def test_user_text_prints_literally(tmp_path, monkeypatch):
    """A description, a group name or a value with [ ] is printed as written, never read as Rich markup."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text('extends = "baseline"\nname = "t"\ndescription = "judges [/] x [bold]y[/bold]"\n')
    r = CliRunner().invoke(app, ["scenarios", "show", "s.toml"], terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "judges [/] x [bold]y[/bold]" in r.output


def test_the_corpus_is_large():
    n = (len(SCHEMA_CASES) + len(FILES) + 3 * len(CLI_FILES) + len(COMMANDS) + 2 * len(SWEEPS) + len(OVERRIDES) + 7
         + 2 * len(MULTI) + 2 * len(SWEEP_MULTI) + len(API_CALLS) + len(LATE))
    assert n >= 300, n


def test_an_unwritable_output_folder_is_refused_before_computing(folder, monkeypatch):
    """A read-only --out (os.access says no: as root nothing is read-only, so the check is what is tested)."""
    import removalsim.cli.options as options

    monkeypatch.setattr(options.os, "access", lambda *a, **k: False)
    for argv in (["run", *FAST, "--out", "ro"], ["run", *FAST, "--replicates", "2", "--out", "ro"],
                 ["sweep", "ok-sweep.toml", "--out", "ro"], ["report", "baseline", "--out", "r.html"]):
        r = CliRunner().invoke(app, argv)
        assert r.exit_code == 2, r.output
        one_clear_line(r.output, "is not writable")


def test_a_hand_built_run_cannot_write_outside_its_folder(tmp_path):
    from dataclasses import replace

    from removalsim.uncertainty.jobs import make_run
    from removalsim.uncertainty.runner import run_specs

    spec = replace(make_run(BASE, years=0.1, scale=0.001), scenario_name="../../escape")
    with pytest.raises(ValueError, match="a name, not a path"):
        run_specs([spec], out=tmp_path / "out", workers=1)
    assert not (tmp_path / "escape").exists() and not list(tmp_path.parent.glob("escape-*"))


# Every error of a file at once, one line each: (id, file text, what each line says, in order)
BEDS = 'unit = "beds", source = "stats:detention-funded-beds-fy2025"'
OFFICERS = 'unit = "officers", source = "stats:deportation-officers-2025"'
MULTI: list[tuple[str, str, list[str]]] = [
    ("three-values", SCEN + f"[court]\njudges = {{ value = inf, {J} }}\n[detention]\nbeds = {{ value = -1, {BEDS} }}\n"
                            f"[arrests]\nofficers = {{ value = true, {OFFICERS} }}\n",
     ["arrests.officers: value true is a boolean", "detention.beds: value -1 is out of range",
      "court.judges: value inf is not a finite number"]),
    ("two-unknown-keys", SCEN + "[court]\njudgez = 3\n[detention]\nbedz = 4\n",
     ["detention.bedz: unknown key", "court.judgez: unknown key"]),
    ("two-override-sources", SCEN + '[court]\njudges = { value = 700, unit = "judges", source = "override" }\n'
                                    '[detention]\nbeds = { value = 700, unit = "beds", source = "override" }\n',
     ["court.judges: source 'override'", "detention.beds: source 'override'"]),
    ("one-parameter-three-ways", SCEN + '[court]\njudges = { value = 700.5, unit = "people", source = "x", '
                                        'low = 900, high = 800 }\n',
     ["court.judges: unit 'people' is wrong", "court.judges: source 'x' is not allowed",
      "court.judges: value 700.5 is not a whole number", "court.judges: plausible range low 900 > high 800"]),
    ("counts-and-maxima", SCEN + f"[court]\njudges = {{ value = 20000, {J} }}\n[detention]\n"
                                 f"beds = {{ value = 41500.5, {BEDS} }}\n",
     ["detention.beds: value 41500.5 is not a whole number; beds are counted",
      "court.judges: value 20000 is out of range; expected a whole number in [0, 10000] (judges)"]),
    ("steps-and-cross-checks", SCEN + "[court]\njudges = { steps = [{from = 2025-06-01, value = 700}], " + J + " }\n"
                                      "[detention]\nbeds = { steps = [{from = 2025-06-01, value = 700}], " + BEDS +
                                      " }\n",
     ["court.judges: the first step (from 2025-06-01) comes after the start date",
      "detention.beds: the first step (from 2025-06-01) comes after the start date"]),
    ("bad-group-and-region-names", SCEN + '[transport.air."a$b"]\n' + "".join(
        f'{k} = {{ value = {v}, unit = "{u}", source = "assumption", note = "x", low = {v}, high = {v} }}\n'
        for k, v, u in (("flights_per_week", 1, "flights/week"), ("seats_per_flight", 100, "seats"),
                        ("min_load_share", 0.5, "share"), ("flight_hours", 10, "hours"),
                        ("cost_per_flight_hour", 100, "USD/hour"))) + '[groups."Ch na"]\n' + "".join(
        f'{k} = {{ value = 10, unit = "people", source = "assumption", note = "x", low = 0, high = 10 }}\n'
        for k in ("population", "pending_cases", "final_orders", "protected")) +
     'region = { value = "asia", unit = "region", source = "assumption", note = "x" }\n',
     ["transport.air.a$b: the region name 'a$b' is not allowed",
      "groups.Ch na: the group name 'Ch na' is not allowed"]),
    ("dated-ranges", SCEN + '[court]\njudges = { steps = [{from = 2025-01-01, value = 600}, {from = 2026-01-01, '
                            'value = 900, low = 1000, high = 1500}], unit = "judges", source = "assumption", '
                            'note = "x", low = 700, high = 800 }\n',
     ["court.judges: step from 2025-01-01: value 600 lies outside the parameter's plausible range (of the first "
      "step) [700, 800]",
      "court.judges: step from 2026-01-01: value 900 lies outside its own plausible range [1000, 1500]"]),
]


def clear_lines(msg: str, expected: list[str], prefix: str) -> None:
    """One line per expected problem, in any order, each naming the file (`prefix`); no traceback."""
    lines = msg.strip().splitlines()
    assert "Traceback" not in msg and len(lines) == len(expected), msg
    for want in expected:
        hits = [ln for ln in lines if want in ln]
        assert len(hits) == 1 and hits[0].startswith(prefix), (want, msg)


@pytest.mark.parametrize("content, expected", [c[1:] for c in MULTI], ids=[c[0] for c in MULTI])
def test_every_error_of_a_file_at_once(tmp_path, monkeypatch, content, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(content)
    with pytest.raises(ScenarioError) as e:
        load_scenario("s.toml")
    clear_lines(str(e.value), expected, "s.toml: ")
    r = CliRunner().invoke(app, ["run", "s.toml", *FAST, "--out", "o"])
    assert r.exit_code == 2 and not (tmp_path / "o").exists()
    clear_lines(r.output, expected, "error: s.toml: ")


SWEEP_MULTI: list[tuple[str, str, list[str]]] = [
    ("keys-and-grid", 'years = 0\nseed = -1\nreplicate = 2\n[grid]\n"court.judges" = [inf, 7.5]\n',
     ["years = 0 is out of range", "seed = -1 is out of range", "unknown key 'replicate'",
      "grid: court.judges: value inf is not a finite number", "grid: court.judges: value 7.5 is not a whole number"]),
    ("two-points", SW + '[[points]]\nname = "a"\noverrides = { "court.judges" = -1 }\n[[points]]\nname = "b"\n'
                        'overrides = { "detention.beds" = inf, "court.judges" = 1.5 }\n',
     ["points[0]: court.judges: value -1 is out of range", "points[1]: detention.beds: value inf",
      "points[1]: court.judges: value 1.5 is not a whole number"]),
    ("types", 'years = "x"\nscale = true\n[[points]]\nname = "a"\noverrides = 5\n',
     ["years = 'x' has the wrong type; expected a number", "scale = True has the wrong type",
      "points[0].overrides = 5 is not allowed"]),
    ("grid-combination", SW + '[grid]\n"detention.beds" = [1, 41500]\n"detention.initial_detained" = [30000]\n',
     ["grid point detention.beds=1, detention.initial_detained=30000: detention.initial_detained: exceeds the "
      "beds at the start date"]),
]


@pytest.mark.parametrize("content, expected", [c[1:] for c in SWEEP_MULTI], ids=[c[0] for c in SWEEP_MULTI])
def test_every_error_of_a_sweep_file_at_once(tmp_path, monkeypatch, content, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sw.toml").write_text(content)
    with pytest.raises(SweepError) as e:
        load_sweep("sw.toml")
    clear_lines(str(e.value), expected, "sw.toml: ")
    r = CliRunner().invoke(app, ["sweep", "sw.toml", "-q"])
    assert r.exit_code == 2 and not (tmp_path / "out").exists()
    clear_lines(r.output, expected, "error: sw.toml: ")


def _api_calls():
    from removalsim import simulate
    from removalsim.cli.settings import RunSettings
    from removalsim.uncertainty.jobs import make_run
    from removalsim.uncertainty.sensitivity import sensitivity

    b = BASE
    return [
        ("simulate-years-text", lambda: simulate(b, years="x", scale=0.001), "years 'x' is not a number"),
        ("simulate-years-nan", lambda: simulate(b, years=math.nan, scale=0.001), "years nan is out of range"),
        ("simulate-scale-none", lambda: simulate(b, scale=None), "scale None is not a number"),
        ("simulate-scale-bool", lambda: simulate(b, scale=True), "scale True is not a number"),
        ("simulate-seed-negative", lambda: simulate(b, seed=-1, scale=0.001), "seed -1 is out of range"),
        ("simulate-seed-2**63", lambda: simulate(b, seed=2**63, scale=0.001), "seed 9223372036854775808 is out"),
        ("simulate-seed-float", lambda: simulate(b, seed=1.5, scale=0.001), "seed 1.5 is not a whole number"),
        ("simulate-seed-bool", lambda: simulate(b, seed=True, scale=0.001), "seed True is not a whole number"),
        ("simulate-scenario-int", lambda: simulate(5, scale=0.001), "scenario int '5' is not allowed"),
        ("simulate-scenario-missing", lambda: simulate("nosuch", scale=0.001), "unknown scenario"),
        ("simulate-freq", lambda: simulate(b, scale=0.001, freq="W"), "freq 'W' is not allowed"),
        ("simulate-progress", lambda: simulate(b, scale=0.001, progress=5), "progress 5 is not allowed"),
        ("simulate-holds-nobody", lambda: simulate(b, scale=1e-9), "scale 1e-09 holds nobody"),
        ("make-run-holds-nobody", lambda: make_run(b, scale=1e-9), "scale 1e-09 holds nobody"),
        ("load-int", lambda: load_scenario(5), "'5' (int) is not a scenario"),
        ("load-none", lambda: load_scenario(None), "'None' (NoneType) is not a scenario"),
        ("overrides-list", lambda: b.with_overrides([1, 2]), "overrides '[1, 2]' (list) is not allowed"),
        ("overrides-int-key", lambda: b.with_overrides({5: 1}), "override 5: a parameter path is text"),
        ("overrides-bad-pairs", lambda: b.with_overrides({"court.judges": [(1, 2, 3)]}), "is not a dated path"),
        ("overrides-bare-list", lambda: b.with_overrides({"court.judges": [5]}), "is not a dated path"),
        ("overrides-empty-list", lambda: b.with_overrides({"court.judges": []}), "is not a dated path"),
        ("override-fraction", lambda: b.with_overrides({"court.judges": 700.5}), "court.judges: value 700.5 is not a "
                                                                                 "whole number; judges are counted"),
        ("override-dated-fraction", lambda: b.with_overrides({"arrests.officers": [("2025-01-20", 6000.5)]}),
         "arrests.officers: step from 2025-01-20: value 6000.5 is not a whole number"),
        ("override-judges-1e9", lambda: b.with_overrides({"court.judges": 1e9}),
         "court.judges: value 1e+09 is out of range; expected a whole number in [0, 10000] (judges)"),
        ("override-flights-1e6", lambda: b.with_overrides({"transport.air.asia.flights_per_week": 1e6}),
         "expected a number in [0, 10000] (flights/week)"),
        ("override-stipend-1e11", lambda: b.with_overrides({"self_departure.stipend_usd": 1e11}),
         "expected a number in [0, 1e+07] (USD)"),
        ("load-sweep-int", lambda: load_sweep(5), "'5' (int) is not a sweep file"),
        ("settings-years-text", lambda: RunSettings(years="x"), "--years 'x' is not a number"),
        ("settings-seed-text", lambda: RunSettings(seed="x"), "--seed 'x' is not a whole number"),
        ("settings-replicates-float", lambda: RunSettings(replicates=2.5), "--replicates 2.5 is not a whole number"),
        ("sensitivity-n-0", lambda: sensitivity(b, "sobol", "removals", 0), "n 0 is out of range"),
        ("sensitivity-method", lambda: sensitivity(b, "x"), "method 'x' is not allowed"),
        ("sensitivity-output", lambda: sensitivity(b, output="x"), "output 'x' is not a measure"),
        ("param-unknown", lambda: b.param("court.nosuch"), "court.nosuch: court has no 'nosuch'; it has judges"),
        ("param-unknown-group", lambda: b.param("groups.Mars.population"), "groups has no 'Mars'"),
        ("param-int", lambda: b.param(5), "'5': a parameter path is text"),
    ]


API_CALLS = _api_calls()


@pytest.mark.parametrize("call, expected", [c[1:] for c in API_CALLS], ids=[c[0] for c in API_CALLS])
def test_the_api_raises_one_documented_type(call, expected):
    """Bad arguments of any type raise RemovalsimInputError (a ValueError) with one clear line, nothing else."""
    with pytest.raises(RemovalsimInputError) as e:
        call()
    assert isinstance(e.value, ValueError)
    one_clear_line(str(e.value), expected)


def test_every_input_error_is_the_documented_type():
    import removalsim
    from removalsim.backtest.calibrate import CalibrationError
    from removalsim.cli.options import NotAllowed, OutOfRange
    from removalsim.cli.settings import SettingsError

    assert removalsim.RemovalsimInputError is RemovalsimInputError and "RemovalsimInputError" in removalsim.__all__
    for cls in (ScenarioError, SweepError, SettingsError, CalibrationError, OutOfRange, NotAllowed):
        assert issubclass(cls, RemovalsimInputError) and issubclass(cls, ValueError)


def _no_china() -> str:
    """baseline.toml without its China group (groups cannot be removed by `extends`)."""
    from importlib import resources

    text = (resources.files("removalsim.scenario") / "data" / "baseline.toml").read_text()
    head, rest = text.split("[groups.China]\n", 1)
    return head.replace('name = "baseline"', 'name = "nochina"') + "[groups.Other]\n" + rest.split(
        "[groups.Other]\n", 1)[1]


LATE: list[tuple[str, list[str], str]] = [  # refused after simulating before issue 18; now before
    ("china-without-china", ["china", "nochina.toml", *FAST, "-r", "1", "--workers", "1"],
     "nochina: no China group; every scenario of this command needs one"),
    ("report-dollar-group", ["report", "baseline", "dollar.toml", *FAST, "-r", "1", "--workers", "1", "--out",
                             "r.html"], "dollar.toml: groups.Ch$na: the group name 'Ch$na' is not allowed"),
    ("run-holds-nobody", ["run", "--scale", "1e-9", "--years", "0.1", "-q", "--out", "out"],
     "--scale 1e-09 holds nobody: 0.014 of the 14,000,000 people of baseline"),
    ("replicates-hold-nobody", ["run", "--scale", "1e-9", "--years", "0.1", "-q", "-r", "2", "--out", "out"],
     "--scale 1e-09 holds nobody"),
    ("compare-holds-nobody", ["compare", "baseline", "china", "--scale", "1e-9", "--years", "0.1", "-q"],
     "--scale 1e-09 holds nobody"),
    ("sensitivity-holds-nobody", ["sensitivity", "--scale", "1e-9", "--years", "0.1", "-q", "--out", "out"],
     "--scale 1e-09 holds nobody"),
    ("sweep-holds-nobody", ["sweep", "tiny.toml", "-q"], "tiny.toml: scale = 1e-09 holds nobody"),
]


@pytest.mark.parametrize("argv, expected", [c[1:] for c in LATE], ids=[c[0] for c in LATE])
def test_refused_before_simulating(folder, argv, expected):
    (folder / "nochina.toml").write_text(_no_china())
    people = 'unit = "people", source = "assumption", note = "x", low = 0, high = 1e6'
    (folder / "dollar.toml").write_text(
        SCEN + '[groups."Ch$na"]\nregion = { value = "asia", unit = "region", source = "assumption", note = "x" }\n'
        + "".join(f"{k} = {{ value = 10, {people} }}\n" for k in ("population", "pending_cases", "final_orders",
                                                                  "protected")))
    (folder / "tiny.toml").write_text('scale = 1e-9\nyears = 0.1\n[grid]\n"court.judges" = [700, 800]\n')
    r = CliRunner().invoke(app, argv)
    assert r.exit_code == 2, r.output
    one_clear_line(r.output, "error: ", expected)
    assert not (folder / "out").exists() and not (folder / "r.html").exists()


def test_the_rule_book_matches_the_code():
    """docs/input.md lists every unit's maximum and whether it counts, and states the range rule, as coded."""
    from pathlib import Path

    from removalsim.scenario.params import COUNT_UNITS, RANGE_RULE, UNIT_MAX

    doc = (Path(__file__).resolve().parents[1] / "docs" / "input.md").read_text()
    for unit, most in UNIT_MAX.items():
        assert f"| `{unit}` | {most:,.0f} | {'yes' if unit in COUNT_UNITS else 'no'} |" in doc, unit
    assert RANGE_RULE in doc and "RemovalsimInputError" in doc


def test_a_step_shows_its_own_range(tmp_path, monkeypatch):
    """`scenarios show --sources` gives the range a step carries next to the step (mass_removal_650k's 2026
    officers), since the parameter's own range no longer describes that step."""
    from removalsim.cli.console import out

    monkeypatch.setattr(out, "_width", 400)
    r = CliRunner().invoke(app, ["scenarios", "show", "mass_removal_650k", "--sources"])
    assert r.exit_code == 0, r.output
    assert "2025-01-20: 6,000; 2026-01-01: 15,000 [range 11,000 to 22,000]" in r.output
