"""The Lab page's Plotly figures: the η curve, the phase diagram, the basin maps, the fair comparison and the
schedules.  Records in, ``go.Figure`` out; they never call ``st.*``.  Every word in them (titles, axes, legends,
hover text) is in the visitor's language (`components.i18n`); Plotly's own ``%{…}`` fields are passed into the
messages as placeholder values, so no message holds a brace.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components import figures
from components.i18n import t
from components.lab.compute import GAP_FLOOR, Attractors, Basins, Fair, Phase, Search, loss_gap
from components.lab.words import categories


# ------------------------------------------------------------------------------------------------ figures
_LAYOUT = dict(margin=dict(l=60, r=10, t=40, b=50), legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
DIVERGED_COLOR = "#d73027"


def _styled(fig: go.Figure, height: int, legend_below: bool = False) -> go.Figure:
    """Shared layout: legend on top (or under the panels), SI-free exponents (10⁻⁶, not 1µ, on log axes)."""
    fig.update_layout(height=height, **_LAYOUT)
    # Subplot titles sit just above the top panel, where the legend would go (and a legend of several rows on a
    # phone would cover them): the legend goes under the panels.
    if legend_below or fig.layout.annotations:
        fig.update_layout(legend=dict(yanchor="top", y=-0.18))
    fig.update_xaxes(exponentformat="power")
    fig.update_yaxes(exponentformat="power")
    return fig


def _log_range(values) -> tuple[float, float]:
    v = np.asarray(values, np.float64)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return 1e-16, 1.0
    return float(v.min()), float(v.max())


def learning_rate_figure(curves: Sequence[Mapping], f_star: float | None, limits: Sequence[Mapping] = (),
                         height: int = 560) -> go.Figure:
    """Final loss (top) and steps to converge (bottom) against η on a log axis, one line per optimizer.

    Each curve needs ``eta``, ``loss``, ``converged_at``, ``diverged`` (bool), ``label``, ``color``; diverged η are
    drawn as ✕ along the top of the loss panel.  ``limits`` are vertical lines (``eta``, ``label``, ``color``):
    the closed-form stability limits."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=(t("Final loss after the run"), t("Steps to converge")))
    gaps = [loss_gap(c["loss"], f_star) for c in curves]
    log_y = f_star is not None
    finite = np.concatenate([np.asarray(g[0])[~np.asarray(c["diverged"], bool)] for g, c in zip(gaps, curves)]
                            or [np.zeros(0)])
    if log_y:
        lo, hi = _log_range(finite)
        top = hi * 10.0
        bottom = lo
    else:
        finite = finite[np.isfinite(finite)]
        hi = float(finite.max()) if finite.size else 1.0
        lo = float(finite.min()) if finite.size else 0.0
        top = hi + 0.1 * max(hi - lo, 1.0)
        bottom = lo
    conv_all = np.concatenate([np.asarray(c["converged_at"], np.float64) for c in curves] or [np.zeros(0)])
    conv_all = conv_all[conv_all > 0]
    conv_lo, conv_hi = (float(conv_all.min()), float(conv_all.max())) if conv_all.size else (1.0, 10.0)
    for (gap, _, _), c in zip(gaps, curves):
        eta, div = np.asarray(c["eta"]), np.asarray(c["diverged"], bool)
        y = np.where(div, np.nan, gap)
        fig.add_trace(go.Scatter(x=eta, y=y, mode="lines+markers", name=c["label"], legendgroup=c["label"],
                                 line=dict(color=c["color"], width=2), marker=dict(size=4),
                                 hovertemplate="η = %{x:.4g}<br>" + t("final = {value}", value="%{y:.4g}")
                                 + "<extra>" + c["label"] + "</extra>"),
                      row=1, col=1)
        if div.any():
            fig.add_trace(go.Scatter(x=eta[div], y=np.full(int(div.sum()), top), mode="markers",
                                     name=t("{name}: diverged", name=c["label"]), legendgroup=c["label"],
                                     showlegend=False,
                                     marker=dict(symbol="x", size=8, color=c["color"], line=dict(width=1)),
                                     hovertemplate=t("η = {eta}: diverged", eta="%{x:.4g}")
                                     + "<extra>" + c["label"] + "</extra>"),
                          row=1, col=1)
        conv = np.asarray(c["converged_at"], np.float64)
        fig.add_trace(go.Scatter(x=eta, y=np.where((conv >= 0) & ~div, np.maximum(conv, 1), np.nan),
                                 mode="lines+markers", name=c["label"], legendgroup=c["label"], showlegend=False,
                                 line=dict(color=c["color"], width=2), marker=dict(size=4),
                                 hovertemplate="η = %{x:.4g}<br>" + t("{steps} steps", steps="%{y}")
                                 + "<extra>" + c["label"] + "</extra>"),
                      row=2, col=1)
    for lim in limits:
        for row, (y0, y1) in ((1, (bottom, top)), (2, (max(conv_lo, 1.0), conv_hi))):
            fig.add_trace(go.Scatter(x=[lim["eta"], lim["eta"]], y=[y0, y1], mode="lines", name=lim["label"],
                                     legendgroup="limit:" + lim["label"], showlegend=row == 1,
                                     line=dict(color=lim.get("color", "#111"), dash="dash", width=1.5),
                                     hovertemplate=lim["label"] + "<extra></extra>"), row=row, col=1)
    fig.update_xaxes(type="log", title_text=t("learning rate η"), row=2, col=1, **figures.LOG_TICKS)
    fig.update_xaxes(type="log", row=1, col=1, **figures.LOG_TICKS)
    fig.update_yaxes(type="log" if log_y else "linear", title_text=t(gaps[0][1]) if gaps else t("final loss"), row=1,
                     col=1,
                     **(figures.LOG_TICKS if log_y else {}))
    fig.update_yaxes(type="log", title_text=t("steps"), row=2, col=1, **figures.LOG_TICKS)
    return _styled(fig, height)


