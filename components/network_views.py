"""The Network page's pure parts: its configuration record, what it computes from one (through `components.cache`),
and its Plotly figures.  No ``st.*`` calls here, so every piece is testable without a server.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
import plotly.graph_objects as go

from components.figures import LOG_TICKS, contour_figure, line_figure, optimizer_colours, surface3d_figure
from landscapes.base import KINDS
from landscapes import datasets, network as N, tables
from optimizers import catalog
from optimizers.network import step_size_name

ARCHITECTURES = {"4": (4,), "8": (8,), "16": (16,), "32": (32,), "8-8": (8, 8), "16-16": (16, 16),
                 "32-16": (32, 16)}
DEFAULT_HIDDEN = {"digits": "32"}  # the digits' 64 inputs: 64–32–9, 2,377 parameters (else "8")
BATCHES = {"full": None, "64": 64, "16": 16, "4": 4}
GRIDS = (31, 51, 81)
MAX_RUNS = 4
POINTS = 200
HESSIAN_PARAMS = 300  # Newton-type rules form the mini-batch Hessian every step: only for networks this small
MISCLASSIFIED = 8  # held-out digits shown that the network gets wrong
# Learning rates that train these networks in a few hundred steps (the surface presets do not apply here).
LEARNING_RATES = {"sgd": 0.5, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.1, "rmsprop": 0.005, "adam": 0.05,
                  "adamw": 0.05, "nadam": 0.05, "amsgrad": 0.05, "adabelief": 0.05, "lion": 0.002,
                  "newton": 0.5, "damped_newton": 0.5, "saddle_free_newton": 0.5}


def data_title(name: str) -> str:
    """The data-set menu's entry."""
    return UPLOAD_TITLE if name == N.UPLOAD else datasets.title(name)


UPLOAD_TITLE = "Your CSV file"


def upload_limits() -> str:
    """The limits of an uploaded file, as the page states them."""
    return (f"A CSV file (comma, semicolon or tab separated, UTF-8) of at most {tables.MAX_ROWS:,} rows, "
            f"{tables.MAX_FEATURES} numeric feature columns and {tables.MAX_CLASSES} classes, "
            f"{tables.MAX_BYTES / 1e6:g} MB; numbers within ±{tables.MAX_ABS:.0e}, no missing values. One column is the "
            f"label (the classes); every other numeric column is a feature, text columns are left out.")


UPLOAD_NOTE = ("The file stays in this browser session only: it is parsed in memory, nothing is written to disk, and "
               "what is computed from it is kept in this session's state and dropped with it. A shared link cannot "
               "carry an uploaded file: it opens with this menu on “Your CSV file” and asks for one.")


def refusal(err) -> str:
    """One sentence for a `landscapes.tables.TableError`: what is wrong with the file, and where."""
    d = err.details
    return {
        "too_big": lambda: f"The file is {d['size'] / 1e6:.1f} MB; at most {d['limit'] / 1e6:g} MB are read.",
        "not_text": lambda: "This is not a CSV file: it is not UTF-8 text (a spreadsheet or an image?). Save it as "
                            "CSV and upload that.",
        "empty": lambda: "The file has no data rows.",
        "ragged": lambda: f"This does not read as a CSV table: line {d['line']} has {d['cells']} cells where the "
                          f"first line has {d['expected']}.",
        "one_column": lambda: "The file has a single column: a table needs at least one feature and a label.",
        "too_few_rows": lambda: f"The file has {d['rows']} data rows; at least {d['limit']} are needed.",
        "too_many_rows": lambda: f"The file has {d['rows']:,} data rows; at most {d['limit']:,} are allowed.",
        "too_many_columns": lambda: f"The file has {d['columns']} columns; at most {d['limit']} (64 features and the "
                                    f"label) are allowed.",
        "unknown_label": lambda: "Pick the label column in the menu.",
        "no_numeric": lambda: "No column other than the label holds numbers only: there are no features to learn "
                              "from.",
        "missing": lambda: f"Column “{d['column']}” has a missing value in data row {d['row']} ({d['count']} "
                           f"missing in all); fill or remove them first.",
        "huge": lambda: f"Column “{d['column']}”, data row {d['row']}, holds {d['value']:.3g}: numbers beyond "
                        f"±{d['limit']:.0e} (an id or a timestamp?) are not used as features.",
        "one_class": lambda: f"The label column “{d['label']}” has one value only: there is nothing to classify.",
        "too_many_classes": lambda: f"The label column “{d['label']}” has {d['values']} classes; at most "
                                    f"{d['limit']} are allowed.",
        "label_values": lambda: f"The label column “{d['label']}” has {d['values']} different values: it looks like "
                                f"a measurement, not classes. Pick a column of at most {d['limit']} classes.",
        "tiny_class": lambda: f"Class “{d['value']}” of “{d['label']}” has a single row: every class needs at least "
                              f"two (one to learn, one to hold out).",
    }[err.code]()


