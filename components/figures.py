"""Pure Plotly figure builders: arrays in, figure out.  Never calls ``st.*``, so every figure is testable alone.

Colours and marker symbols per critical-point kind live here, so every page and the player agree on them.  So does
the look every figure of the app shares, as a Plotly template made the default at import (`TEMPLATE`): thin colour
bars, so that on a phone the map, not its scale, takes the width.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from components.i18n import N_, t

KIND_STYLE = {
    # kind: (marker symbol, colour, legend label).  The shape alone tells the kind (a star where f is lowest,
    # a peak's triangle, a saddle's crossing), so the colours may repeat path colours without confusion.  The
    # labels are messages (`components.i18n`), translated where they are drawn.
    "minimum": ("star", "#16a34a", N_("minimum")),
    "maximum": ("triangle-up", "#dc2626", N_("maximum")),
    "saddle": ("x", "#7c3aed", N_("saddle")),
    "degenerate": ("diamond-open", "#d97706", N_("degenerate (test inconclusive)")),
    "start": ("circle", "#ffffff", N_("start")),
    "regular": ("circle-open", "#444444", N_("not a critical point")),
}
KIND_SIZE = {"minimum": 16, "maximum": 13, "saddle": 13, "degenerate": 13, "start": 12}
"""Marker sizes in px: a star reads as one only a little larger than the others."""
MARKER_OUTLINE = "#1f2937"
SYMBOL_3D = {"star": "diamond", "triangle-up": "square", "diamond-open": "diamond-open", "circle": "circle",
             "x": "x"}
"""Plotly's 3-D scatter has no star or triangle: the nearest symbols it does have."""

SURFACE_COLORSCALE = [[0.0, "#f8fafc"], [0.25, "#e2e8f0"], [0.5, "#cbd5e1"], [0.75, "#94a3b8"], [1.0, "#475569"]]
"""Every map of f (the player, Explore's maps, the 3-D views): a neutral light-to-slate ramp, low f light.  Lightness
alone encodes f and no hue is taken, so every path colour and marker colour drawn on top stays readable."""
COLORBAR = dict(thickness=10, outlinewidth=0, tickfont=dict(size=10))
"""Every colour bar beside a map or heatmap: thin (Plotly's default is 30 px, a tenth of a phone's width)."""
MAP_COLORBAR = dict(COLORBAR, orientation="h", len=1.0, x=0.5, xanchor="center", y=1.02, yanchor="bottom")
"""The colour bar of a map of f (`contour_figure`): above the map and as wide as it, so the map keeps the width of
the figure (the map is drawn to scale, so on a phone its width decides its size)."""
TEMPLATE = "loss_landscapes"
pio.templates[TEMPLATE] = go.layout.Template(data=dict(
    contour=[go.Contour(colorbar=COLORBAR)], heatmap=[go.Heatmap(colorbar=COLORBAR)],
    surface=[go.Surface(colorbar=COLORBAR)]))
if TEMPLATE not in str(pio.templates.default).split("+"):
    # On top of the template already chosen (Streamlit's own, set when streamlit is imported): a figure's own
    # settings still win, the template fills in what it leaves unset.
    pio.templates.default = "+".join(filter(None, [pio.templates.default, TEMPLATE]))
CONTOUR_LINE = dict(width=0.6, color="rgba(55,65,81,0.35)")
CONTOURS = 30
"""Contour levels of every map of f (the player's too)."""


