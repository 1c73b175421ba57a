"""Pure figure builders: what goes in comes out in the traces, and log levels are chosen from the data's span."""

import numpy as np

from components import figures

XS = np.linspace(-2, 2, 41)
YS = np.linspace(-1, 1, 21)
Z = XS[None, :] ** 2 + 3 * YS[:, None] ** 2


def test_contour_carries_the_grid_and_one_legend_entry_per_kind():
    markers = [(0, 0, "minimum", "a"), (1, 0, "saddle", "b"), (1, 1, "saddle", "c")]
    fig = figures.contour_figure(XS, YS, Z, markers=markers, log_levels=False)
    contour = fig.data[0]
    np.testing.assert_array_equal(contour.z, Z)
    names = [t.name for t in fig.data[1:]]
    assert names == ["minimum", "saddle"]
    assert list(fig.data[2].x) == [1, 1] and list(fig.data[2].y) == [0, 1]


def test_log_levels_follow_the_span_of_the_data():
    assert not figures.log_levels_wanted(Z)
    xs, ys = np.linspace(-2, 2, 81), np.linspace(-1, 3, 81)
    rosen = (1 - xs[None, :]) ** 2 + 100 * (ys[:, None] - xs[None, :] ** 2) ** 2
    assert figures.log_levels_wanted(rosen)
    shaded, title = figures.display_z(rosen, True)
    assert np.isfinite(shaded).all() and "log" in title
    np.testing.assert_allclose(shaded.min(), np.log10((rosen.max() - rosen.min()) * figures.LOG_EPS_FRACTION), rtol=1e-9)


def test_surface3d_lifts_paths_and_markers_onto_the_surface():
    path = {"xy": np.array([[1.0, 0.5], [0.5, 0.25]]), "loss": np.array([1.75, 0.4375]), "label": "sgd"}
    fig = figures.surface3d_figure(XS, YS, Z, paths=[path], markers=[(0.0, 0.0, "minimum", "m"),
                                                                      (1.0, 0.5, "saddle", "s", 1.75)])
    lifted = fig.data[1]
    np.testing.assert_allclose(lifted.z, path["loss"])
    assert fig.data[2].z[0] == 0.0            # nearest grid value at the origin
    assert fig.data[3].z[0] == 1.75           # an explicit value wins


def test_line_figure_has_one_trace_per_series_and_log_axis():
    fig = figures.line_figure([{"x": [0, 1], "y": [1, 0.1], "label": "a"}, {"x": [0, 1], "y": [2, 1], "label": "b"}],
                              ytitle="loss", log_y=True)
    assert [t.name for t in fig.data] == ["a", "b"] and fig.layout.yaxis.type == "log"


def test_axes_names_reach_titles_colour_bar_and_hover():
    fig = figures.contour_figure(XS, YS, Z, markers=[(0, 0, "minimum", "m")], log_levels=False, axes=("u", "v"))
    assert fig.data[0].colorbar.title.text == "f(u, v)"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("u", "v")
    assert "u=%{x" in fig.data[0].hovertemplate and "v=%{y" in fig.data[1].hovertemplate
    assert figures.contour_figure(XS, YS, Z, log_levels=False).data[0].colorbar.title.text == "f(x, y)"
