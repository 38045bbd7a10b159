"""The explorer in a real browser: headless Chromium (Debian's package, /usr/bin/chromium) driven by
Playwright, against a server on 127.0.0.1. Run with `pytest -m browser` (.ci/run does); nothing here
downloads a browser. Screenshots at desktop and phone widths go to $REMOVALSIM_SCREENSHOTS (default: the
test's temporary folder)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("REMOVALSIM_CHROMIUM", "/usr/bin/chromium")
QUICK = "scale=0.001&years=1&replicates=1&seed=3"


@pytest.fixture(scope="module")
def server():
    import removalsim
    from removalsim.web.app import create_app
    from removalsim.web.service import Limits
    from web_helpers import running

    removalsim.simulate("baseline", years=0.1, scale=0.0005)  # compiles the engine on a fresh cache, untimed

    with running(create_app(Limits(max_per_client=16))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium (or set REMOVALSIM_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    found = list(errors)  # before closing: closing aborts a poll still waiting, which is no error of the page
    ctx.close()
    assert not found, found


def done(pg, previous: str = "", timeout: float = 300_000) -> str:
    """Wait until a run other than `previous` is on screen and finished; return its id."""
    pg.wait_for_function("prev => { const s = document.querySelector('#status');"
                         " return s.dataset.run && s.dataset.run !== prev"
                         " && !document.body.classList.contains('busy'); }", arg=previous, timeout=timeout)
    return pg.get_attribute("#status", "data-run")


def headline(pg) -> str:
    return pg.inner_text("#headline")


def removals(pg) -> tuple[str, str]:
    cells = pg.locator("#headline tr[data-measure=removals_per_year] td")
    return cells.nth(1).inner_text(), cells.nth(2).inner_text()


def set_lever(pg, path: str, value: str, date: str = "") -> None:
    box = pg.locator(f".lever[data-path='{path}']")
    if date:
        box.locator("input[type=date]").fill(date)
    box.locator("input[type=number]").fill(value)
    box.locator("input[type=number]").dispatch_event("change")


def test_load_move_a_lever_and_see_the_numbers_change(server, page, tmp_path):
    page.goto(f"{server}/?scenario=baseline&{QUICK}")
    first = done(page)
    base, variant = removals(page)
    assert base == variant and re.fullmatch(r"[\d,]+", base)  # no change yet: the same numbers
    assert page.locator("#chart-removals .main-svg").count() > 0  # Plotly drew the chart
    shots = Path(os.environ.get("REMOVALSIM_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    set_lever(page, "arrests.officers", "12000")
    second = done(page, first)
    base2, variant2 = removals(page)
    assert base2 == base and variant2 != variant
    assert int(variant2.replace(",", "")) > int(base.replace(",", ""))  # twice the officers, more removals
    assert "c=arrests.officers%3D12000" in page.url
    page.screenshot(path=str(shots / "explorer-desktop.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "explorer-phone.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width} px wide on a 390 px phone"
    assert second


def test_a_permalink_reproduces_the_same_numbers(server, browser, page):
    page.goto(f"{server}/?scenario=china&{QUICK}&c=groups.China.doc_refusal_share%3D0.05")
    done(page)
    numbers, link = headline(page), page.get_attribute("#permalink", "href")
    assert "version=" in link and "seed=3" in link
    ctx = browser.new_context()
    other = ctx.new_page()
    other.goto(server + link)
    done(other)
    assert headline(other) == numbers
    assert other.input_value(".lever[data-path='groups.China.doc_refusal_share'] input[type=number]") == "0.05"
    ctx.close()


def test_download_a_table_as_csv_and_a_chart_as_png(server, page):
    page.goto(f"{server}/?scenario=baseline&{QUICK}")
    done(page)
    with page.expect_download() as d:
        page.click("#downloads a[data-table=measures]:text('CSV')")
    text = Path(d.value.path()).read_text()
    assert text.startswith("measure,section,label,unit,base,variant,diff") and "removals_per_year" in text
    with page.expect_download() as d:
        page.click(".chart-buttons[data-chart=chart-removals] button:text('PNG')")
    assert d.value.suggested_filename.endswith(".png") and Path(d.value.path()).read_bytes()[:4] == b"\x89PNG"
    with page.expect_download() as d:
        page.click(".chart-buttons[data-chart=chart-backlog] button:text('SVG')")
    assert "<svg" in Path(d.value.path()).read_text()[:500]


def test_a_bad_value_shows_the_validation_message(server, page):
    page.goto(f"{server}/?scenario=baseline&{QUICK}")
    done(page)
    set_lever(page, "groups.China.doc_refusal_share", "1.5")
    page.wait_for_selector("#error:not([hidden])")
    message = page.inner_text("#error")
    assert "groups.China.doc_refusal_share" in message and "1.5" in message and "[0, 1]" in message
    assert "bad" in page.get_attribute(".lever[data-path='groups.China.doc_refusal_share']", "class")
    set_lever(page, "groups.China.doc_refusal_share", "0.5")
    page.wait_for_selector("#error", state="hidden")


# Holds back the answer to the first of two comparisons, so that it arrives after the second.
_SLOW_FIRST_COMPARISON = """
const realFetch = window.fetch;
window.fetch = async (url, ...rest) => {
  const answer = await realFetch(url, ...rest);
  if (String(url).includes("a=china&b=china&") || String(url).endsWith("a=china&b=china")) {
    await new Promise((done) => setTimeout(done, 1500));
  }
  return answer;
};
"""


def test_assumptions_side_by_side(server, page):
    page.add_init_script(_SLOW_FIRST_COMPARISON)
    page.goto(f"{server}/?scenario=baseline&{QUICK}")
    done(page)
    page.select_option("#assume-a", "china")
    page.select_option("#assume-b", "china_paused")
    page.wait_for_function("() => document.querySelector('#assume-note').textContent.includes('china_paused')")
    page.wait_for_timeout(2500)  # the stale answer about china against china has arrived by now
    assert "china_paused" in page.inner_text("#assume-note"), "a late, stale answer replaced the latest one"
    assert "groups.China.doc_refusal_share" in page.inner_text("#assume-table")


def test_what_more_money_buys(server, page, monkeypatch):
    import removalsim.levers

    monkeypatch.setattr(removalsim.levers, "REPORT_LEVERS", ("officers", "beds"))  # two levers: quick
    page.goto(f"{server}/?scenario=baseline&{QUICK}")
    done(page)
    page.click("#marginal-go")
    page.wait_for_selector("#marginal tbody tr", timeout=120_000)
    text = page.inner_text("#marginal")
    assert "ICE officers" in text and "detention beds" in text and "6,000 → 6,600" in text