class Scores(NamedTuple):
    """What a run learned on inputs beyond 2-D: accuracies (held-out: NaN when none), the held-out confusion
    matrix ``C[true, predicted]``, and the held-out rows it gets wrong with their predicted classes."""

    train: float
    held_out: float
    confusion: np.ndarray
    wrong: np.ndarray
    predicted: np.ndarray


class Config(NamedTuple):
    """Everything the training depends on (hashable: the cache key)."""

    problem: N.Problem
    runs: tuple[tuple[str, float], ...]  # (optimizer, learning rate), in the order shown
    init: str
    seed: int
    steps: int
    batch_size: int | None


def step_size(name: str):
    """The rule's step-size `Hyperparam` (None when it has none) and this page's default value for it."""
    param = step_size_name(name)
    if param is None:
        return None, None
    spec = next(h for h in catalog.get(name).hyperparams if h.name == param)
    return spec, LEARNING_RATES.get(name, spec.default)


def trainable(n_params: int) -> list[str]:
    """The registry's rules that can train a network of ``n_params`` parameters here."""
    return [name for name in catalog.names()
            if "hessian" not in catalog.get(name).needs or n_params <= HESSIAN_PARAMS]


def label(name: str) -> str:
    return catalog.get(name).title


class Plane(NamedTuple):
    """A slice with its grid and the runs projected onto it."""

    landscape: object
    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray
    coords: tuple[np.ndarray, ...]  # per run: (steps + 1, 2)
    on_plane: tuple[np.ndarray, ...]  # per run: the slice's loss at the projected points
    off_plane: tuple[np.ndarray, ...]  # per run: distance of θ_t from the plane


def plane_words(directions: str, net) -> str:
    """What d₁ and d₂ are, for the slice's caption."""
    if directions == "hessian":
        lam_max, lam_min = net.eigenvalues
        return (f"d₁ and d₂ are the unit eigenvectors of the largest and smallest eigenvalue of ∇²L(θ*) (λmax = "
                f"{lam_max:.3g}, λmin = {lam_min:.3g}, by Lanczos): the sharpest and the flattest direction at θ*"
                + (". Along d₂ the loss curves down, but only near θ*: the box is zoomed to that dip, and the paths "
                   "come from far outside it." if lam_min < 0 else "."))
    if directions == "filter":
        return ("d₁ and d₂ are random, filter-normalized (each neuron's incoming weights scaled to that neuron's "
                "norm in θ*, biases 0) and orthogonal neuron by neuron (Li et al. 2018).")
    return (f"d₁ and d₂ are the first two principal directions of the first run's path θₜ − θ*; they hold "
            f"{net.explained[0]:.1%} and {net.explained[1]:.1%} of its variance.")


def eigen_table(ext) -> dict[str, list[str]]:
    """The extreme eigenvalues and their residuals as text columns (the residuals are ~1e-17: plain decimals
    would show zeros)."""
    values = [*ext.low, *ext.high]
    residuals = [*ext.low_residuals, *ext.high_residuals]
    return {"eigenvalue λ": [f"{v:.4g}" for v in values], "‖Hu − λu‖": [f"{r:.1e}" for r in residuals]}


def verdict_text(point, step: int) -> str:
    """The verdict at step ``step`` in one paragraph (Markdown)."""
    if point.kind == "regular":
        return f"θ at step {step} is {point.reason}"
    words = {"minimum": "a minimum", "maximum": "a maximum", "saddle": "a saddle point",
             "degenerate": "degenerate (the second-order test cannot decide)"}[point.kind]
    return f"θ at step {step} is **{words}**: {point.reason}"


# ------------------------------------------------------------------------------------------- figures
def boundary_figure(problem: N.Problem, probability: np.ndarray, xs, ys, height: int = 380) -> go.Figure:
    """P(class 1 | x) over the data plane, the 0.5 contour, and the training points."""
    X, y = N.data(problem)
    fig = go.Figure(go.Contour(x=xs, y=ys, z=probability, zmin=0, zmax=1, colorscale="RdBu", opacity=0.75,
                               contours=dict(start=0, end=1, size=0.1), line=dict(width=0),
                               colorbar=dict(title=dict(text="P(class 1)", side="right")),
                               hovertemplate="x₁=%{x:.3g}<br>x₂=%{y:.3g}<br>P=%{z:.3f}<extra></extra>"))
    fig.add_trace(go.Contour(x=xs, y=ys, z=probability, contours=dict(start=0.5, end=0.5, size=1, coloring="none"),
                             line=dict(width=2.5, color="black"), showscale=False, hoverinfo="skip",
                             name="boundary"))
    for cls, colour in ((0, "#b2182b"), (1, "#2166ac")):
        pts = X[y == cls]
        fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=f"class {cls}",
                                 marker=dict(color=colour, size=6, line=dict(width=1, color="white"))))
    fig.update_layout(height=height, margin=dict(l=40, r=10, t=10, b=40), xaxis_title="x₁", yaxis_title="x₂",
                      yaxis=dict(scaleanchor="x", scaleratio=1), legend=dict(orientation="h", y=1.02, yanchor="bottom"))
    return fig


