"""The optimizers' colours stay apart for colour-blind readers (issue 31).

Checked the way such a reader sees them: each colour of `components.figures.PALETTE` goes through the simulation of
dichromatic vision of Machado, Oliveira & Fernandes (2009), and every two are compared by CIEDE2000 (Sharma, Wu &
Dalal 2005).  Both are implemented here from the papers (not taken from the code under test, which has neither) and
checked against their published numbers first.

The threshold: ΔE00 >= 10 between every two colours, for normal vision, deuteranopia, protanopia and tritanopia
(severity 1.0, the complete loss of one cone type: the hardest case).  About 1 is a just-noticeable difference between
large patches side by side; thin paths crossing a shaded map need far more, and 10 is where two lines are told apart
at a glance.  Plotly's default colours, which the app used before, fail it by far: their orange and green are 1.25
apart for a protanope.  The palette's closest pair is 10.87 (orange and reddish purple, for a tritanope).

References: G. M. Machado, M. M. Oliveira, L. A. F. Fernandes, "A Physiologically-based Model for Simulation of Color
Vision Deficiency", IEEE TVCG 15(6):1291-1298, 2009 (the matrices of their table for severity 1.0, applied to linear
RGB).  G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 color-difference formula: implementation notes, supplementary
test data, and mathematical observations", Color Research & Application 30(1):21-30, 2005 (Table 1, 34 pairs).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from components import figures
from optimizers import catalog

THRESHOLD = 10.0
MACHADO_2009 = {  # severity 1.0, on linear RGB
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
VISIONS = {"normal": np.eye(3), **MACHADO_2009}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],   # IEC 61966-2-1, D65
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
WHITE = SRGB_TO_XYZ @ np.ones(3)

# Sharma, Wu & Dalal (2005), Table 1: (L*, a*, b*) of each pair and ΔE00 to 4 decimals.
SHARMA_2005 = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


def ciede2000(lab1, lab2) -> float:
    """ΔE00 (kL = kC = kH = 1), Sharma et al. 2005, equations (1)-(22), hue angles in degrees."""
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = L2 - L1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    else:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    d_big_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh) / 2)
    l_mean, cp_mean = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25.0**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_big_h / s_h) ** 2 + r_t * (dc / s_c) * (d_big_h / s_h))


def linear_rgb(colour: str) -> np.ndarray:
    """'#rrggbb' -> linear RGB in [0, 1] (the sRGB transfer function inverted, IEC 61966-2-1)."""
    c = np.array([int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear: np.ndarray) -> tuple[float, float, float]:
    """Linear RGB -> CIELAB (D65 white)."""
    t = SRGB_TO_XYZ @ np.clip(rgb_linear, 0.0, 1.0) / WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def seen(colour: str, vision: str) -> tuple[float, float, float]:
    """The colour as a reader with ``vision`` sees it, in CIELAB."""
    return lab(VISIONS[vision] @ linear_rgb(colour))


def too_close(colours) -> list[tuple[str, str, str, float]]:
    """(vision, colour, colour, ΔE00) for every pair of ``colours`` closer than THRESHOLD for some vision."""
    return [(vision, a, b, round(d, 2)) for vision in VISIONS for a, b in itertools.combinations(colours, 2)
            if (d := ciede2000(seen(a, vision), seen(b, vision))) < THRESHOLD]


# ------------------------------------------------------------------------------------------------ the instruments
@pytest.mark.parametrize("lab1, lab2, expected", SHARMA_2005, ids=[f"pair{i}" for i in range(1, 35)])
def test_ciede2000_reproduces_the_published_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)  # published to 4 decimals
    assert ciede2000(lab2, lab1) == pytest.approx(ciede2000(lab1, lab2), abs=1e-12)


def test_the_simulation_keeps_white_and_greys_and_a_dichromat_sees_a_plane():
    for vision, m in MACHADO_2009.items():
        for grey in (0.0, 0.2, 1.0):
            assert m @ np.full(3, grey) == pytest.approx(np.full(3, grey), abs=2e-6), vision
    # Protanopes and deuteranopes lack one of three cone types: what they tell apart is two-dimensional, so the
    # simulation is a projection (rank 2).  Colours along its null direction look alike to them.
    for vision in ("protanopia", "deuteranopia"):
        assert np.linalg.svd(MACHADO_2009[vision], compute_uv=False)[-1] < 1e-6
    # The CIELAB conversion: white is L* = 100, a* = b* = 0; sRGB's pure red is (53.24, 80.09, 67.20).
    assert lab(np.ones(3)) == pytest.approx((100.0, 0.0, 0.0), abs=1e-9)
    assert lab(linear_rgb("#ff0000")) == pytest.approx((53.24, 80.09, 67.20), abs=0.01)


def test_the_check_names_the_pair_plotlys_default_colours_confuse():
    plotly_default = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")  # what the app drew before
    failing = too_close(plotly_default)
    assert ("protanopia", "#ff7f0e", "#2ca02c", 1.25) in failing  # orange and green, almost the same colour
    assert {v for v, *_ in failing} >= {"protanopia", "deuteranopia"}


# ------------------------------------------------------------------------------------------------ the app's colours
def test_every_two_optimizer_colours_stay_apart_for_every_vision():
    assert too_close(figures.PALETTE) == []


def test_a_view_never_shows_two_paths_in_one_colour_or_one_head_shape():
    """Any selection the Compare page allows (up to 8 optimizers, catalog order or not) gets distinct colours, all
    from the checked palette, and distinct head symbols."""
    names = list(catalog.names())
    rng = np.random.default_rng(31)
    views = [names[:8], list(figures.OWN_COLOURS)] + [list(rng.choice(names, size=8, replace=False)) for _ in range(20)]
    for view in views:
        colours = figures.optimizer_colours(view)
        assert len(set(colours.values())) == len(view) and set(colours.values()) <= set(figures.PALETTE), view
        assert len({figures.head_symbol(c) for c in colours.values()}) == len(view), view
