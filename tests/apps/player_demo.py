"""A tiny page that feeds the trajectory player synthetic data, for the browser tests.

Surface: the quadratic bowl f(x, y) = x^2 + 3 y^2 on [-2, 2]^2.  Paths: three discrete spirals
xy_t = r0 * q^t * (cos(theta0 + w t), sin(theta0 + w t)) whose contraction q comes from the page's slider, so moving
the slider changes every path.  ``?layout=side_by_side`` in the URL sets the layout radio's start value and
``?surface=rosenbrock`` swaps in Rosenbrock's surface (which spans decades, so the contour uses log levels);
``?pending=1`` shows the surface alone with a progress note, as the compare page does while it compiles.
"""

import numpy as np
import streamlit as st

from components.player import player

STEPS = 120

st.set_page_config(page_title="player demo", layout="wide")
layout = st.radio("layout", ["overlay", "side_by_side"], horizontal=True, key="demo.layout",
                  index=1 if st.query_params.get("layout") == "side_by_side" else 0)
shrink = st.slider("contraction", 0.90, 0.99, 0.97, 0.01, key="demo.shrink")

xs = np.linspace(-2.0, 2.0, 121)
ys = np.linspace(-2.0, 2.0, 101)
gx, gy = np.meshgrid(xs, ys)
if st.query_params.get("surface") == "rosenbrock":  # spans decades: exercises the log contour levels
    surface = {"x": xs, "y": ys, "z": (1.0 - gx) ** 2 + 100.0 * (gy - gx**2) ** 2}
else:
    surface = {"x": xs, "y": ys, "z": gx**2 + 3.0 * gy**2}

t = np.arange(STEPS + 1)
# A dashed "gradient flow" for the first path; fixed, like the app's flow, which does not depend on hyperparameters.
flow = 1.8 * 0.97 ** (t[::4, None]) * np.stack([np.cos(0.15 * t[::4]), np.sin(0.15 * t[::4])], axis=1) * 1.02
paths = []
for i, (name, color, omega) in enumerate([("gd", "#1f77b4", 0.15), ("momentum", "#d62728", 0.3),
                                           ("adam", "#2ca02c", 0.45)]):
    r = 1.8 * shrink ** (t * (1 + 0.2 * i))
    xy = np.stack([r * np.cos(omega * t + 2.0 * i), r * np.sin(omega * t + 2.0 * i)], axis=1)
    loss = xy[:, 0] ** 2 + 3.0 * xy[:, 1] ** 2
    grad = np.hypot(2.0 * xy[:, 0], 6.0 * xy[:, 1])
    paths.append({"name": name, "label": name.upper(), "color": color, "xy": xy, "loss": loss, "grad_norm": grad,
                  "learning_rate": np.full(STEPS, 0.1), "status": "converged",
                  "flow_xy": flow if name == "gd" else None})

markers = [(0.0, 0.0, "minimum", "global minimum"), (1.5, -1.5, "saddle", "not a real saddle")]
pending = "Computing the spirals…" if st.query_params.get("pending") == "1" else ""
click = player(surface, [] if pending else paths, layout=layout, markers=markers, start=(1.8, 0.0), height=420,
               key="demo.player", title="Synthetic spirals", pending=pending)
st.text(f"clicked: x={click['x']:.4f} y={click['y']:.4f} n={click['n']}" if click else "clicked: none")