def phase_figure(phase: Phase, x_label: str, y_label: str, x_log: bool, y_log: bool, metric: str,
                 f_star: float | None, boundary: tuple[np.ndarray, np.ndarray] | None = None,
                 boundary_label: str = "", search_result: Search | None = None, height: int = 560) -> go.Figure:
    """A heatmap of final loss (``metric="loss"``) or steps to converge (``"steps"``) over two hyperparameters,
    diverged cells in red, optionally the analytic boundary and the points of a grid and a random search."""
    div = phase.diverged_at >= 0
    if metric == "steps":
        z = np.where((phase.converged_at >= 0) & ~div, phase.converged_at, np.nan).astype(np.float64)
        bar = t("steps to converge (blank: not within the run)")
    else:
        gap, title, log = loss_gap(phase.loss, f_star)
        z = np.where(div, np.nan, np.log10(gap) if log else gap)
        bar = f"log₁₀({title})" if log else t(title)
    where = f"{x_label}=%{{x:.4g}}<br>{y_label}=%{{y:.4g}}<br>"
    fig = go.Figure(go.Heatmap(x=phase.x, y=phase.y, z=z, colorscale="Viridis", name=bar,
                               colorbar=dict(title=dict(text=bar, side="right")),
                               hovertemplate=where + "%{z:.4g}<extra></extra>"))
    if div.any():
        fig.add_trace(go.Heatmap(x=phase.x, y=phase.y, z=np.where(div, 1.0, np.nan), showscale=False,
                                 name=t("diverged"),
                                 colorscale=[[0, DIVERGED_COLOR], [1, DIVERGED_COLOR]], zmin=0, zmax=1,
                                 customdata=phase.diverged_at,
                                 hovertemplate=where + t("diverged at step {step}", step="%{customdata}")
                                 + "<extra></extra>"))
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t("diverged"),
                                 marker=dict(symbol="square", size=12, color=DIVERGED_COLOR)))
    if boundary is not None:
        bx, by = boundary
        keep = ((bx >= phase.x.min()) & (bx <= phase.x.max()) & (by >= phase.y.min()) & (by <= phase.y.max()))
        if keep.any():
            fig.add_trace(go.Scatter(x=np.where(keep, bx, np.nan), y=np.where(keep, by, np.nan), mode="lines",
                                     name=boundary_label or t("analytic stability boundary"),
                                     line=dict(color="white", width=3, dash="dash")))
    if search_result is not None:
        s = search_result
        fig.add_trace(go.Scatter(x=s.grid_x, y=s.grid_y, mode="markers",
                                 name=t("grid search ({n})", n=len(s.grid_x)),
                                 marker=dict(symbol="square-open", size=10, color="white", line=dict(width=2))))
        fig.add_trace(go.Scatter(x=s.random_x, y=s.random_y, mode="markers",
                                 name=t("random search ({n})", n=len(s.random_x)),
                                 marker=dict(symbol="circle-open", size=10, color="#ff7f0e", line=dict(width=2))))
        for label, x, y, colour in ((t("best of grid"), s.grid_x[s.grid_best], s.grid_y[s.grid_best], "white"),
                                    (t("best of random"), s.random_x[s.random_best], s.random_y[s.random_best],
                                     "#ff7f0e")):
            fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers", name=label,
                                     marker=dict(symbol="star", size=18, color=colour, line=dict(width=1.5,
                                                                                                  color="black"))))
    fig.update_xaxes(type="log" if x_log else "linear", title_text=x_label, **(figures.LOG_TICKS if x_log else {}))
    fig.update_yaxes(type="log" if y_log else "linear", title_text=y_label, **(figures.LOG_TICKS if y_log else {}))
    return _styled(fig, height)


