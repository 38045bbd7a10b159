// removalsim explorer: the page's logic, plain JavaScript. Every text from the server is set with
// textContent (never parsed as HTML); charts are Plotly, served by this server from the plotly package.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  version: "", scenario: "baseline", base: "", seed: 0, scale: 0.01, years: 5, replicates: 3,
  changes: {},      // path -> {value, from}
  levers: [],       // described by the server for the current scenario
  run: null,        // the latest run's public record
  token: 0,         // increases with every run started; older answers are ignored
};
const SETTINGS = ["seed", "scale", "years", "replicates"];

// ---------------------------------------------------------------- formatting
function sig(v, n = 3) {
  if (v === 0) return 0;
  const d = Math.ceil(Math.log10(Math.abs(v)));
  const p = Math.pow(10, n - d);
  return Math.round(v * p) / p;
}
function fmt(v, unit = "") {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (unit.startsWith("USD")) {
    const s = v < 0 ? "-" : "";
    if (a >= 1e9) return `${s}$${sig(a / 1e9)} bn`;  // the package's one money format (formatting.money)
    if (a >= 1e6) return `${s}$${sig(a / 1e6)} m`;
    return `${s}$${Math.round(a).toLocaleString("en-US")}`;
  }
  if (unit === "share") return `${sig(v * 100)}%`;
  if (a >= 1000) return Math.round(sig(v)).toLocaleString("en-US");
  return sig(v).toLocaleString("en-US");
}
const signed = (v, unit) => (v > 0 ? "+" : "") + fmt(v, unit);
// What an interval over n replicates is: the 5th to 95th percentile from 10 on, below that close to the
// range of the replicates and so called (as formatting.interval says it on the command line).
const spread = (n) => `${n >= 10 ? "90% band" : "range"} over ${n} replicate${n === 1 ? "" : "s"}`;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function row(cells, tag = "td") {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const cell = document.createElement(tag);
    if (c instanceof Node) cell.appendChild(c); else cell.textContent = String(c);
    tr.appendChild(cell);
  }
  return tr;
}
function table(id, head, rows) {
  const t = $(id);
  t.replaceChildren();
  const thead = document.createElement("thead");
  thead.appendChild(row(head, "th"));
  const tbody = document.createElement("tbody");
  rows.forEach((r) => tbody.appendChild(r));
  t.append(thead, tbody);
}

// ---------------------------------------------------------------- the server
async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = {error: `the server answered ${r.status}`}; }
  if (!r.ok) {
    const err = new Error((data && data.error) || `the server answered ${r.status}`);
    err.detail = data; err.status = r.status;
    throw err;
  }
  return data;
}

function showError(message, parameter) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
  document.querySelectorAll(".lever.bad").forEach((e) => e.classList.remove("bad"));
  if (parameter) {
    const lv = document.querySelector(`.lever[data-path="${CSS.escape(parameter)}"]`);
    if (lv) lv.classList.add("bad");
  }
}

// ---------------------------------------------------------------- URL (permalink)
function toURL() {
  const q = new URLSearchParams();
  q.set("scenario", state.scenario);
  if (state.base && state.base !== state.scenario) q.set("base", state.base);
  for (const k of SETTINGS) q.set(k, String(state[k]));
  q.set("version", state.version);
  for (const [path, c] of Object.entries(state.changes)) q.append("c", c.from ? `${path}=${c.value}@${c.from}` : `${path}=${c.value}`);
  return `${location.pathname}?${q.toString()}`;
}
function fromURL() {
  const q = new URLSearchParams(location.search);
  if (q.get("scenario")) state.scenario = q.get("scenario");
  state.base = q.get("base") || "";
  for (const k of SETTINGS) if (q.get(k) !== null && q.get(k) !== "") state[k] = Number(q.get(k));
  state.changes = {};
  for (const c of q.getAll("c")) {
    const i = c.indexOf("=");
    if (i < 1) continue;
    const [v, from] = c.slice(i + 1).split("@");
    state.changes[c.slice(0, i)] = {value: Number(v), from: from || ""};
  }
  return q.get("version");
}

