"""Baseline for benchmarks/browser.py and benchmarks/first_frame.py: the compare page's default view the way a
NumPy + native-Plotly Streamlit app draws it.

The same surface (the elongated valley, κ = 100, turned 30°), start, six optimizers, settings (the valley's preset)
and 200 steps, and the same learning-rate slider for gradient descent -- but every path is a NumPy loop over the
course's update rules (no JAX anywhere in this process), and the figure is ``st.plotly_chart`` with an animation
made of Plotly frames, each frame holding every path *cumulatively* up to its step (at most `MAX_FRAMES` frames,
every k-th step).  That is how one animates paths with Plotly alone, and what the trajectory player replaces: the
figure is resent and remounted on every rerun, and its size grows as O(paths x steps x frames).

benchmarks/first_frame.py checks, in its own process, that `SETTINGS` equal the valley's preset and that these paths
equal the engine's (1e-9), so both pages show the same thing.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from components import controls, figures  # UI helpers only: neither imports JAX

STEPS = 200
MAX_FRAMES = 100
KAPPA, ANGLE = 100.0, 30.0
BOX = 10.0
START = (-7.92820323027551, -2.2679491924311224)  # the valley's default start, (−8, −2) turned by 30°
SETTINGS = {  # landscapes/catalog.py, the valley's preset
    "sgd": {"learning_rate": 1.8},
    "momentum": {"learning_rate": 0.3, "momentum": 0.9},
    "nesterov": {"learning_rate": 0.5, "momentum": 0.9},
    "adagrad": {"learning_rate": 1.5, "eps": 1e-7},
    "rmsprop": {"learning_rate": 0.1, "decay": 0.9, "eps": 1e-8},
    "adam": {"learning_rate": 0.3, "b1": 0.9, "b2": 0.999, "eps": 1e-8},
}
TITLES = {"sgd": "Gradient descent", "momentum": "Momentum", "nesterov": "Nesterov momentum", "adagrad": "AdaGrad",
          "rmsprop": "RMSProp", "adam": "Adam"}
ETA_MIN, ETA_MAX = 1e-4, 4.0  # gradient descent's learning-rate slider (optimizers/catalog.py)

_PHI = np.deg2rad(ANGLE)
_R = np.array([[np.cos(_PHI), np.sin(_PHI)], [-np.sin(_PHI), np.cos(_PHI)]])  # (u, v) = R (x, y)
_H = _R.T @ np.diag([1.0 / KAPPA, 1.0]) @ _R


def f(x, y):
    """½ (u²/κ + v²), u along the valley floor, v across it."""
    u = _R[0, 0] * x + _R[0, 1] * y
    v = _R[1, 0] * x + _R[1, 1] * y
    return 0.5 * (u**2 / KAPPA + v**2)


def grad(p):
    return _H @ p


def path(name: str, steps: int = STEPS, **settings) -> np.ndarray:
    """``(steps + 1, 2)`` iterates of one course rule (the LaTeX shown on the compare page)."""
    h = {**SETTINGS[name], **settings}
    eta = h["learning_rate"]
    x = np.array(START, np.float64)
    a, b = np.zeros(2), np.zeros(2)  # velocity or first moment; squared-gradient accumulator
    out = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x)
        if name == "sgd":
            x = x - eta * g
        elif name == "momentum":
            a = h["momentum"] * a - eta * g
            x = x + a
        elif name == "nesterov":
            previous, a = a, h["momentum"] * a - eta * g
            x = x - h["momentum"] * previous + (1 + h["momentum"]) * a
        elif name == "adagrad":
            b = b + g * g
            x = x - eta * g / (np.sqrt(b) + h["eps"])
        elif name == "rmsprop":
            b = h["decay"] * b + (1 - h["decay"]) * g * g
            x = x - eta * g / (np.sqrt(b) + h["eps"])
        else:  # adam
            a = h["b1"] * a + (1 - h["b1"]) * g
            b = h["b2"] * b + (1 - h["b2"]) * g * g
            x = x - eta * (a / (1 - h["b1"] ** t)) / (np.sqrt(b / (1 - h["b2"] ** t)) + h["eps"])
        out.append(x.copy())
    return np.asarray(out)


def main() -> None:
    st.set_page_config(page_title="baseline: st.plotly_chart with frames", layout="wide")
    default = SETTINGS["sgd"]["learning_rate"]
    eta = st.select_slider("Gradient descent learning_rate", options=controls.log_grid(ETA_MIN, ETA_MAX, default),
                           value=default, format_func=controls.fmt, key="baseline.sgd.learning_rate")
    grid = np.linspace(-BOX, BOX, 161)
    paths = [(TITLES[name], figures.PALETTE[i], path(name, **({"learning_rate": eta} if name == "sgd" else {})))
             for i, name in enumerate(SETTINGS)]

    fig = go.Figure([go.Contour(x=grid, y=grid, z=f(*np.meshgrid(grid, grid)), ncontours=26, showscale=False,
                                name="surface")])
    for label, color, xy in paths:
        fig.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines", name=label, line=dict(color=color, width=2)))
    stride = max(1, int(np.ceil(STEPS / MAX_FRAMES)))
    frames = [go.Frame(name=str(k), traces=list(range(1, len(paths) + 1)),
                       data=[go.Scatter(x=xy[: k + 1, 0], y=xy[: k + 1, 1]) for _, _, xy in paths])
              for k in range(0, STEPS + 1, stride)]
    fig.frames = frames
    fig.update_layout(
        height=560, xaxis=dict(range=[-BOX, BOX]), yaxis=dict(range=[-BOX, BOX]),
        updatemenus=[dict(type="buttons", buttons=[dict(label="Play", method="animate",
                                                         args=[None, dict(frame=dict(duration=30, redraw=False))])])],
        sliders=[dict(steps=[dict(method="animate", label=f.name, args=[[f.name], dict(mode="immediate")])
                             for f in frames])])
    st.plotly_chart(fig, key="baseline.chart")


if __name__ == "__main__":
    main()
