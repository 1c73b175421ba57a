"""Baseline for benchmarks/browser.py: the compare page's default view drawn the native way.

Same surface (the elongated valley), same start, same six optimizers and 200 steps, same engine calls through
`components.cache`, same learning-rate slider for gradient descent -- but drawn with ``st.plotly_chart`` and an
animation made of Plotly frames, each frame holding every path *cumulatively* up to its step (at most
`MAX_FRAMES` frames, every k-th step).  That is how one animates paths with Plotly alone, and what the trajectory
player replaces: the figure is resent and remounted on every rerun, and its size grows as O(paths x steps x frames).
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from components import cache, controls, figures
from optimizers import catalog

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
STEPS = 200
MAX_FRAMES = 100

st.set_page_config(page_title="baseline: st.plotly_chart with frames", layout="wide")
# The compare page's slider for gradient descent's learning rate: same log grid, same default.
(ETA,) = [h for h in catalog.get("sgd").hyperparams if h.name == "learning_rate"]
eta = st.select_slider("Gradient descent learning_rate", options=controls.log_grid(ETA.min, ETA.max, ETA.default),
                       value=ETA.default, format_func=controls.fmt, key="baseline.sgd.learning_rate")

key = cache.surface_key("elongated_valley", {"kappa": 20.0, "angle": 30.0})
surface = cache.surface(key)
grid = cache.grid(key)
paths = []
for i, name in enumerate(OPTIMIZERS):
    hp = catalog.get(name).defaults()
    if name == "sgd":
        hp["learning_rate"] = eta
    traj = cache.trajectory(key, name, surface.start, STEPS, tuple(hp.items()))
    paths.append((catalog.get(name).title, figures.PALETTE[i], np.asarray(traj.xy)))

fig = go.Figure([go.Contour(x=grid.x, y=grid.y, z=grid.z, ncontours=26, showscale=False, name="surface")])
for label, color, xy in paths:
    fig.add_trace(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="lines", name=label, line=dict(color=color, width=2)))
stride = max(1, int(np.ceil(STEPS / MAX_FRAMES)))
frames = []
for k in range(0, STEPS + 1, stride):
    frames.append(go.Frame(name=str(k), traces=list(range(1, len(paths) + 1)),
                           data=[go.Scatter(x=xy[: k + 1, 0], y=xy[: k + 1, 1]) for _, _, xy in paths]))
fig.frames = frames
fig.update_layout(
    height=560, xaxis=dict(range=list(surface.bounds[0])), yaxis=dict(range=list(surface.bounds[1])),
    updatemenus=[dict(type="buttons", buttons=[dict(label="Play", method="animate",
                                                     args=[None, dict(frame=dict(duration=30, redraw=False))])])],
    sliders=[dict(steps=[dict(method="animate", label=f.name, args=[[f.name], dict(mode="immediate")])
                         for f in frames])])
st.plotly_chart(fig, key="baseline.chart")
