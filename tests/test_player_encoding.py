"""The player's Python side: the float32/base64 wire format, what one rerun sends, and the folder Streamlit serves.

The browser decodes with ``DataView.getFloat32(4 i, true)``; the round trip here decodes with NumPy and compares with
a float32 cast of the input, and one case spells out the IEEE-754 bytes by hand.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from components.player import (
    MARKER_KINDS,
    build_args,
    decode_array,
    encode_array,
    payload_size,
    served_dir,
    wants_log_levels,
)

F32_MAX = float(np.finfo(np.float32).max)


def grid(f, nx=61, ny=51, xb=(-2.0, 2.0), yb=(-2.0, 2.0)):
    x, y = np.linspace(*xb, nx), np.linspace(*yb, ny)
    gx, gy = np.meshgrid(x, y)
    return {"x": x, "y": y, "z": f(gx, gy)}


def quadratic(x, y):
    return x**2 + 3.0 * y**2


def rosenbrock(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2


def spiral(steps, name="gd", phase=0.0):
    t = np.arange(steps + 1)
    r = 1.5 * 0.97**t
    xy = np.stack([r * np.cos(0.3 * t + phase), r * np.sin(0.3 * t + phase)], axis=1)
    return {"name": name, "label": name.upper(), "color": "#1f77b4", "xy": xy, "loss": quadratic(*xy.T),
            "grad_norm": np.hypot(2 * xy[:, 0], 6 * xy[:, 1]), "learning_rate": np.full(steps, 0.1),
            "status": "converged"}


# ------------------------------------------------------------------------------------------------ wire format
finite32 = st.floats(min_value=-F32_MAX, max_value=F32_MAX, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6), elements=finite32))
def test_round_trip_equals_float32_cast(a):
    packed = encode_array(a)
    assert packed["dtype"] == "float32" and packed["shape"] == list(a.shape)
    np.testing.assert_array_equal(decode_array(packed), a.astype(np.float32))


def test_bytes_are_little_endian_ieee754_float32():
    packed = encode_array([1.0, -2.5, 0.1])
    raw = base64.b64decode(packed["b64"])
    assert raw == struct.pack("<3f", 1.0, -2.5, 0.1)
    assert raw[:4] == b"\x00\x00\x80\x3f"  # 1.0f: sign 0, exponent 127, mantissa 0


def test_non_finite_values_are_never_sent():
    packed = encode_array([np.nan, np.inf, -np.inf, 1e39, -1e39, 2.0])
    out = decode_array(packed)
    assert np.isfinite(out).all()
    np.testing.assert_array_equal(out, np.float32([0.0, F32_MAX, -F32_MAX, F32_MAX, -F32_MAX, 2.0]))


def test_args_are_strict_json_even_from_non_finite_inputs():
    surface = grid(quadratic)
    surface["z"][3, 4] = np.nan
    surface["z"][5, 6] = np.inf
    path = spiral(20)
    path["xy"][7] = [np.nan, np.inf]
    path["loss"][9] = np.nan
    args = build_args(surface, [path], markers=[(0.0, 0.0, "minimum", "min"), (np.nan, 0.0, "saddle", "bad")])
    json.dumps(args, allow_nan=False)  # raises on NaN / inf
    assert [m["kind"] for m in args["markers"]] == ["minimum"]  # a marker without a place is dropped


def test_a_non_finite_path_row_repeats_the_last_finite_one():
    path = spiral(10)
    xy = path["xy"].copy()
    path["xy"][0] = np.nan  # leading gap: takes the first finite row
    path["xy"][4:6] = np.inf
    sent = decode_array(build_args(grid(quadratic), [path])["paths"][0]["xy"])
    expected = xy.copy()
    expected[0], expected[4], expected[5] = xy[1], xy[3], xy[3]
    np.testing.assert_array_equal(sent, expected.astype(np.float32))


def test_a_non_finite_surface_value_becomes_the_highest_wall():
    surface = grid(quadratic)
    top = surface["z"].max()
    surface["z"][0, 0] = np.inf
    surface["z"][1, 1] = np.nan
    z = decode_array(build_args(surface, [])["surface"]["z"])
    assert z[0, 0] == z[1, 1] == np.float32(top)


def test_named_tuples_and_dicts_give_the_same_arguments():
    class Path(NamedTuple):
        name: str
        label: str
        color: str
        xy: np.ndarray
        loss: np.ndarray
        grad_norm: np.ndarray
        learning_rate: np.ndarray
        status: str

    class Surface(NamedTuple):
        x: np.ndarray
        y: np.ndarray
        z: np.ndarray

    d = spiral(15)
    s = grid(quadratic)
    assert build_args(Surface(**s), [Path(**d)]) == build_args(s, [d])


# ------------------------------------------------------------------------------------------------ payload
B64_PER_BYTE = 4 / 3
FLOATS_PER_STEP = 5  # xy (2) + loss + grad_norm + learning_rate


@pytest.mark.parametrize("n_paths", [1, 3, 8])
def test_payload_grows_linearly_with_optimizers_times_steps(n_paths):
    """Each extra step of each optimizer costs 5 float32 = 20 bytes = 26.7 base64 characters, nothing else."""
    surface = grid(quadratic)
    sizes = {T: payload_size(surface, [spiral(T, f"p{i}", i) for i in range(n_paths)]) for T in (100, 200, 300, 400)}
    per_100 = n_paths * 100 * FLOATS_PER_STEP * 4 * B64_PER_BYTE
    slack = 4 * 4 * n_paths  # base64 pads each of the 4 per-path arrays to a multiple of 4 characters
    for lo, hi in [(100, 200), (200, 300), (300, 400)]:
        assert abs(sizes[hi] - sizes[lo] - per_100) <= slack


def test_payload_of_the_grid_is_its_float32_bytes_in_base64():
    path = [spiral(50)]
    small, large = grid(quadratic, 40, 30), grid(quadratic, 80, 60)
    extra_floats = (80 * 60 + 80 + 60) - (40 * 30 + 40 + 30)
    grow = payload_size(large, path) - payload_size(small, path)
    assert abs(grow - extra_floats * 4 * B64_PER_BYTE) <= 3 * 4 + 8  # padding of 3 arrays + shape digits


# ------------------------------------------------------------------------------------------------ surface
def test_log_levels_chosen_for_rosenbrock_not_for_a_quadratic():
    assert not wants_log_levels(grid(quadratic)["z"])
    assert wants_log_levels(grid(rosenbrock, xb=(-2, 2), yb=(-1, 3))["z"])
    assert wants_log_levels(grid(lambda x, y: x**4 + y**4)["z"])  # d ~ r^4: the flat floor needs log levels


@pytest.mark.parametrize("a, b", [(1e-3, 0.0), (1.0, -5.0), (250.0, 1e4)])
def test_log_level_choice_is_invariant_under_affine_rescaling(a, b):
    for f in (quadratic, rosenbrock):
        z = grid(f, yb=(-1, 3))["z"]
        assert wants_log_levels(a * z + b) == wants_log_levels(z)


def test_log_levels_argument_overrides_the_detection():
    assert build_args(grid(quadratic), [], log_levels=True)["surface"]["log"] is True
    assert build_args(grid(rosenbrock, yb=(-1, 3)), [], log_levels=False)["surface"]["log"] is False
    assert build_args(grid(rosenbrock, yb=(-1, 3)), [])["surface"]["log"] is True


def test_surface_fingerprint_follows_the_surface_not_the_paths():
    s = grid(quadratic)
    a = build_args(s, [spiral(10)])["surface"]["id"]
    assert build_args(grid(quadratic), [spiral(30)], layout="side_by_side")["surface"]["id"] == a
    s2 = grid(quadratic)
    s2["z"][10, 10] += 1e-3
    assert build_args(s2, [spiral(10)])["surface"]["id"] != a


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="layout"):
        build_args(grid(quadratic), [], layout="grid")
    with pytest.raises(ValueError, match="marker kind"):
        build_args(grid(quadratic), [], markers=[(0, 0, "valley", "")])
    s = grid(quadratic)
    s["z"] = s["z"].T
    with pytest.raises(ValueError, match="shape"):
        build_args(s, [])
    assert set(MARKER_KINDS) == {"minimum", "maximum", "saddle", "degenerate", "start"}


# ------------------------------------------------------------------------------------------------ served folder
def test_served_folder_holds_the_frontend_and_the_vendored_plotly():
    from streamlit.web.server.component_file_utils import build_safe_abspath

    from components.player import FRONTEND_FILES, PLOTLY_JS

    root = served_dir()
    for name in FRONTEND_FILES:
        p = root / name
        assert p.is_file() and not p.is_symlink()
        # Streamlit's own file server check: resolves inside the component root.
        assert build_safe_abspath(str(root), name) == os.path.realpath(p)
    header = PLOTLY_JS.read_text()[:200]
    assert "plotly.js (cartesian - minified) v4.1.1" in header and "MIT license" in header
    assert "MIT License" in (root / "vendor" / "plotly.js-LICENSE").read_text()
    html = (root / "index.html").read_text()
    assert 'src="vendor/plotly-cartesian.min.js"' in html and '<script type="module" src="main.js">' in html
    assert "cdn" not in html.lower()
    # Every module main.js reaches by its imports is served, and nothing else is left out (no build step).
    from components.player import MODULES

    reached, todo = set(), ["main.js"]
    while todo:
        name = todo.pop()
        reached.add(name)
        for dep in re.findall(r'^import .* from "\./([\w.]+\.js)";$', (root / name).read_text(), re.M):
            if dep not in reached:
                todo.append(dep)
    assert reached == set(MODULES)
    # The GIF encoder: gifenc 1.0.3 (npm, MIT, Matt DesLauriers), bundled as its own unmodified ES module file.
    assert 'import * as gifenc from "./vendor/gifenc.esm.js";' in (root / "export.js").read_text()
    assert "Copyright (c) 2017 Matt DesLauriers" in (root / "vendor" / "gifenc-LICENSE").read_text()
    exports = (root / "vendor" / "gifenc.esm.js").read_text()
    assert all(f" as {name}" in exports for name in ("GIFEncoder", "quantize", "applyPalette"))


def test_the_frontend_never_uses_plotly_frames():
    """Plotly frames/animate stop click events after playing (measured on these machines); the player must not use them."""
    from components.player import MODULES

    for name in MODULES:
        js = (served_dir() / name).read_text()
        code = "\n".join(line for line in js.splitlines() if not line.lstrip().startswith(("*", "/*", "//")))
        assert "Plotly.animate" not in code and "addFrames" not in code
        # Every figure Plotly gets is (data, layout, config): never a figure object, which could carry frames.
        calls = re.findall(r"Plotly\.(?:react|newPlot)\(([^;]*)\);", code)
        assert all(len(c.split(",")) == 4 and "frames" not in c for c in calls), calls
    assert "requestAnimationFrame" in (served_dir() / "clock.js").read_text()