// ---------------------------------------------------------------- levers
function leverInput(lv) {
  const box = el("div", null, "lever");
  box.dataset.path = lv.path;
  const id = "lv-" + lv.path.replace(/[^\w]/g, "_");
  const label = el("label", lv.label);
  label.htmlFor = id;
  const unit = el("span", lv.unit, "unit");
  const step = lv.unit === "share" ? 0.01 : (lv.max - lv.min) / 200 >= 1 ? Math.max(1, sig((lv.max - lv.min) / 200, 1)) : sig((lv.max - lv.min) / 200 || 0.01, 1);
  const num = el("input");
  Object.assign(num, {type: "number", id, min: lv.min, step: "any"});
  num.dataset.path = lv.path;
  const slider = el("input");
  Object.assign(slider, {type: "range", min: lv.min, max: lv.max, step});
  slider.setAttribute("aria-label", lv.label + " (slider)");
  const when = el("input");
  Object.assign(when, {type: "date", title: "from this date (empty: the whole run)"});
  when.setAttribute("aria-label", lv.label + " from date");
  const fromLabel = el("span", "from", "unit");
  when.hidden = fromLabel.hidden = !lv.dated;
  const c = state.changes[lv.path];
  const value = c ? c.value : lv.value;
  num.value = String(value); slider.value = String(value);
  when.value = c && c.from ? c.from : "";
  const changed = () => {
    const v = num.value === "" ? NaN : Number(num.value);
    const from = when.value || "";
    if (!Number.isNaN(v) && v === lv.value && !from) delete state.changes[lv.path];
    else state.changes[lv.path] = {value: Number.isNaN(v) ? num.value : v, from};
    box.classList.toggle("changed", lv.path in state.changes);
    schedule(30);  // a change event ends an edit: run at once
  };
  num.addEventListener("change", () => { slider.value = num.value; changed(); });
  slider.addEventListener("input", () => { num.value = slider.value; });
  slider.addEventListener("change", () => { num.value = slider.value; changed(); });
  when.addEventListener("change", changed);
  const controls = el("div", null, "controls");
  controls.append(num, unit, fromLabel, when);
  const range = lv.low !== null && lv.high !== null ? `plausible ${fmt(lv.low, lv.unit)} to ${fmt(lv.high, lv.unit)}` : "no range declared (a sourced figure)";
  const schedule_ = lv.schedule.length > 1 ? `; ${lv.schedule.map(([d, v]) => `${fmt(v, lv.unit)} from ${d}`).join(", ")}` : "";
  const info = el("div", `sourced value ${fmt(lv.value, lv.unit)}${schedule_} · ${lv.source} · ${range}`, "info");
  if (lv.note) info.title = lv.note;
  box.append(label, controls, slider, info);
  box.classList.toggle("changed", lv.path in state.changes);
  return box;
}

async function loadLevers() {
  const scenario = state.scenario;
  const levers = await api(`/api/scenarios/${encodeURIComponent(scenario)}/levers`);
  if (scenario !== state.scenario) return; // the reader picked another scenario meanwhile
  state.levers = levers;
  const list = $("lever-list");
  list.replaceChildren();
  let section = "";
  for (const lv of state.levers) {
    if (lv.section !== section) { section = lv.section; list.appendChild(el("h3", section)); }
    list.appendChild(leverInput(lv));
  }
  const known = new Set(state.levers.map((l) => l.path));
  const others = Object.keys(state.changes).filter((p) => !known.has(p));
  if (others.length) list.appendChild(el("p", `Also changed (from the link): ${others.join(", ")}`, "muted"));
}

// ---------------------------------------------------------------- runs
let timer = null;
function schedule(delay = 250) {
  clearTimeout(timer);
  timer = setTimeout(start, delay);
}

function request() {
  const body = {scenario: state.scenario, base: state.base || null, changes: {}, seed: state.seed, scale: state.scale,
                years: state.years, replicates: state.replicates};
  for (const [p, c] of Object.entries(state.changes)) body.changes[p] = c.from ? {value: c.value, from: c.from} : c.value;
  return body;
}

async function marginal() {
  const note = $("marginal-note"), button = $("marginal-go");
  const key = toURL();
  button.disabled = true;
  note.textContent = "Running one scenario per lever…";
  $("marginal").replaceChildren();
  try {
    let run = await api("/api/marginal", request());
    while (run.status !== "done" && run.status !== "failed") {
      await new Promise((r) => setTimeout(r, 500));
      run = await api(`/api/runs/${run.id}`);
    }
    if (run.status === "failed") throw new Error(run.error || "the run failed");
    if (key !== toURL()) { note.textContent = "The levers changed meanwhile: compute again."; return; }
    const rows = run.tables.marginal.filter((r) => r.measure === "removals_per_year");
    table("marginal", ["rank", "lever", "level, +10%", "removals per year, +10% [interval]", "fully loaded cost per year", "removals per $1 billion a year"], rows.map((r) =>
      row([r.rank, r.label, `${fmt(r.level, "")} → ${fmt(r.level_changed, "")} ${r.level_unit}`,
           `${signed(r.effect, "")} [${signed(r.effect_low, "")} to ${signed(r.effect_high, "")}]`,
           signed(r.cost, "USD"), r.priced ? fmt(r.per_bn, "") : "not priced"])));
    note.textContent = `${run.replicates} replicates; the intervals are the ${rows.length && rows[0].interval}. Download: `;
    for (const f of ["csv", "parquet"]) {
      const a = el("a", f.toUpperCase()); a.href = `/api/runs/${run.id}/tables/marginal.${f}`; a.setAttribute("download", "");
      note.append(a, document.createTextNode(" "));
    }
  } catch (e) {
    note.textContent = e.message;
  } finally {
    button.disabled = false;
  }
}

