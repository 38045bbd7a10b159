"""The report's HTML template (Jinja2, autoescaped): inline CSS, figures as data URIs, no external links."""

TEMPLATE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: Georgia, 'Times New Roman', serif; max-width: 62rem; margin: 2rem auto; padding: 0 1.2rem;
       color: #222; line-height: 1.5; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { margin-top: 2.4rem; border-bottom: 2px solid #1f4e79;
  padding-bottom: .2rem; font-size: 1.35rem; } h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.meta, .note { color: #555; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; font-family: Helvetica, Arial, sans-serif; font-size: .8rem;
        margin: .6rem 0 1rem; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .4rem; text-align: right; vertical-align: top; }
th { background: #eef2f7; } td:first-child, th:first-child { text-align: left; }
table.params td { text-align: left; } table.params td:nth-child(4), table.params td:nth-child(5) { color: #444; }
img { max-width: 100%; display: block; margin: .6rem auto; }
nav a { margin-right: .8rem; font-family: Helvetica, Arial, sans-serif; font-size: .85rem; }
.answer { background: #f7f9fc; border-left: 4px solid #1f4e79; padding: .5rem .9rem; }
details summary { cursor: pointer; font-family: Helvetica, Arial, sans-serif; font-size: .9rem; }
.summary { display: flex; flex-wrap: wrap; gap: 1rem; } .summary > div { flex: 1 1 20rem; min-width: 0; }
.summary ul { padding-left: 1.1rem; margin: .3rem 0; } .summary li { margin-bottom: .25rem; }
@media (max-width: 40rem) { body { margin: .8rem auto; padding: 0 .7rem; font-size: .95rem; }
  h1 { font-size: 1.35rem; } h2 { font-size: 1.15rem; } table { font-size: .72rem; } nav a { display: inline-block; } }
</style></head><body>
{% macro cited(c) %}{% if c.url %}<a href="{{ c.url }}" title="primary source">stats:{{ c.id }}</a>{% else %}stats:{{ c.id }}{% if c.no_url %} (no primary link: {{ c.no_url }}){% endif %}{% endif %}{% if c.via %} (through an intermediary: {% if c.via_url %}<a href="{{ c.via_url }}" class="via" title="intermediary">{{ c.via }}</a>{% else %}{{ c.via }}{% endif %}){% endif %}{% endmacro %}
{% macro sources(list) %}{% for c in list %}{% if c.id %}{{ cited(c) }} ({{ c.text }}){% else %}{{ c.text }}{% endif %}{% if not loop.last %}; {% endif %}{% endfor %}{% endmacro %}
<h1>{{ title }}</h1>
<p class="meta">removalsim {{ version }}, generated {{ generated }}. Scenarios: {{ names|join(", ") }}
(reference: <b>{{ base }}</b>). {{ replicates }} replicates of {{ years }} years from the start date, a
{{ scale }} sample of the country (seed {{ seed }}); all figures are scaled to the whole country. A number
written <i>a [b to c]</i> is the median across the {{ replicates }} replicates and their {{ interval }}. Replicate
<i>r</i> of every scenario shares its random numbers, so differences between scenarios are the policies',
not chance. These are simulated synthetic people built from published totals, not records of real people.</p>
<nav>{% for s in sections %}<a href="#{{ s }}">{{ {"summary": "Summary", "terms": "Terms", "q1": "1 Removals", "bottleneck": "What binds", "q2": "2 Cost", "q3": "3 Backlog", "q4": "4 China", "q5": "5 Policies", "q6": "6 Due process", "record": "Against the record", "assumptions": "Assumptions and sources"}[s] }}</a>{% endfor %}</nav>

<h2 id="summary">Summary: the six questions at a glance</h2>
<div class="summary">
{% for sc in summary %}<div><h3>{{ sc.name }}</h3><ul>{% for q, text in sc.lines %}<li><b>{{ q }}</b>: {{ text }}</li>{% endfor %}</ul></div>{% endfor %}
<div><h3>Against the record</h3><table><tr><th>series</th><th>record</th><th>model</th><th>error</th></tr>
{% for r in record %}<tr><td>{{ r.scenario }}: {{ r.series }}</td><td>{{ r.record }}</td><td>{{ r.model }}</td><td>{{ r.error }}{% if not r.within %} (miss){% endif %}</td></tr>{% endfor %}</table></div>
</div>
<p class="note">Whole country; a number <i>a [b to c]</i> is the median of {{ replicates }} replicates and their {{ interval_short }}.
Terms such as ATD, BIA, expedited removal and fully loaded cost are explained at the <a href="#terms">end</a>.</p>

<h3>The scenarios</h3>
<table><tr><th>scenario</th><th>what it is</th></tr>
{% for n in names %}<tr><td>{{ n }}</td><td style="text-align:left">{{ descriptions[n] }}</td></tr>{% endfor %}</table>

<h2 id="q1">1. How many people could be removed per year, and what binds first?</h2>
<div class="answer">Average removals per year over {{ years }} years:
{% for r in q1.rows[:1] %}{% for c in r.cells %}<b>{{ names[loop.index0] }}</b> {{ c }}{% if not loop.last %}; {% endif %}{% endfor %}{% endfor %}.
What another $1 billion a year buys most removals with (fully loaded, a lever at a time, below):
{% for l in levers %}<b>{{ l.name }}</b> {% if l.best %}{{ l.best.label }}, {{ l.best.per_bn }} removals a year per $1 bn{% else %}no priced lever adds removals{% endif %}{% if not loop.last %}; {% endif %}{% endfor %}.</div>
<table><tr><th>removals</th>{% for h in q1.head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in q1.rows %}<tr><td>{{ r.label }}</td>{% for c in r.cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>
<img alt="removals per year" src="data:image/png;base64,{{ fig_removals }}">

<h2 id="bottleneck">What binds: what another 10%, or another $1 billion a year, of each capacity buys</h2>
<p>Each capacity is raised by 10% over its whole path (counts rounded to whole judges, officers or beds), one at
a time, and the scenario is run again with the same random numbers and parameter draws, replicate by replicate.
A cell is the median of the paired differences (changed minus unchanged) and, in brackets, the {{ levers[0].interval if levers else "range" }}
of those differences{% if replicates < 10 %} (with fewer than 10 replicates, the lowest and highest: a range, not a 90% band){% endif %}.
<b>Cost</b> is the change in the fully loaded cost a year (funded capacity plus what is used), so it includes
the work the extra capacity brings downstream. <b>Per $1 bn</b> divides each replicate's change in removals
by its change in cost. Levers are ranked by removals per $1 billion; a lever the model does not buy (a rate such
as arrests per officer-day or court productivity, or a country's travel documents) is <i>not priced</i>: its
cost is only the extra work, and it is ranked after the priced ones by removals per +10%. A lever can add
nothing where another stage holds the people it would serve; that is what binding means here.</p>
{% for l in levers %}<h3>{{ l.name }}</h3>
<table><tr><th>lever, +10%</th><th>from, to</th><th>removals a year</th><th>cost a year, fully loaded</th><th>removals a year per $1 bn</th></tr>
{% for r in l.rows %}<tr><td>{{ r.rank }}. {{ r.label }}</td><td>{{ r.change }}</td><td>{{ r.removals }}</td><td>{{ r.cost }}</td><td>{{ r.per_bn }}</td></tr>{% endfor %}</table>
{% if l.skipped %}<p class="note">Left out, zero in this scenario: {{ l.skipped|join(", ") }}.</p>{% endif %}
<details><summary>Backlog, waits, detention and due process per +10% of each lever</summary>
<table><tr><th>lever, +10%</th>{% for h in l.detail_head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in l.detail %}<tr><td>{{ r.label }}</td>{% for c in r.cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table></details>
{% endfor %}
<h3>Why: how full each stage is, month by month</h3>
<p>The utilisation of a stage in a month is what it served divided by what it could serve: arrests over
officers' arrest capacity; people in custody at the end of the month over beds; court completions over
judges' capacity; travel documents issued over each country's issuance capacity (averaged over countries,
weighted by the people in custody waiting for one); removals over seats (flights x seats or land capacity,
averaged over regions, weighted by people waiting for a seat), averaged over replicates. A full stage need not
be the one to buy: people waiting for a travel document or a seat hold beds, so beds can be full while more
beds buy nothing (the table above says which lever pays).</p>
<table><tr><th>mean utilisation, last 12 months</th>{% for s in ["officers", "beds", "court", "documents", "transport"] %}<th>{{ s }}</th>{% endfor %}</tr>
{% for b in binding %}<tr><td>{{ b.name }}</td>{% for s in ["officers", "beds", "court", "documents", "transport"] %}<td>{{ b.util[s] }}</td>{% endfor %}</tr>{% endfor %}</table>
{% for f in fig_bottleneck %}<img alt="utilisation by stage and month" src="data:image/png;base64,{{ f }}">{% endfor %}
<p>Who is in detention in {{ composition_name }}, by what they wait for (beds {{ composition_beds }} used on
average over the last 12 months):</p>
<img alt="custody by what people wait for" src="data:image/png;base64,{{ fig_composition }}">

<h2 id="q2">2. What would it cost, by component?</h2>
<table><tr><th>per year</th>{% for h in q2.head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in q2.rows %}<tr><td>{{ r.label }}</td>{% for c in r.cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>
<img alt="cost by component" src="data:image/png;base64,{{ fig_costs }}">
<p class="note">Two cost bases. <b>Marginal</b>: what a run uses (bed-days used, arrests made, completions
decided, charters flown, documents, ATD days). <b>Fully loaded</b>: what is funded whether used or not (every funded
bed-day, every officer and judge on the payroll, every ATD place, every scheduled charter) plus what is bought
per use. Cost per removal divides all costs (including court, ATD and appeals spent on people who are never
removed) by removals. Why the figures quoted in the debate differ: DHS's $17,121 covers arresting, detaining
and removing one person at today's scale, close to the marginal basis; PWBM's $70,236 averages earlier studies
that price building the capacity for far more removals; AIC's $88,000 prices one million removals a year,
with 24 times today's detention, new courts and officers, so most of it is capacity that the fully loaded
basis would count only once it is funded. The model leaves out facilities built, headquarters overhead and the
cost of counsel except where a scenario adds it. Figures quoted in the debate:</p>
<table><tr><th>figure in the debate</th><th>value</th><th>period</th><th>source (statistics id)</th></tr>
{% for d in debate %}<tr><td>{{ d.quantity }}</td><td>{{ d.value }}</td><td>{{ d.period }}</td><td style="text-align:left">{{ d.source }} ({{ cited(d.cite) }})</td></tr>{% endfor %}</table>

<h2 id="q3">3. How long does the court backlog shield recent arrivals?</h2>
<p>The cohort: people of the start-date population who entered in the two years before it (the 2023-24
arrivals), about {{ q3_size }} people in {{ base }}. Most came as border releases with a notice to appear and
wait on the non-detained docket, first in, first out.</p>
<table><tr><th>2023-24 arrivals</th>{% for h in q3.head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in q3.rows %}<tr><td>{{ r.label }}</td>{% for c in r.cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}
{% for r in q3_backlog.rows %}<tr><td>{{ r.label }}</td>{% for c in r.cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>
<img alt="court backlog" src="data:image/png;base64,{{ fig_backlog }}">

<h2 id="q4">4. Nationals of a country that verifies slowly or refuses: China</h2>
{% if q4 %}
<p>The U.S. sends personal details to the embassy, which forwards them to the Ministry of Public Security,
which asks hometown police to verify; charters carry about 120 people. Cost per removal counts arrests,
detention, travel documents and transport spent on the country's nationals, over their removals.</p>
{% if china_small %}<p class="note"><b>Read these with care:</b> at this report's scale ({{ scale }}) the China group
is a few people a month and a charter carries about one of them; <code>removalsim china</code> runs at 0.05 by
default (0.02 at least) for these questions.</p>{% endif %}
<table><tr><th>China</th>{% for h in q4.head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in q4.rows %}<tr><td>{{ r.label }}</td>{% for c in r.cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>
<img alt="Chinese final orders that cannot be executed" src="data:image/png;base64,{{ fig_china }}">
{% else %}<p>Not every scenario has a China group.</p>{% endif %}

<h2 id="q5">5. What do the policies change?</h2>
<p>Each table: the two scenarios' medians, and beside them the <b>paired difference</b>: the median, over the
{{ replicates }} replicates, of the scenario minus {{ base }} in the same replicate (the same random numbers),
with the {{ interval }} of those differences. The median of the differences need not equal the difference of
the two medians.</p>
{% for s in q5 %}<h3>{{ s.name }} minus {{ base }}</h3>
<table><tr><th>measure</th><th>{{ base }}, median</th><th>{{ s.name }}, median</th><th>paired difference, median</th><th>{{ interval_short }} of {{ replicates }} paired differences</th></tr>
{% for r in s.rows %}<tr><td>{{ r.label }}</td><td>{{ r.base }}</td><td>{{ r.other }}</td><td>{{ r.diff }}</td><td>{{ r.interval }}</td></tr>{% endfor %}</table>
{% else %}<p>Only one scenario: nothing to compare.</p>{% endfor %}

<h2 id="q6">6. Due process and human effects</h2>
<table><tr><th>per year unless stated</th>{% for h in q6.head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in q6.rows %}<tr><td>{{ r.label }}</td>{% for c in r.cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>
<h3>Final orders that cannot be executed, by country, at the end</h3>
<table><tr><th>country</th>{% for h in q6_countries.head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for r in q6_countries.rows %}<tr><td>{{ r.label }}</td>{% for c in r.cells %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</table>
<p class="note">How these are counted. Orders without counsel are counted per person (in-absentia and court
orders to unrepresented respondents, and expedited removal orders, which have no hearing). People with a
fear (asylum) claim removed via expedited removal are the removals via expedited removal times the share of
expedited removal orders that follow a fear claim screened out ({{ er_share }} in {{ base }}: claim share x
(1 - pass share) / (1 - claim share x pass share)). U.S.-citizen spouses and children: removed people who have
any, times {{ usc.per }} relatives each (range {{ usc.low }} to {{ usc.high }}). {{ usc.note }}</p>

<h2 id="record">Against the record</h2>
<p>The base-year scenarios next to the public record, as <code>removalsim validate</code> prints them (replicates
and scale of this report): the record figure and its statistics id, the model's median with its {{ interval_short }}, the
error, the bar it must stay within, and whether a parameter was fitted to it. A miss is a gap the model has
not closed yet.</p>
<table><tr><th>scenario</th><th>series</th><th>record</th><th>model</th><th>error</th><th>bar</th><th>fitted</th></tr>
{% for r in record %}<tr><td>{{ r.scenario }}</td><td style="text-align:left">{{ r.series }} ({{ cited(r.cite) }})</td><td>{{ r.record }}</td><td>{{ r.model }}</td><td>{{ r.error }}{% if not r.within %} (miss){% endif %}</td><td>{{ r.bar }}</td><td>{{ r.fitted }}</td></tr>{% endfor %}</table>
{% if record_misses %}<p>Why the misses miss:</p><ul>{% for m in record_misses %}<li>{{ m }}</li>{% endfor %}</ul>{% endif %}
{% if record_fitted %}<p>Parameters fitted to the record (calibration years only, before 2025-11-30):</p><ul>{% for f in record_fitted %}<li>{{ f }}</li>{% endfor %}</ul>{% endif %}
<h3>History through the engine, FY2015-FY2025</h3>
<p>The <code>history</code> scenario (recorded stocks of 2014-10-01, recorded drivers) against every series the
record holds, as <code>removalsim backtest</code> prints it (replicates and scale of this report). Validation
years (FY2015-FY2019) entered no fit; bars: court pending and completions 15%, ICE removals and detention 20%
in validation years, 10% in fit years.</p>
<ul>{% for line in history_summary %}<li>{{ line }}</li>{% endfor %}</ul>
<details><summary>Every fiscal year</summary>
<table><tr><th>series</th><th>FY</th><th>years</th><th>record</th><th>model</th><th>error</th><th>bar</th></tr>
{% for r in history %}<tr><td style="text-align:left">{{ r.series }} ({{ cited(r.cite) }})</td><td>{{ r.fy }}</td><td>{{ r.split }}</td><td>{{ r.record }}</td><td>{{ r.model }}</td><td>{{ r.error }}{% if r.miss %} (miss){% endif %}</td><td>{{ r.bar }}</td></tr>{% endfor %}</table></details>

<h2 id="assumptions">Assumptions and sources</h2>
<p>Every parameter is a published figure (a statistics id of removalsim's table, shown with its source and
linked to its primary source, the issuing body's own page or report, where one is known; "through an
intermediary" names, and links where known, the text that quoted the figure when it was read there rather
than in the source's own; "no primary link" says why a figure has none) or an assumption with a rationale and a
plausible range. Below, what each scenario changes relative to
{{ base }}, then every parameter of {{ base }}.</p>
{% for s in assumptions.changed %}<h3>{{ s.name }}</h3><p class="note">{{ s.description }}</p>
<table class="params"><tr><th>parameter</th><th>value</th><th>unit</th><th>source</th><th>rationale [range]</th></tr>
{% for p in s.params %}<tr><td>{{ p.path }}</td><td>{{ p.value }}</td><td>{{ p.unit }}</td><td>{{ sources(p.sources) }}</td><td>{{ p.note }}{% if p.range %} [{{ p.range }}]{% endif %}</td></tr>{% else %}<tr><td colspan="5">no parameter differs</td></tr>{% endfor %}</table>{% endfor %}
<details><summary>All {{ assumptions.full|length }} parameters of {{ assumptions.base }}</summary>
<table class="params"><tr><th>parameter</th><th>value</th><th>unit</th><th>source</th><th>rationale [range]</th></tr>
{% for p in assumptions.full %}<tr><td>{{ p.path }}</td><td>{{ p.value }}</td><td>{{ p.unit }}</td><td>{{ sources(p.sources) }}</td><td>{{ p.note }}{% if p.range %} [{{ p.range }}]{% endif %}</td></tr>{% endfor %}</table></details>
<p class="note">Method: a person-level simulation of arrest, detention, immigration court, appeal, travel
documents and transport (docs/model.md in the removalsim repository). Known simplifications: people appealing
at large cannot be arrested; re-entry after removal and transfers between facilities are not modelled;
expedited removal reaches only arrested recent entrants without a case.</p>
<h2 id="terms">Terms</h2>
<dl>{% for term, text in glossary %}<dt><b>{{ term }}</b></dt><dd>{{ text }}</dd>{% endfor %}</dl>
</body></html>
"""
