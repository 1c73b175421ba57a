"""The UI layer's reusable parts: widgets, figure builders, caches and the trajectory player component."""