def marker_style(kind: str) -> dict:
    """Plotly ``marker`` settings of a critical-point (or start) marker; open symbols are outlined in their colour."""
    symbol, colour, _ = KIND_STYLE.get(kind, ("circle-open", "#444444", kind))
    outline = colour if symbol.endswith("-open") else MARKER_OUTLINE
    return dict(symbol=symbol, size=KIND_SIZE.get(kind, 12), color=colour,
                line=dict(width=2 if symbol.endswith("-open") else 1.2, color=outline))

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
"""The optimizers' colours: Okabe & Ito's palette for colour-blind readers ("Color Universal Design", 2008), blue,
orange, bluish green, vermillion, reddish purple, sky blue, black, yellow (last: the faintest on a light map).  Every
pair stays apart for deuteranopes, protanopes and tritanopes (tests/test_colours.py: CIEDE2000 after Machado et al.'s
simulation); Plotly's default colours did not (its orange and green are ΔE00 1.25 apart for a protanope).  As many
colours as a view shows optimizers at most (the Compare page's eight), so no two paths of a view share one."""
HEAD_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "star", "cross", "x")
"""The marker at each path's head and in its legend entry, one per palette colour (`head_symbol`): overlapping paths
differ by shape as well as by colour."""
OWN_COLOURS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "lamb")
"""The course's optimizers, each with its own palette colour (in this order) on every page."""


def head_symbol(colour: str, i: int = 0) -> str:
    """The head marker that goes with a path's colour: its palette slot's symbol (another colour: the i-th)."""
    slots = [c.lower() for c in PALETTE]
    k = slots.index(colour.lower()) if colour.lower() in slots else i
    return HEAD_SYMBOLS[k % len(HEAD_SYMBOLS)]


def optimizer_colours(names: Sequence[str]) -> dict[str, str]:
    """One colour per optimizer, the same on every page: each of `OWN_COLOURS` has its own; any other optimizer
    takes the first palette colour no optimizer of ``names`` holds, in the order of ``names`` (so a view's paths
    never share a colour while the palette lasts)."""
    out = {n: PALETTE[OWN_COLOURS.index(n)] for n in names if n in OWN_COLOURS}
    free = [c for c in PALETTE if c not in out.values()]
    for i, n in enumerate(names):
        if n not in out:
            out[n] = free.pop(0) if free else PALETTE[i % len(PALETTE)]
    return out


LOG_EPS_FRACTION = 1e-5
"""In log mode the map shows ``log10(f - f_min + eps)`` with ``eps = LOG_EPS_FRACTION * (f_max - f_min)``:
five decades below the top of the grid, enough to ring a narrow valley floor without drowning in noise."""
LOG_DECADES = 2.0
"""Log contour levels when the middle 90 % of ``f - f_min`` spans at least this many decades."""


def log_levels_wanted(z) -> bool:
    """True when the surface spans decades, so evenly spaced contour levels would hide the interesting part.

    With ``d = f - f_min`` over the finite grid values, log levels are chosen when
    ``log10(q95(d) / q05(d)) >= LOG_DECADES``.  The test is invariant under ``f -> a f + b`` (``a > 0``).  A
    quadratic bowl on a square grid spans about 1.4 decades by this measure (``d ~ r^2`` and the 5 % and 95 % radii
    differ by ~5x); a quartic bowl (``d ~ r^4``) about 2.8; Rosenbrock on [-2, 2] x [-1, 3] about 2.5.
    """
    d = np.asarray(z, dtype=np.float64)
    d = d[np.isfinite(d)]
    if d.size < 4:
        return False
    d = d - d.min()
    lo, hi = np.quantile(d, [0.05, 0.95])
    if hi <= 0.0 or lo <= 0.0:  # constant, or a flat floor over 5 % of the grid: nothing to resolve
        return False
    with np.errstate(over="ignore"):  # hi / lo beyond float64: certainly many decades
        return bool(np.log10(hi / lo) >= LOG_DECADES)


def display_z(z: np.ndarray, log_levels: bool, axes: tuple[str, str] = ("x", "y")) -> tuple[np.ndarray, str]:
    """The array to shade and its colour-bar title: ``log10(z − min z + ε)`` when ``log_levels``, else ``z``
    (``f(x, y)``, in the names of ``axes``)."""
    z = np.asarray(z, dtype=float)
    if not log_levels:
        return z, f"f({axes[0]}, {axes[1]})"
    finite = z[np.isfinite(z)]
    zmin = finite.min() if finite.size else 0.0
    span = (finite.max() - zmin) if finite.size else 1.0
    eps = max(span * LOG_EPS_FRACTION, 1e-300)
    return np.log10(z - zmin + eps), "log₁₀(f − min f)"


