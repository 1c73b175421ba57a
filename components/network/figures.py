"""The Network page's Plotly figures: the decision boundary, the confusion matrix and misread digits, the training
losses, the slice (contour and 3-D), the spectrum and the escape profile.  No ``st.*``."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from components.figures import LOG_TICKS, contour_figure, line_figure, optimizer_colours, surface3d_figure
from landscapes.base import KINDS
from landscapes import network as N
from components.network.compute import Plane
from components import titles
from components.i18n import N_, t


# ------------------------------------------------------------------------------------------- figures
def boundary_figure(problem: N.Problem, probability: np.ndarray, xs, ys, height: int = 380) -> go.Figure:
    """P(class 1 | x) over the data plane, the 0.5 contour, and the training points."""
    X, y = N.data(problem)
    fig = go.Figure(go.Contour(x=xs, y=ys, z=probability, zmin=0, zmax=1, colorscale="RdBu", opacity=0.75,
                               contours=dict(start=0, end=1, size=0.1), line=dict(width=0),
                               colorbar=dict(title=dict(text=t("P(class 1)"), side="right")),
                               hovertemplate="x₁=%{x:.3g}<br>x₂=%{y:.3g}<br>P=%{z:.3f}<extra></extra>"))
    fig.add_trace(go.Contour(x=xs, y=ys, z=probability, contours=dict(start=0.5, end=0.5, size=1, coloring="none"),
                             line=dict(width=2.5, color="black"), showscale=False, hoverinfo="skip",
                             name=t("boundary")))
    for cls, colour in ((0, "#b2182b"), (1, "#2166ac")):
        pts = X[y == cls]
        fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=t("class {name}", name=cls),
                                 marker=dict(color=colour, size=6, line=dict(width=1, color="white"))))
    fig.update_layout(height=height, margin=dict(l=40, r=10, t=10, b=40), xaxis_title="x₁", yaxis_title="x₂",
                      yaxis=dict(scaleanchor="x", scaleratio=1), legend=dict(orientation="h", y=1.02, yanchor="bottom"))
    return fig


def confusion_figure(C: np.ndarray, classes: Sequence[str], height: int = 380) -> go.Figure:
    """The held-out confusion matrix as a heat map: row = true class, column = predicted, each cell its count."""
    names = [str(c) for c in classes]
    fig = go.Figure(go.Heatmap(z=C, x=names, y=names, colorscale="Blues", showscale=False, xgap=1, ygap=1,
                               text=C, texttemplate="%{text}",
                               hovertemplate=t("true {true}, predicted {predicted}: {count}", true="%{y}",
                                               predicted="%{x}", count="%{z}") + "<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=60, r=10, t=10, b=50),
                      xaxis=dict(title=t("predicted"), type="category"),
                      yaxis=dict(title=t("true class"), type="category", autorange="reversed"))
    return fig


def images_figure(images: Sequence[np.ndarray], titles: Sequence[str], height: int = 170) -> go.Figure:
    """Small grey images side by side (one heat map, a blank column between them), each titled underneath."""
    rows, cols = images[0].shape
    gap = np.full((rows, 1), np.nan)
    strip = np.concatenate([part for img in images for part in (img, gap)][:-1], axis=1)
    fig = go.Figure(go.Heatmap(z=strip, colorscale="Greys", showscale=False, hoverinfo="skip"))
    for i, title in enumerate(titles):
        fig.add_annotation(x=i * (cols + 1) + (cols - 1) / 2, y=rows + 0.4, text=title, showarrow=False,
                           yanchor="top", font=dict(size=11))
    fig.update_layout(height=height, margin=dict(l=5, r=5, t=5, b=5),
                      xaxis=dict(visible=False, constrain="domain"),
                      yaxis=dict(visible=False, autorange="reversed", scaleanchor="x", range=[rows + 1.6, -0.6]))
    return fig


def loss_figure(fits, names: Sequence[str]) -> go.Figure:
    series = []
    colours = optimizer_colours(names)
    for fit, name in zip(fits, names):
        series.append(dict(x=np.arange(fit.loss.size), y=fit.loss, label=titles.optimizer(name), color=colours[name]))
    return line_figure(series, ytitle=t("training loss L(θₜ)"), log_y=True, height=380)


REGULAR = N_("regular")
"""θ*'s marker label where it is not a critical point (the engine's kind ``"regular"``)."""


def _kind(kind: str) -> str:
    return t(REGULAR) if kind == "regular" else titles.kind(kind)


def plane_figures(plane: Plane, names: Sequence[str], centre_kind: str) -> tuple[go.Figure, go.Figure]:
    """The slice as a contour map and in 3-D, with each run's projected path (3-D: at the slice's loss there).
    ``centre_kind`` is θ*'s verdict on the full space (its marker); α and β keep their own scales (the Hessian
    plane's half-widths differ by up to 10×)."""
    marker_kind = centre_kind if centre_kind in KINDS else "regular"
    centre = t("θ* ({kind})", kind=_kind(centre_kind))
    contour = contour_figure(plane.xs, plane.ys, plane.z, markers=[(0.0, 0.0, marker_kind, centre)], height=480,
                             axes=("α", "β"))
    contour.update_layout(xaxis_title=t("α (along d₁)"), yaxis=dict(title=t("β (along d₂)"), scaleanchor=None))
    paths = []
    colours = optimizer_colours(names)
    for xy, loss, name in zip(plane.coords, plane.on_plane, names):
        colour = colours[name]
        contour.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines", name=titles.optimizer(name),
                                     line=dict(color=colour, width=2.5)))
        contour.add_trace(go.Scatter(x=xy[:1, 0], y=xy[:1, 1], mode="markers", showlegend=False,
                                     marker=dict(color=colour, size=9, symbol="circle-open", line=dict(width=2)),
                                     hovertemplate=titles.kind("start") + "<extra></extra>"))
        paths.append(dict(xy=xy, loss=loss, label=titles.optimizer(name), color=colour))
    (x0, x1), (y0, y1) = plane.landscape.bounds
    for path in paths:  # in 3-D, only the part of a path over the drawn surface (a gap where it leaves)
        xy = path["xy"]
        inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
        path["xy"] = np.where(inside[:, None], xy, np.nan)
    contour.update_xaxes(range=[x0, x1])
    contour.update_yaxes(range=[y0, y1])
    surface = surface3d_figure(plane.xs, plane.ys, plane.z, paths=paths, height=480, axes=("α", "β"))
    # The legend above the scene, as on the contour: at the side it took the width the box's near corner needs.
    surface.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), margin=dict(t=40))
    return contour, surface


