"""The view a first visitor sees: the Compare page's defaults, in one place, for the page and for the warm-up
(`components.warmup`) that computes it before anyone asks."""

SURFACE = "elongated_valley"
"""The default surface."""
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
"""The optimizers the Compare page opens with."""