async function start() {
  const token = ++state.token;
  history.replaceState(null, "", toURL());
  const body = request();
  $("status").textContent = "Running…";
  document.body.classList.add("busy");
  try {
    const run = await api("/api/runs", body);
    showError("");
    await poll(run.id, token);
  } catch (e) {
    if (token !== state.token) return;
    showError(e.message, e.detail && e.detail.parameter);
    $("status").textContent = "Not run: fix the value above.";
    document.body.classList.remove("busy");
  }
}

async function poll(id, token) {
  let shown = 0;
  for (;;) {
    if (token !== state.token) return;
    const run = await api(`/api/runs/${id}?after=${shown}&wait=5`);  // answers as soon as there is news
    if (token !== state.token) return;
    if (run.tables && run.replicates_done > shown) {
      shown = run.replicates_done;
      state.run = run;
      render(run);
    }
    if (run.status === "failed") { showError(run.error || "the run failed"); break; }
    if (run.status === "done") break;
    $("status").textContent = run.status === "queued" ? "Waiting for the run queue…" :
      `Running… ${run.replicates_done} of ${run.replicates} replicates done`;
  }
  document.body.classList.remove("busy");
  const r = state.run;
  if (r && r.id === id) {
    const reps = r.replicates === 1 ? "1 replicate" : `${r.replicates} replicates`;
    $("status").textContent = `Done: ${reps} of each side in ${r.seconds.toFixed(1)} s (run ${r.id}).`;
    $("status").dataset.run = r.id;
  }
}

// ---------------------------------------------------------------- results
const HEAD = ["removals_per_year", "border_removals_per_year", "self_departures_per_year", "court_backlog_end",
  "detained_mean", "cost_total_per_year", "cost_loaded_per_year", "cost_per_removal", "cost_loaded_per_removal",
  "wait_arrest_to_removal_days", "wait_filing_to_decision_days"];

function measureRow(m) {
  const interval = `[${signed(m.diff_p05, m.unit)} to ${signed(m.diff_p95, m.unit)}]`;
  const tr = row([m.label, fmt(m.base, m.unit), fmt(m.variant, m.unit), signed(m.diff, m.unit), interval, m.unit]);
  tr.dataset.measure = m.measure;
  tr.children[2].className = "variant";
  return tr;
}

function render(run) {
  const t = run.tables, req = run.request;
  const sameBase = req.base === req.scenario;
  const baseName = sameBase ? `${req.base} (unchanged)` : req.base;
  const head = ["measure", `base: ${baseName}`, `with changes: ${req.scenario}`, "difference (median)",
    `${spread(run.replicates_done)} of the difference`, "unit"];
  const byName = Object.fromEntries(t.measures.map((m) => [m.measure, m]));
  table("headline", head, HEAD.filter((k) => byName[k]).map((k) => measureRow(byName[k])));
  $("headline-note").textContent = `${run.replicates_done} of ${run.replicates} replicates`;
  $("headline").dataset.run = run.id;  // the run whose numbers are on screen (tests and the benchmark read it)
  table("due-process", head, t.measures.filter((m) => m.section === "Due process").map(measureRow));
  renderCosts(t.costs);
  renderChina(t.china, spread(run.replicates_done));
  setTimeout(() => charts(t), 0);  // the numbers reach the screen first, the charts right after
  renderDownloads(run);
  renderCite(run);
  const link = $("permalink");
  link.href = toURL();
}

function renderCosts(rows) {
  table("costs", ["component", "basis", "base", "with changes", "difference"], rows.map((c) =>
    row([c.component.replace(/_/g, " "), c.basis === "loaded" ? "fully loaded" : "marginal", fmt(c.base, "USD"), fmt(c.variant, "USD"), signed(c.diff, "USD")])));
}

