"""The view a first visitor sees: the Compare page's defaults, in one place, for the page and for the warm-up
(`components.warmup`) that computes it before anyone asks."""

SURFACE = "elongated_valley"
"""The default surface."""
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
"""The optimizers the Compare page opens with."""
SCRUB = "learning_rate"
"""The live scrub the Compare page opens with ("learning_rate" for η, or "off").  On (issue 28): the 20-user load
test with it gave p95 0.46-1.05 s and grew +2 to +30 MB in its measured minute (bound 50 MB), once a rerun's scrub
data went as one array per optimizer and series and a run's ends were classified in one evaluation.  The warm-up
compiles the default view's scrub after readiness (`components.warmup`)."""
EXPRESSION = "x**2 - y**2 + 0.1*x**4 + 0.1*y**4"
"""The formula "Type your own…" opens with: a saddle at the origin and minima at (0, ±√5), all inside the ±3 box
(with 0.05 y⁴ the minima sat at (0, ±3.16), outside it, and runs "converged to a minimum" off the map)."""
