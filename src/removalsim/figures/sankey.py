"""Where the population went over the horizon: a Sankey diagram of one run.

Everyone present at the start or arriving during the run ends in exactly one
state; the diagram splits that total into those who left (removed, by route;
left on their own; gained status; died) and those still here (by state). The
tables do not follow individuals from start state to end state, so the start
and arrivals join in one node first. Counts are scaled to the whole country.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..formatting import in_words

_ARRIVALS = ("border_apprehension", "arrival_evaded", "arrival_overstay")
_STILL = {"At large, no case": ("no_case",), "Case pending": ("case_pending", "appeal_at_large"),
          "Final order, at large": ("final_order",), "Protected status": ("protected",),
          "In custody": ("detained_pending", "detained_final", "awaiting_transport", "appeal_detained")}
_COLORS = {"Removed": "#c44e52", "Left on their own": "#dd8452", "Gained status": "#55a868", "Died": "#8c8c8c",
           "Still here": "#4c72b0"}


def sankey_links(result) -> tuple[list[tuple[str, int]], list[tuple[str, str, float]]]:
    """Nodes (name, column) and links (source, target, people) of the diagram for `result`."""
    k = 1.0 / result.scale
    last = result.stocks[result.stocks["date"] == result.stocks["date"].max()]
    end = last.groupby("measure", observed=True)["value"].sum().astype(float) * k
    flows = result.flows.groupby("measure", observed=True)["value"].sum().astype(float) * k
    get = lambda s, m: float(s.get(m, 0.0))  # noqa: E731
    arrived = sum(get(flows, m) for m in _ARRIVALS)
    states = ("no_case", "case_pending", "final_order", "protected", "appeal_at_large", "detained_pending",
              "detained_final", "awaiting_transport", "appeal_detained", "removed", "departed", "legalized", "died")
    everyone = sum(get(end, s) for s in states)
    removed = get(end, "removed")
    er, absentia = get(flows, "removed_via_er"), get(flows, "removed_in_absentia")
    still = {name: sum(get(end, s) for s in parts) for name, parts in _STILL.items()}
    links = [("Here at the start", "Everyone", everyone - arrived), ("Arrived", "Everyone", arrived),
             ("Everyone", "Removed", removed), ("Everyone", "Left on their own", get(end, "departed")),
             ("Everyone", "Gained status", get(end, "legalized")), ("Everyone", "Died", get(end, "died")),
             ("Everyone", "Still here", sum(still.values())),
             ("Removed", "By expedited removal", er), ("Removed", "After an in-absentia order", absentia),
             ("Removed", "After other orders", max(removed - er - absentia, 0.0))]
    links += [("Still here", name, v) for name, v in still.items()]
    links = [lk for lk in links if lk[2] > 0]
    col = {"Here at the start": 0, "Arrived": 0, "Everyone": 1}
    for s, t, _ in links:
        col.setdefault(t, col[s] + 1)
    nodes = list(dict.fromkeys([n for lk in links for n in lk[:2]]))
    return [(n, col[n]) for n in nodes], links


def _color(node: str, links) -> str:
    parents = {t: s for s, t, _ in links}
    while node not in _COLORS and node in parents:
        node = parents[node]
    return _COLORS.get(node, "#937860")


def sankey(result, path: str | Path, title: str | None = None) -> Path:
    """Draw where the population of `result` went to `path` (PNG, or interactive HTML for .html)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nodes, links = sankey_links(result)
    years = result.meta.get("years", "")
    scenario = result.meta.get("scenario", "")
    title = title or f"Where the population went over {years:g} years ({scenario}, whole country)"
    if path.suffix.lower() == ".html":
        import plotly.graph_objects as go

        idx = {n: i for i, (n, _) in enumerate(nodes)}
        fig = go.Figure(go.Sankey(
            node=dict(label=[n for n, _ in nodes], color=[_color(n, links) for n, _ in nodes], pad=15),
            link=dict(source=[idx[s] for s, _, _ in links], target=[idx[t] for _, t, _ in links],
                      value=[v for _, _, v in links], color="rgba(150,150,150,0.35)")))
        fig.update_layout(title=title, font_size=12)
        fig.write_html(path, include_plotlyjs=True)
        return path
    _draw_png(nodes, links, title, path)
    return path


def _draw_png(nodes, links, title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    value = {n: max(sum(v for s, _, v in links if s == n), sum(v for _, t, v in links if t == n)) for n, _ in nodes}
    ncol = max(c for _, c in nodes) + 1
    total = max(sum(value[n] for n, c in nodes if c == j) for j in range(ncol))
    gap, min_h = 0.035, 0.022  # small nodes get a minimum height so their labels do not collide
    pos: dict[str, tuple[float, float]] = {}  # node -> (y bottom, height)
    for j in range(ncol):
        col = [n for n, c in nodes if c == j]
        heights = [max(value[n] / total * 0.85, min_h) for n in col]
        used = sum(heights) + gap * (len(col) - 1)
        y = 0.5 + used / 2
        for n, h in zip(col, heights):
            y -= h
            pos[n] = (y, h)
            y -= gap
    fig, ax = plt.subplots(figsize=(11, 6), dpi=120)
    w, xs = 0.018, np.linspace(0.02, 0.82, ncol)
    out_off = {n: pos[n][0] + pos[n][1] for n, _ in nodes}
    in_off = dict(out_off)
    t = np.linspace(0, 1, 60)
    smooth = t * t * (3 - 2 * t)
    for s, d, v in links:
        h = pos[s][1] * v / value[s]
        hd = pos[d][1] * v / value[d]
        x0, x1 = xs[dict(nodes)[s]] + w, xs[dict(nodes)[d]]
        y0, y1 = out_off[s] - h, in_off[d] - hd
        out_off[s] -= h
        in_off[d] -= hd
        x = x0 + (x1 - x0) * t
        ax.fill_between(x, y0 + (y1 - y0) * smooth, y0 + h + (y1 + hd - y0 - h) * smooth,
                        color=_color(d, links), alpha=0.35, lw=0)
    for n, c in nodes:
        y, h = pos[n]
        ax.add_patch(plt.Rectangle((xs[c], y), w, h, color=_color(n, links)))
        label = f"{n}\n{in_words(value[n])}"
        ax.text(xs[c] + w + 0.006, y + h / 2, label, va="center", ha="left", fontsize=8.5)
    ax.set_xlim(0, 1.0)
    ax.set_ylim(min(p[0] for p in pos.values()) - 0.02, max(p[0] + p[1] for p in pos.values()) + 0.02)
    ax.axis("off")
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
