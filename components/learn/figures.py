"""The Learn page's figures that are not the trajectory player: Plotly figures built from what a lesson computed
(arrays in, figure out; never calls ``st.*``), every text through `components.i18n`."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from components import figures
from components.explore import figures as explore_figures
from components.i18n import t

GAP_FLOOR = 1e-16
"""Final losses below this are drawn at it (a log colour scale cannot show 0)."""


def search_figure(search, x_label: str, y_label: str, height: int = 460) -> go.Figure:
    """Grid search (squares) and random search (circles) in the plane of the two hyperparameters, both on log
    axes, each run coloured by log₁₀ of its final loss; the best run of each marked with a star."""
    loss = np.concatenate([search.grid_loss, search.random_loss]).astype(np.float64)
    shown = np.log10(np.maximum(np.where(np.isfinite(loss), loss, np.nan), GAP_FLOOR))
    lo, hi = float(np.nanmin(shown)), float(np.nanmax(shown))
    n = len(search.grid_x)
    colour = dict(colorscale="Viridis", cmin=lo, cmax=hi)
    where = f"{x_label} = %{{x:.3g}}<br>{y_label} = %{{y:.3g}}<br>" + t("final loss") + " = %{customdata:.3g}"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=search.grid_x, y=search.grid_y, mode="markers", name=t("grid search"),
                             customdata=loss[:n], hovertemplate=where + "<extra></extra>",
                             marker=dict(symbol="square", size=13, color=shown[:n], line=dict(width=1, color="#111"),
                                         colorbar=dict(title=dict(text=t("log₁₀ final loss"), side="right")),
                                         **colour)))
    fig.add_trace(go.Scatter(x=search.random_x, y=search.random_y, mode="markers", name=t("random search"),
                             customdata=loss[n:], hovertemplate=where + "<extra></extra>",
                             marker=dict(symbol="circle", size=11, color=shown[n:], line=dict(width=1, color="#111"),
                                         **colour)))
    for label, x, y, edge in ((t("best of the grid"), search.grid_x[search.grid_best],
                               search.grid_y[search.grid_best], "#111111"),
                              (t("best of random search"), search.random_x[search.random_best],
                               search.random_y[search.random_best], "#ff7f0e")):
        fig.add_trace(go.Scatter(x=[x], y=[y], mode="markers", name=label, hoverinfo="skip",
                                 marker=dict(symbol="star-open", size=24, color=edge, line=dict(width=2.5))))
    fig.update_xaxes(type="log", title_text=x_label, **figures.LOG_TICKS)
    fig.update_yaxes(type="log", title_text=y_label, **figures.LOG_TICKS)
    fig.update_layout(height=height, margin=dict(l=50, r=10, t=10, b=40),
                      legend=dict(orientation="h", yanchor="top", y=-0.15, x=0))
    return fig


def check_figure(check, h: float, height: int = 380) -> go.Figure:
    """The Explore page's gradient-check curve (relative error against h), with the lesson's chosen h marked."""
    fig = explore_figures.gradient_check_figure(check, height=height)
    k = int(np.argmin(np.abs(np.log(check.hs) - np.log(h))))
    fig.add_trace(go.Scatter(x=[check.hs[k]], y=[check.errors[k] if check.errors[k] > 0 else None], mode="markers",
                             name=t("your h"), marker=dict(size=16, symbol="circle-open", color="#ff7f0e",
                                                           line=dict(width=3))))
    return fig
