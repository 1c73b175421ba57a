"""What the Lab opens with: the surface, the run length and each section's settings, in one place for the page
(`app_pages/lab.py`) and for the warm-up that compiles its sweeps before anyone asks (`components.warmup.lab`)."""

SURFACE = "elongated_valley"
EXPRESSION = "x**2 + 10*y**2"
"""The formula "Type your own…" opens with."""
STEPS = 500

CURVE_OPTIMIZERS = ("sgd", "momentum", "adam")
CURVE_LO, CURVE_HI, CURVE_POINTS = 1e-3, 10.0, 80
"""The learning-rate curve: η from, η to, and how many log-spaced values."""

PHASE_OPTIMIZER = "momentum"
PHASE_X, PHASE_Y = "learning_rate", "momentum"
"""The phase diagram's axes where the optimizer has them (else its first float hyperparameters)."""
PHASE_SIZE = 40
"""Cells per side of the phase diagram (also the search section's backdrop)."""
SEARCH_BUDGET, SEARCH_SEED = 25, 0

BASIN_OPTIMIZERS = ("sgd", "momentum")
BASIN_SIZE = 100
"""Starts per side of the basin map."""

FAIR_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
FAIR_BUDGET, FAIR_STARTS, FAIR_SEED = 12, 100, 0
"""The fair comparison: η values tried, random starts, seed."""
