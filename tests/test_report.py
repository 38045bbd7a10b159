"""The HTML report builds at tiny scale, is self-contained and has every section with numbers."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from removalsim.report import SECTIONS


def test_report_cli_builds_a_self_contained_report(tmp_path):
    from removalsim.cli import app

    bad_label = "The binding stage in the last 12 months"  # the label that pointed at the wrong lever
    out = tmp_path / "report.html"
    res = CliRunner().invoke(app, ["report", "baseline", "judges_plus_700", "china_paused", "--out", str(out),
                                   "-r", "2", "--years", "1", "--scale", "0.001", "-q", "--levers-for", "baseline"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    # self-contained: figures are data URIs; no external scripts, styles or images
    assert not re.search(r'src="(https?:)?//', html)
    assert "<script" not in html and "<link" not in html
    # sources a reader can follow: cited documents are links (nothing else points outside), intermediaries marked
    links = re.findall(r'href="https?://', html)
    assert links and len(links) == len(re.findall(r'<a href="https?://', html))
    assert "(through an intermediary: " in html and 'title="primary source"' in html
    assert "(no primary link: " in html
    # an intermediary's address is never presented as the primary source
    from removalsim.data import statistics
    via_urls = set(statistics()["via_url"]) - {""}
    primary = set(re.findall(r'<a href="([^"]+)" title="primary source"', html))
    assert primary and not primary & via_urls
    assert html.count('src="data:image/png;base64,') >= 6
    # every section is there and carries numbers (a median with its 90% band, or a percentage)
    bodies = re.split(r'<h2 id="', html)[1:]
    found = {b.split('"', 1)[0]: b for b in bodies}
    assert list(found) == list(SECTIONS)
    for sid, body in found.items():
        assert re.search(r"\d[\d,.]*\s*\[[-$\d,.]+ to [-$\d,.]+\]|\d+%|\$\d", body), f"section {sid} has no numbers"
    # what binds is answered by marginal returns, one scenario's levers ranked by removals per $1 bn
    levers = found["bottleneck"]
    assert "removals a year per $1 bn" in levers and "ICE officers" in levers and "not priced" in levers
    assert "734 to 807 judges" in levers and "range of 2 replicates" in levers
    assert "removals a year per $1 bn" in html.split('<h2 id="bottleneck"')[0]  # and the first answer says so
    assert bad_label not in html
    # one page first: every scenario answers the six questions, with the record beside them, readable on a phone
    summary = found["summary"]
    for q in ("1. Removals", "2. Cost", "3. Backlog", "4. China", "5. Policy", "6. Due process", "Against the record"):
        assert q in summary, q
    assert summary.count("<div><h3>") == 4 and "@media (max-width" in html and 'name="viewport"' in html
    # and the terms it uses are explained once, at the end
    assert "Alternatives to detention" in found["terms"] and "fiscal year" in found["terms"]
    for text in ("judges_plus_700 minus baseline", "Ministry of Public Security",
                 "stats:ij-needed-to-clear-by-fy2032-2023", "U.S.-citizen spouses and children",
                 "ice-removals-since-inauguration-2025-08-27", "cost per removal, fully loaded",
                 "Parameters fitted to the record", "groups.Mexico.arrest_factor"):
        assert text in html
    # the record section gives each miss its reason, as the README does
    record, history = found["record"].split("<h3>History through the engine")
    assert record.count("(miss)") == len(re.findall(r"<li>`[a-z0-9_]+`, ", record))
    # and the history through the engine, validation years apart
    assert "FY2017" in history and "validation" in history and "ice-removals-fy2018" in history
    bad = CliRunner().invoke(app, ["report", "baseline", "--out", str(tmp_path), "-q", "--scale", "0.001",
                                   "--years", "1", "-r", "1"])
    assert bad.exit_code == 2 and "folder" in bad.output


def test_assumption_values_and_country_labels_read_as_a_reader_writes_them():
    from removalsim.measures import UNEXECUTABLE_PREFIX, label
    from removalsim.formatting import param_range, param_value
    from removalsim.scenario import load_scenario

    params = dict(load_scenario("baseline").params_by_path())
    assert param_value(params["population.final_orders"]) == "1,445,549"  # not 1.44555e+06
    steps = dict(load_scenario("current_policy").params_by_path())["expedited_removal.recent_arrival_share"]
    assert param_range(steps) == "2025-01-21: 0.5 to 1"  # a range only a step carries is shown, not 'n/a'
    assert label(UNEXECUTABLE_PREFIX + "ElSalvador")[1] == "El Salvador"
