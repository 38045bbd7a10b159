"""Tests for the citable public-statistics table (removalsim.data)."""

from __future__ import annotations

import pandas as pd
import pytest

from removalsim.data import (
    ALLOWED_RELIABILITY,
    ALLOWED_UNITS,
    COLUMNS,
    MIRROR_DOMAINS,
    NO_URL_REASONS,
    PERIOD_PATTERN,
    get,
    statistics,
    validate_table,
)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return statistics()


def test_columns_exact(table):
    assert tuple(table.columns) == COLUMNS


def test_table_validates_clean(table):
    assert validate_table(table) == []


def test_size_is_plausible(table):
    assert len(table) >= 150


def test_every_row_has_source(table):
    assert (table["source_org"].str.strip() != "").all()
    assert (table["document"].str.strip() != "").all()


def test_units_periods_reliability_allowed(table):
    assert set(table["unit"]) <= ALLOWED_UNITS
    assert set(table["reliability"]) <= ALLOWED_RELIABILITY
    bad = [p for p in table["period"] if not PERIOD_PATTERN.match(p)]
    assert bad == []


def test_ids_unique(table):
    assert table["id"].is_unique


def test_value_is_float(table):
    assert table["value"].dtype == float


def test_statistics_returns_copy():
    a = statistics()
    a.loc[0, "value"] = -1.0
    assert statistics().loc[0, "value"] != -1.0


def test_eoir_and_trac_series_kept_apart(table):
    eoir = table[table["id"].str.startswith("eoir-")]
    trac = table[table["id"].str.startswith("trac-")]
    assert not eoir.empty and not trac.empty
    assert "TRAC" not in set(eoir["source_org"])
    assert set(trac["source_org"]) == {"TRAC"}


@pytest.mark.parametrize(
    "column, bad_value, expected",
    [
        ("unit", "furlongs", "unit"),
        ("period", "FY24", "period"),
        ("period", "2024-13", "period"),
        ("source_org", "", "source_org"),
        ("document", "", "document"),
        ("reliability", "LOW-REL", "reliability"),
        ("value", "12,345", "not numeric"),
    ],
)
def test_validate_reports_corruption(table, column, bad_value, expected):
    bad = table.copy()
    bad[column] = bad[column].astype(object)
    bad.loc[bad.index[0], column] = bad_value
    problems = validate_table(bad)
    assert problems, f"corrupted {column} not reported"
    assert any(expected in p for p in problems)


def test_validate_reports_share_out_of_range(table):
    bad = table.copy()
    i = bad.index[bad["unit"] == "share"][0]
    bad.loc[i, "value"] = 1.5
    problems = validate_table(bad)
    assert any("outside 0..1" in p for p in problems)


def test_validate_reports_duplicate_id(table):
    bad = pd.concat([table, table.iloc[[0]]], ignore_index=True)
    assert any("duplicate id" in p for p in validate_table(bad))


def test_validate_reports_low_rel_url(table):
    bad = table.copy()
    bad.loc[bad.index[0], "url"] = "https://gitnux.org/immigration-statistics/"
    assert any("gitnux" in p for p in validate_table(bad))