function renderChina(rows, kind) {
  if (!rows) {
    $("china-note").textContent = "This scenario has no China group; pick china or one of the china_* scenarios.";
    $("china").replaceChildren();
    return;
  }
  $("china-note").textContent = "The China questions: the 2023-24 arrivals' outcomes, the final orders executed, and the cost per removal against Mexico.";
  const base = rows.filter((r) => r.side === "base"), variant = rows.filter((r) => r.side === "variant");
  table("china", ["question", "measure", `base (median [${kind}])`, `with changes (median [${kind}])`], base.map((b, i) => {
    const v = variant[i] || {};
    const unit = b.measure.includes("USD") ? "USD" : "";
    return row([b.question, b.measure, `${fmt(b.median, unit)} [${fmt(b.p05, unit)} to ${fmt(b.p95, unit)}]`,
      `${fmt(v.median, unit)} [${fmt(v.p05, unit)} to ${fmt(v.p95, unit)}]`]);
  }));
}

const COLORS = {base: "#6b7280", variant: "#1d4ed8"};
function band(rows, side, name) {
  const r = rows.filter((x) => x.side === side);
  const x = r.map((p) => p.date);
  return [
    {x: x.concat([...x].reverse()), y: r.map((p) => p.p95).concat(r.map((p) => p.p05).reverse()), fill: "toself",
     fillcolor: side === "base" ? "rgba(107,114,128,0.18)" : "rgba(29,78,216,0.18)", line: {width: 0},
     hoverinfo: "skip", showlegend: false, type: "scatter"},
    {x, y: r.map((p) => p.median), name, line: {color: COLORS[side]}, type: "scatter", mode: "lines"},
  ];
}
function layout(yTitle) {
  return {margin: {l: 60, r: 10, t: 10, b: 40}, height: 280, legend: {orientation: "h", y: -0.2},
          yaxis: {title: {text: yTitle}, rangemode: "tozero"}, font: {family: "system-ui, sans-serif", size: 12}};
}
const CONFIG = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["toImage", "sendDataToCloud"]};

function charts(t) {
  if (!window.Plotly) return;
  const fy = t.fiscal_years.filter((r) => r.measure === "removals");
  const bars = ["base", "variant"].map((side) => {
    const r = fy.filter((x) => x.side === side);
    return {type: "bar", name: side === "base" ? "base" : "with changes", marker: {color: COLORS[side]},
            x: r.map((p) => p.months < 12 ? `${p.fiscal_year}<br>${p.months} mo` : p.fiscal_year), y: r.map((p) => p.median),
            error_y: {type: "data", symmetric: false, array: r.map((p) => p.p95 - p.median), arrayminus: r.map((p) => p.median - p.p05)}};
  });
  Plotly.react("chart-removals", bars, {...layout("removals"), barmode: "group", xaxis: {tickangle: 0, automargin: true}}, CONFIG);
  Plotly.react("chart-backlog", [...band(t.backlog, "base", "base"), ...band(t.backlog, "variant", "with changes")], layout("cases"), CONFIG);
  Plotly.react("chart-detention", [...band(t.detention, "base", "base"), ...band(t.detention, "variant", "with changes")], layout("people"), CONFIG);
  const cost = ["base", "variant"].flatMap((side) => ["marginal", "loaded"].map((basis) => {
    const r = t.costs.filter((c) => c.basis === basis);
    return {type: "bar", name: `${side === "base" ? "base" : "with changes"}, ${basis === "loaded" ? "fully loaded" : "marginal"}`,
            x: r.map((c) => c.component.replace(/_/g, " ")), y: r.map((c) => c[side]),
            marker: {color: COLORS[side], opacity: basis === "loaded" ? 1 : 0.6,
                     pattern: {shape: basis === "loaded" ? "" : "/", solidity: 0.5}}};
  }));
  Plotly.react("chart-costs", cost, {...layout("USD per year"), barmode: "group"}, CONFIG);
}

function chartButtons() {
  document.querySelectorAll(".chart-buttons").forEach((box) => {
    for (const format of ["png", "svg"]) {
      const b = el("button", format.toUpperCase());
      b.type = "button";
      b.title = `Download this chart as ${format.toUpperCase()}`;
      b.addEventListener("click", () => {
        const run = state.run ? state.run.id : "chart";
        Plotly.downloadImage(box.dataset.chart, {format, filename: `removalsim-${run}-${box.dataset.chart.slice(6)}`, width: 900, height: 450});
      });
      box.appendChild(b);
    }
  });
}

function renderDownloads(run) {
  const ul = $("downloads");
  ul.replaceChildren();
  for (const name of Object.keys(run.tables)) {
    const li = el("li", `${name.replace(/_/g, " ")}: `);
    for (const fmt_ of ["csv", "parquet"]) {
      const a = el("a", fmt_.toUpperCase());
      a.href = `/api/runs/${run.id}/tables/${name}.${fmt_}`;
      a.setAttribute("download", "");
      a.dataset.table = name;
      li.append(a, document.createTextNode(" "));
    }
    ul.appendChild(li);
  }
}

