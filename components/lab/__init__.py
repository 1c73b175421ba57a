"""The Lab page's parts: `compute` (the sweeps), `sweeps` (their cached forms), `words`, `figures`."""