def test_every_statistic_links_its_source_or_says_why(table):
    """Each row has a primary URL (absolute http(s)) or a known reason for none."""
    has_url = table["url"].str.strip() != ""
    assert table.loc[has_url, "url"].str.match(r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$").all()
    assert (table.loc[~has_url, "no_url"].isin(list(NO_URL_REASONS))).all()
    assert (table.loc[has_url, "no_url"] == "").all()
    assert has_url.sum() >= 250  # 128 before issue 15


def test_intermediaries_are_marked(table):
    """Secondary and never-published figures name the text they were read in; mirrors are never the url."""
    needs_via = (table["reliability"] == "secondary") | (table["no_url"] == "not-published")
    assert (table.loc[needs_via, "via"].str.strip() != "").all()
    assert (table.loc[table["via_url"] != "", "via"] != "").all()
    for domain in MIRROR_DOMAINS + ("brighteon", "ussanews", "einpresswire"):
        assert not table["url"].str.contains(domain, regex=False).any(), domain
    reposts = table[table["via_url"].str.contains("brighteon|ussanews|einpresswire")]
    assert not reposts.empty and (reposts["via"] != "").all()


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"url": "ftp://example.org/x", "no_url": ""}, "not an http(s) address"),
        ({"url": "https://www.ice.gov/a b", "no_url": ""}, "white space"),
        ({"url": "https://localhost/x", "no_url": ""}, "no host name"),
        ({"url": "", "no_url": ""}, "no url and no no_url reason"),
        ({"url": "", "no_url": "lost"}, "no_url 'lost' not allowed"),
        ({"url": "https://www.brighteon.com/x", "no_url": ""}, "mirror or aggregator"),
        ({"url": "https://www.ice.gov/x", "no_url": "not-located"}, "but url is present"),
        ({"via": "", "via_url": "https://example.org/x"}, "via_url given without via"),
        ({"reliability": "secondary", "via": "", "via_url": ""}, "does not name its intermediary"),
        ({"url": "", "no_url": "not-published", "via": "", "via_url": ""}, "needs via"),
        ({"url": "", "no_url": "derived", "reliability": "primary"}, "no_url 'derived' on a primary row"),
    ],
)
def test_validate_reports_bad_links(table, changes, expected):
    bad = table.copy()
    i = bad.index[(bad["reliability"] == "primary") & (bad["via"] == "") & (bad["url"] != "")][0]
    for col, value in changes.items():
        bad.loc[i, col] = value
    problems = validate_table(bad)
    assert any(expected in p for p in problems), problems


def test_validate_reports_several_problems_at_once(table):
    bad = table.copy()
    bad.loc[bad.index[0], "unit"] = "furlongs"
    bad.loc[bad.index[1], "period"] = "sometime"
    bad.loc[bad.index[2], "source_org"] = ""
    i = bad.index[bad["unit"] == "share"][0]
    bad.loc[i, "value"] = 1.5
    assert len(validate_table(bad)) >= 4


@pytest.mark.parametrize(
    "stat_id, value",
    [
        ("final-orders-nondetained-china-2024-11", 37908),
        ("final-orders-nondetained-2024-11", 1445549),
        ("eoir-pending-fy2008", 186101),
        ("ice-removals-fy2024", 271484),
        ("asylum-grant-china-fy2001-2021", 0.67),
        ("china-charter-2024-06", 116),
        ("china-charter-2025-06", 122),
        ("cost-per-removal-dhs-2025", 17121),
    ],
)
def test_key_figures(stat_id, value):
    assert get(stat_id)["value"] == pytest.approx(value)


def test_nationality_final_orders_below_total(table):
    rows = table[table["id"].str.startswith("final-orders-nondetained-")]
    total = rows[rows["group"] == "all"]
    by_nat = rows[rows["group"] != "all"]
    assert len(total) == 1
    assert len(by_nat) >= 20
    assert by_nat["value"].sum() < total["value"].iloc[0]
    assert by_nat["group"].is_unique
    assert (by_nat["period"] == total["period"].iloc[0]).all()


def test_no_low_reliability_sources(table):
    text = (table["url"] + " " + table["document"] + " " + table["source_org"]).str.lower()
    for domain in ("gitnux", "wifitalents", "worldmetrics"):
        assert not text.str.contains(domain).any(), domain


def test_derived_and_assumption_rows_explain_themselves(table):
    flagged = table[table["reliability"].isin(["derived", "assumption"])]
    assert not flagged.empty
    assert (flagged["note"].str.strip() != "").all()


def test_get_returns_row_dict():
    row = get("eoir-pending-fy2008")
    assert set(row) == set(COLUMNS)
    assert row["source_org"] == "EOIR"
    assert row["period"] == "FY2008"
    row["value"] = 0.0  # mutating the result must not touch the table
    assert get("eoir-pending-fy2008")["value"] == 186101.0


def test_get_unknown_id_raises_keyerror_naming_it():
    with pytest.raises(KeyError, match="no-such-statistic-fy1900"):
        get("no-such-statistic-fy1900")


def test_get_unknown_id_suggests_close_match():
    with pytest.raises(KeyError) as exc:
        get("ice-removal-fy2024")
    assert "ice-removals-fy2024" in str(exc.value)