function renderCite(run) {
  const r = run.request;
  const changes = Object.entries(r.changes);
  const text = [
    `removalsim ${r.version}, scenario ${r.scenario} (content sha256 ${r.scenario_hash.slice(0, 16)}…)`,
    `  compared with ${r.base} (content sha256 ${r.base_hash.slice(0, 16)}…)`,
    `  changes: ${changes.length ? changes.map(([p, c]) => `${p} = ${typeof c === "object" ? `${c.value} from ${c.from}` : c}`).join("; ") : "none"}`,
    `  seed ${r.seed}, scale ${r.scale}, ${r.years} years, ${r.replicates} replicates; run ${run.id}`,
    `  computed ${run.created.slice(0, 10)}; ${location.origin}${toURL()}`,
  ].join("\n");
  $("cite").textContent = text;
}

// ---------------------------------------------------------------- assumptions side by side
function describeParam(p) {
  if (!p) return "(not in this scenario)";
  const v = p.steps ? p.steps.map(([d, x]) => `${fmt(x, p.unit)} from ${d}`).join(", ") : fmt(typeof p.value === "number" ? p.value : NaN, p.unit);
  return typeof p.value === "string" ? p.value : v;
}
let assumeAsked = 0; // the latest comparison asked for; an older answer arriving late is dropped
async function compareAssumptions() {
  const a = $("assume-a").value, b = $("assume-b").value;
  const asked = ++assumeAsked;
  try {
    const d = await api(`/api/assumptions?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
    if (asked !== assumeAsked) return;
    $("assume-note").textContent = `${d.differences.length} parameters differ between ${a} and ${b}.`;
    table("assume-table", ["parameter", `${a}: value`, `${a}: source`, `${b}: value`, `${b}: source`], d.differences.map((r) => {
      const src = (p) => p ? `${p.source}${p.note ? ": " + p.note : ""}` : "";
      return row([r.path, describeParam(r.a), src(r.a), describeParam(r.b), src(r.b)]);
    }));
  } catch (e) {
    if (asked === assumeAsked) $("assume-note").textContent = e.message;
  }
}

// ---------------------------------------------------------------- start
function readSettings() {
  for (const k of SETTINGS) state[k] = Number($(k).value);
}

async function init() {
  const info = await api("/api/version");
  state.version = info.version;
  $("version").textContent = info.version;
  const linkVersion = fromURL();
  if (linkVersion && linkVersion !== info.version) {
    const w = $("warning");
    w.textContent = `This link was made with removalsim ${linkVersion}; this server runs ${info.version}, so the numbers may differ.`;
    w.hidden = false;
  }
  const scenarios = (await api("/api/scenarios")).filter((s) => !s.error);
  for (const id of ["scenario", "base", "assume-a", "assume-b"]) {
    const s = $(id);
    if (id === "base") s.appendChild(el("option", "(the scenario unchanged)")).value = "";
    for (const sc of scenarios) s.appendChild(el("option", sc.name)).value = sc.name;
  }
  const desc = Object.fromEntries(scenarios.map((s) => [s.name, s.description]));
  $("scenario").value = state.scenario;
  $("base").value = state.base;
  $("assume-a").value = "baseline";
  $("assume-b").value = scenarios.some((s) => s.name === "china") ? "china" : scenarios[0].name;
  for (const k of SETTINGS) $(k).value = String(state[k]);
  $("description").textContent = desc[state.scenario] || "";
  $("marginal-go").addEventListener("click", marginal);
  chartButtons();
  $("scenario").addEventListener("change", async () => {
    state.scenario = $("scenario").value; state.changes = {};
    $("description").textContent = desc[state.scenario] || "";
    await loadLevers(); schedule(0);
  });
  $("base").addEventListener("change", () => { state.base = $("base").value; schedule(0); });
  for (const k of SETTINGS) $(k).addEventListener("change", () => { readSettings(); schedule(); });
  $("reset").addEventListener("click", async () => { state.changes = {}; await loadLevers(); schedule(0); });
  $("assume-a").addEventListener("change", compareAssumptions);
  $("assume-b").addEventListener("change", compareAssumptions);
  try {
    await loadLevers();
  } catch (e) {
    showError(e.message, e.detail && e.detail.parameter);
    return;
  }
  compareAssumptions();
  schedule(0);
}

document.addEventListener("DOMContentLoaded", () => init().catch((e) => showError(e.message)));
