"""The Explore page's parts: `compute` (grids, events, local geometry), `words` (what the page writes), `figures`."""
