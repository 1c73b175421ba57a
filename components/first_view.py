"""The view a first visitor sees: the Compare page's defaults, in one place, for the page and for the warm-up
(`components.warmup`) that computes it before anyone asks."""

SURFACE = "elongated_valley"
"""The default surface."""
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
"""The optimizers the Compare page opens with."""
SCRUB = "off"
"""The live scrub the Compare page opens with ("learning_rate" for η, or "off").  η is issue 28's goal.  With it on,
one clean-clone CI run passed and the next failed three timing tests: the load test's growth +69 MB (bound 50; -50 MB
in the run before), a visitor's dropped connection in the cluster test, and the compile-cache test.  So it stays off
until those margins are made.  The warm-up compiles the scrub only when it is on."""
EXPRESSION = "x**2 - y**2 + 0.1*x**4 + 0.1*y**4"
"""The formula "Type your own…" opens with: a saddle at the origin and minima at (0, ±√5), all inside the ±3 box
(with 0.05 y⁴ the minima sat at (0, ±3.16), outside it, and runs "converged to a minimum" off the map)."""
