"""Loss surfaces and their analysis, in pure JAX (float64).  Never imports streamlit.

>>> import landscapes
>>> surface = landscapes.get("himmelblau")
>>> [p.kind for p in landscapes.critical_points(surface)].count("saddle")
4
"""

from ._xla import configure as _configure_xla

_configure_xla()  # before JAX starts its backend

import jax  # noqa: E402

# Float64 everywhere: eigenvalues near zero and 1e-10 Hessian checks need it.  Set once, on import.
jax.config.update("jax_enable_x64", True)

from .base import KINDS, Bounds, Claim, Landscape, Minimum, ParamSpec, PointInfo, Preset  # noqa: E402
from .catalog import get, names, parameters, title  # noqa: E402
from .expression import ExpressionError, from_expression  # noqa: E402
from .analysis import Atlas, atlas, classify, critical_points, gradient_check  # noqa: E402
from .family import shared as shared_family  # noqa: E402

__all__ = [
    "KINDS", "Bounds", "Claim", "Landscape", "Minimum", "ParamSpec", "PointInfo", "Preset",
    "get", "names", "parameters", "title",
    "ExpressionError", "from_expression",
    "Atlas", "atlas", "classify", "critical_points", "gradient_check", "shared_family",
]

from .network import network_slice  # noqa: E402

__all__ += ["network_slice"]
