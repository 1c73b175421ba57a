"""The Network page's parts: `compute` (configuration, cached training, slices, spectra), `words`, `figures`."""