def marker_traces(markers: Iterable[tuple], axes: tuple[str, str] = ("x", "y")) -> list[go.Scatter]:
    """One scatter trace per kind, so the legend lists each kind once.  ``markers`` are (x, y, kind, label[, f]);
    ``axes`` name the coordinates in the hover text."""
    by_kind: dict[str, list[tuple[float, float, str]]] = {}
    for x, y, kind, label, *_ in markers:
        by_kind.setdefault(kind, []).append((x, y, label))
    traces = []
    for kind, points in by_kind.items():
        _, _, name = KIND_STYLE.get(kind, ("circle-open", "#444", kind))
        xs, ys, labels = zip(*points)
        traces.append(go.Scatter(
            x=xs, y=ys, mode="markers", name=t(name), text=labels, marker=marker_style(kind),
            hovertemplate=f"%{{text}}<br>{axes[0]}=%{{x:.4g}}, {axes[1]}=%{{y:.4g}}<extra></extra>",
        ))
    return traces


def contour_figure(xs, ys, z, *, log_levels: bool | None = None, markers=(), title: str | None = None,
                   height: int = 520, axes: tuple[str, str] = ("x", "y")) -> go.Figure:
    """A filled contour map of ``z`` (shape ``(len(ys), len(xs))``) with optional critical-point markers; ``axes``
    name the two coordinates (titles, colour bar, hover)."""
    if log_levels is None:
        log_levels = log_levels_wanted(z)
    shaded, bar_title = display_z(z, log_levels, axes)
    a, b = axes
    fig = go.Figure(go.Contour(
        x=np.asarray(xs), y=np.asarray(ys), z=shaded, colorscale=SURFACE_COLORSCALE, ncontours=CONTOURS, line=CONTOUR_LINE,
        colorbar=dict(MAP_COLORBAR, title=dict(text=bar_title, side="top")), customdata=np.asarray(z),
        hovertemplate=f"{a}=%{{x:.4g}}<br>{b}=%{{y:.4g}}<br>f=%{{customdata:.6g}}<extra></extra>", name="surface",
        showlegend=False,
    ))
    for trace in marker_traces(markers, axes):
        fig.add_trace(trace)
    # To scale (x and y in the same units), the spare room left empty rather than filled with more range; the
    # legend under the map, the colour bar above it.
    fig.update_layout(
        title=title, height=height, margin=dict(l=40, r=10, t=40 if title else 10, b=60),
        xaxis=dict(title=a, constrain="domain"), yaxis=dict(title=b, scaleanchor="x", scaleratio=1, constrain="domain"),
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0), uirevision="keep",
    )
    return fig


# Plotly's default eye (1.25, 1.25, 1.25) puts the box's near corner and its tick labels past the edges of a
# half-width column; a little further and lower keeps the whole box in view.
CAMERA_3D = dict(eye=dict(x=1.75, y=1.75, z=1.2))


