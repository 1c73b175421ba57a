"""The view a first visitor sees: the Compare page's defaults, in one place, for the page and for the warm-up
(`components.warmup`) that computes it before anyone asks."""

SURFACE = "elongated_valley"
"""The default surface.  It runs on programs of its own (`components.cache`), which compile ~4x faster than the
shared all-surfaces family: the first frame waits for them."""
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
"""The optimizers the Compare page opens with."""