def confusion_figure(C: np.ndarray, classes: Sequence[str], height: int = 380) -> go.Figure:
    """The held-out confusion matrix as a heat map: row = true class, column = predicted, each cell its count."""
    names = [str(c) for c in classes]
    fig = go.Figure(go.Heatmap(z=C, x=names, y=names, colorscale="Blues", showscale=False, xgap=1, ygap=1,
                               text=C, texttemplate="%{text}",
                               hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"))
    fig.update_layout(height=height, margin=dict(l=60, r=10, t=10, b=50), xaxis=dict(title="predicted", type="category"),
                      yaxis=dict(title="true class", type="category", autorange="reversed"))
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
        series.append(dict(x=np.arange(fit.loss.size), y=fit.loss, label=label(name), color=colours[name]))
    return line_figure(series, ytitle="training loss L(θₜ)", log_y=True, height=380)


def plane_figures(plane: Plane, names: Sequence[str], centre_kind: str) -> tuple[go.Figure, go.Figure]:
    """The slice as a contour map and in 3-D, with each run's projected path (3-D: at the slice's loss there).
    ``centre_kind`` is θ*'s verdict on the full space (its marker); α and β keep their own scales (the Hessian
    plane's half-widths differ by up to 10×)."""
    marker_kind = centre_kind if centre_kind in KINDS else "regular"
    contour = contour_figure(plane.xs, plane.ys, plane.z, markers=[(0.0, 0.0, marker_kind, f"θ* ({centre_kind})")],
                             height=480, axes=("α", "β"))
    contour.update_layout(xaxis_title="α (along d₁)", yaxis=dict(title="β (along d₂)", scaleanchor=None))
    paths = []
    colours = optimizer_colours(names)
    for xy, loss, name in zip(plane.coords, plane.on_plane, names):
        colour = colours[name]
        contour.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines", name=label(name),
                                     line=dict(color=colour, width=2.5)))
        contour.add_trace(go.Scatter(x=xy[:1, 0], y=xy[:1, 1], mode="markers", showlegend=False,
                                     marker=dict(color=colour, size=9, symbol="circle-open", line=dict(width=2)),
                                     hovertemplate="start<extra></extra>"))
        paths.append(dict(xy=xy, loss=loss, label=label(name), color=colour))
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
    fig = go.Figure(go.Scatter(x=grid, y=np.maximum(density, floor), mode="lines", name="density (SLQ)",
                               line=dict(color="#444", width=2), fill="tozeroy"))
    for values, colour, name in ((low, "#d62728", "bottom eigenvalues (Lanczos)"),
                                 (high, "#1f77b4", "top eigenvalues (Lanczos)")):
        fig.add_trace(go.Scatter(x=values, y=np.full(len(values), floor), mode="markers", name=name,
                                 marker=dict(color=colour, size=9, symbol="line-ns-open", line=dict(width=2))))
    fig.add_vline(x=0.0, line=dict(color="#999", dash="dot"))
    fig.update_layout(height=320, margin=dict(l=50, r=10, t=10, b=40), xaxis_title="eigenvalue λ of ∇²L",
                      yaxis=dict(title="density", type="log", range=[np.log10(floor), np.log10(floor) + 6.5], **LOG_TICKS),
                      legend=dict(orientation="h", y=1.02, yanchor="bottom"))
    return fig


def profile_figure(t: np.ndarray, values: np.ndarray) -> go.Figure:
    fig = line_figure([dict(x=t, y=values, label="L(θ + t v)", color="#d62728")], xtitle="t (along v, the "
                      "eigenvector of λmin)", ytitle="loss", height=300)
    fig.add_vline(x=0.0, line=dict(color="#999", dash="dot"))
    return fig


SADDLE_EXAMPLE = {"network.data": "xor", "network.init": "symmetric", "network.optimizers": ["adam"],
                  "network.adam.lr": 0.02, "network.steps": 2000, "network.at": 2000, "network.batch": "full",
                  "network.plane": "hessian"}
"""The settings of "Show me a saddle": one neuron's worth of XOR is a saddle of the 8-neuron network (measured:
‖∇L‖ ≈ 2e-6, λmin ≈ −3.8e-3 against λmax ≈ 1.6, tests/test_network.py)."""


def saddle_example(state) -> None:
    """Set the page's widgets to `SADDLE_EXAMPLE` (a button callback: before the widgets exist)."""
    for key, value in SADDLE_EXAMPLE.items():
        state[key] = value