SPECIAL_COLORS = ("#7b3294", "#111111", "#d9d9d9")  # stalled, diverged, still moving
MINIMUM_COLORS = tuple(c for c in figures.PALETTE if c not in ("#CC79A7", "#000000"))  # not like the special ones


def category_colors(att: Attractors) -> tuple[str, ...]:
    """One colour per category of `categories` (minima cycle through a palette that avoids the special ones)."""
    return tuple(MINIMUM_COLORS[i % len(MINIMUM_COLORS)] for i in range(len(att.minima))) + SPECIAL_COLORS


def basin_figure(maps: Mapping[str, Basins], att: Attractors, height: int = 460) -> go.Figure:
    """One panel per optimizer, side by side: each start coloured by where its run ended."""
    names = categories(att)
    colours = category_colors(att)
    c = len(names)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / c, colour], [(i + 1) / c, colour]]
    titles = list(maps)
    fig = make_subplots(rows=1, cols=max(1, len(titles)), shared_yaxes=True, horizontal_spacing=0.02,
                        subplot_titles=titles)
    for j, (title, b) in enumerate(maps.items(), start=1):
        fig.add_trace(go.Heatmap(x=b.xs, y=b.ys, z=b.labels, zmin=-0.5, zmax=c - 0.5, colorscale=scale,
                                 showscale=False, name=title,
                                 hovertemplate=t("start ({x}, {y})", x="%{x:.3g}", y="%{y:.3g}")
                                 + "<extra>" + title + "</extra>"),
                      row=1, col=j)
        if len(att.minima):
            fig.add_trace(go.Scatter(x=att.minima[:, 0], y=att.minima[:, 1], mode="markers", showlegend=False,
                                     marker=dict(symbol="circle", size=9, color="white",
                                                 line=dict(width=2, color="black")),
                                     hoverinfo="skip"), row=1, col=j)
        fig.update_xaxes(title_text="x₀", constrain="domain", row=1, col=j)
    totals = sum(b.counts for b in maps.values()) if maps else np.zeros(c)
    shown = [i for i in range(c) if totals[i] > 0][:14]
    for i in shown:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=names[i],
                                 marker=dict(symbol="square", size=12, color=colours[i])))
    fig.update_yaxes(title_text="y₀", row=1, col=1)
    return _styled(fig, height, legend_below=True)