def spectrum_figure(grid: np.ndarray, density: np.ndarray, low: np.ndarray, high: np.ndarray) -> go.Figure:
    """The SLQ density on a log axis (six decades below its peak) with the Lanczos extremes as ticks."""
    floor = float(np.max(density)) * 1e-6
    fig = go.Figure(go.Scatter(x=grid, y=np.maximum(density, floor), mode="lines", name=t("density (SLQ)"),
                               line=dict(color="#444", width=2), fill="tozeroy"))
    for values, colour, name in ((low, "#d62728", t("bottom eigenvalues (Lanczos)")),
                                 (high, "#1f77b4", t("top eigenvalues (Lanczos)"))):
        fig.add_trace(go.Scatter(x=values, y=np.full(len(values), floor), mode="markers", name=name,
                                 marker=dict(color=colour, size=9, symbol="line-ns-open", line=dict(width=2))))
    fig.add_vline(x=0.0, line=dict(color="#999", dash="dot"))
    fig.update_layout(height=320, margin=dict(l=50, r=10, t=10, b=40), xaxis_title=t("eigenvalue λ of ∇²L"),
                      yaxis=dict(title=t("density"), type="log", range=[np.log10(floor), np.log10(floor) + 6.5],
                                 **LOG_TICKS),
                      legend=dict(orientation="h", y=1.02, yanchor="bottom"))
    return fig


def profile_figure(along: np.ndarray, values: np.ndarray) -> go.Figure:
    """``L(θ + t v)`` against ``t`` (``along``)."""
    fig = line_figure([dict(x=along, y=values, label="L(θ + t v)", color="#d62728")],
                      xtitle=t("t (along v, the eigenvector of λmin)"), ytitle=t("loss"), height=300)
    fig.add_vline(x=0.0, line=dict(color="#999", dash="dot"))
    return fig