def surface3d_figure(xs, ys, z, *, paths: Sequence[Mapping] = (), markers=(), title: str | None = None,
                     height: int = 560, axes: tuple[str, str] = ("x", "y")) -> go.Figure:
    """A 3-D surface with optimizer paths lifted onto it (each path needs ``xy``, ``loss``, ``label``, ``color``);
    ``axes`` name the two coordinates.

    The surface is cut off at a height: the tallest 2 % of the grid (one steep wall, Rosenbrock's or
    Goldstein–Price's, would flatten the rest) and, with paths, twice the highest loss they reach, so the part of
    the surface the runs travel fills the box (on the valley the walls rise 25 times above the start, and the paths
    were a line along the floor).  The legend sits above the scene, clear of Plotly's toolbar."""
    a, b = axes
    z = np.asarray(z, dtype=float)
    finite = z[np.isfinite(z)]
    top = np.percentile(finite, 98) if finite.size else 1.0
    reached = [float(np.max(np.asarray(p["loss"])[np.isfinite(p["loss"])])) for p in paths
               if np.any(np.isfinite(p["loss"]))]
    if reached and finite.size:
        floor = float(finite.min())
        top = min(top, floor + 2.0 * (max(reached) - floor)) if max(reached) > floor else top
    fig = go.Figure(go.Surface(x=np.asarray(xs), y=np.asarray(ys), z=np.minimum(z, top), colorscale=SURFACE_COLORSCALE,
                               opacity=0.85, showscale=False, name="surface",
                               hovertemplate=f"{a}=%{{x:.4g}}<br>{b}=%{{y:.4g}}<br>f=%{{z:.6g}}<extra></extra>"))
    for i, path in enumerate(paths):
        xy = np.asarray(path["xy"])
        loss = np.minimum(np.asarray(path["loss"]), top)
        fig.add_trace(go.Scatter3d(x=xy[:, 0], y=xy[:, 1], z=loss, mode="lines+markers", name=path["label"],
                                   line=dict(width=5, color=path.get("color", PALETTE[i % len(PALETTE)])),
                                   marker=dict(size=2)))
    xs_, ys_ = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    for x, y, kind, label, *value in markers:
        symbol, colour, name = KIND_STYLE.get(kind, ("circle", "#444", kind))
        # A marker's height: its own f when given, else the nearest grid value (the surface as drawn).
        marker_z = value[0] if value else z[np.abs(ys_ - y).argmin(), np.abs(xs_ - x).argmin()]
        fig.add_trace(go.Scatter3d(x=[x], y=[y], z=[min(float(marker_z), top)], mode="markers", name=label,
                                   showlegend=False,
                                   marker=dict(size=5, color=colour, symbol=SYMBOL_3D.get(symbol, "circle"),
                                               line=dict(width=1, color=MARKER_OUTLINE))))
    fig.update_layout(title=title, height=height, margin=dict(l=0, r=0, t=40 if title or paths else 0, b=0),
                      scene=dict(xaxis_title=a, yaxis_title=b, zaxis_title="f", camera=CAMERA_3D),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), uirevision="keep")
    return fig


LOG_TICKS = dict(tickformat=".2~g", minor=dict(ticks="outside", ticklen=3, showgrid=False))
"""A log axis labels every tick with its whole value (0.2, 2, 20), never a bare mantissa digit ("2" for both 0.2
and 2, Plotly's default between decades); the minor ticks stay unlabelled."""


def line_figure(series: Sequence[Mapping], *, ytitle: str, xtitle: str | None = None, log_y: bool = False,
                title: str | None = None, height: int = 280) -> go.Figure:
    """One line per entry of ``series`` (each with ``x``, ``y``, ``label``, ``color`` and optionally ``dash``);
    the x axis is the step unless ``xtitle`` says otherwise.
    The title sits above the plot and the legend under it, so they never overlap however many lines there are."""
    fig = go.Figure()
    for i, s in enumerate(series):
        fig.add_trace(go.Scatter(x=np.asarray(s["x"]), y=np.asarray(s["y"]), mode="lines", name=s["label"],
                                 line=dict(color=s.get("color", PALETTE[i % len(PALETTE)]), width=2,
                                           dash=s.get("dash", "solid"))))
    fig.update_layout(title=dict(text=title, x=0, xanchor="left", y=0.98, yanchor="top") if title else None,
                      height=height + 40, margin=dict(l=50, r=10, t=36 if title else 10, b=40),
                      xaxis_title=t("step") if xtitle is None else xtitle,
                      yaxis=dict(title=ytitle, type="log" if log_y else "linear",
                                                     **(LOG_TICKS if log_y else {})),
                      legend=dict(orientation="h", yanchor="top", y=-0.28, x=0))
    return fig