def fair_figure(results: Mapping[str, Fair], f_star: float | None, colours: Mapping[str, str] | None = None,
                height: int = 460) -> go.Figure:
    """The held-out final loss of each tuned optimizer as a violin with its box (log₁₀ of the gap when ``f*`` is
    known), diverged runs counted in the name."""
    fig = go.Figure()
    for i, (title, r) in enumerate(results.items()):
        gap, axis, log = loss_gap(r.final_loss, f_star)
        ok = ~np.asarray(r.diverged, bool)
        y = np.log10(gap[ok]) if log else gap[ok]
        name = (t("{name}<br>η = {eta}<br>{n} diverged", name=title, eta=f"{r.best_eta:.3g}",
                  n=int((~ok).sum())) if (~ok).any() else f"{title}<br>η = {r.best_eta:.3g}")
        colour = (colours or {}).get(title, figures.PALETTE[i % len(figures.PALETTE)])
        fig.add_trace(go.Violin(y=y, name=name, box_visible=True, meanline_visible=True, points="all", pointpos=0,
                                jitter=0.3, marker=dict(size=3), line_color=colour, spanmode="hard",
                                hovertemplate="%{y:.3g}<extra>" + title + "</extra>"))
    _, axis, log = loss_gap(np.zeros(1), f_star)
    fig.update_yaxes(title_text=f"log₁₀({axis})" if log else t(axis))
    _styled(fig, height)
    fig.update_layout(showlegend=False)
    return fig


def tuning_figure(results: Mapping[str, Fair], f_star: float | None, colours: Mapping[str, str] | None = None,
                  height: int = 320) -> go.Figure:
    """The tuning curves: median final gap over the tuning starts against η, the chosen η marked."""
    fig = go.Figure()
    _, axis, log = loss_gap(np.zeros(1), f_star)
    for i, (title, r) in enumerate(results.items()):
        colour = (colours or {}).get(title, figures.PALETTE[i % len(figures.PALETTE)])
        y = np.where(np.isfinite(r.scores), np.maximum(r.scores, GAP_FLOOR) if log else r.scores, np.nan)
        fig.add_trace(go.Scatter(x=r.etas, y=y, mode="lines+markers", name=title, line=dict(color=colour)))
        best = int(np.argmin(np.where(np.isfinite(r.scores), r.scores, np.inf)))
        fig.add_trace(go.Scatter(x=[r.etas[best]], y=[y[best]], mode="markers", showlegend=False,
                                 marker=dict(symbol="star", size=14, color=colour, line=dict(width=1, color="black"))))
    fig.update_xaxes(type="log", title_text=t("learning rate η"), **figures.LOG_TICKS)
    fig.update_yaxes(type="log" if log else "linear", title_text=t("median {quantity}", quantity=t(axis)),
                     **(figures.LOG_TICKS if log else {}))
    return _styled(fig, height)


def schedule_figure(steps: np.ndarray, lr_scheduled: np.ndarray, lr_constant: float, loss_scheduled: np.ndarray,
                    loss_constant: np.ndarray, f_star: float | None, schedule_title: str,
                    height: int = 560) -> go.Figure:
    """η(t) of the schedule (top) and the loss per step with and without it (bottom)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=(t("Learning rate η(t)"), t("Loss per step")))
    at = np.asarray(steps)
    constant = t("constant η")
    fig.add_trace(go.Scatter(x=at[:-1], y=lr_scheduled, mode="lines", name=schedule_title,
                             line=dict(color=figures.PALETTE[1], width=2)), row=1, col=1)
    fig.add_trace(go.Scatter(x=[at[0], at[-2] if len(at) > 1 else at[0]], y=[lr_constant, lr_constant], mode="lines",
                             name=constant, line=dict(color=figures.PALETTE[0], width=2, dash="dash")),
                  row=1, col=1)
    for loss, label, colour, dash in ((loss_scheduled, schedule_title, figures.PALETTE[1], "solid"),
                                      (loss_constant, constant, figures.PALETTE[0], "dash")):
        gap, axis, log = loss_gap(loss, f_star)
        fig.add_trace(go.Scatter(x=at, y=gap, mode="lines", name=label, showlegend=False,  # styled as its legend
                                 line=dict(color=colour, width=2, dash=dash)), row=2, col=1)
    _, axis, log = loss_gap(np.zeros(1), f_star)
    fig.update_yaxes(title_text="η", row=1, col=1)
    fig.update_yaxes(type="log" if log else "linear", title_text=t(axis), row=2, col=1,
                     **(figures.LOG_TICKS if log else {}))
    fig.update_xaxes(title_text=t("step t"), row=2, col=1)
    return _styled(fig, height)
