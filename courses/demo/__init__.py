"""Demo content for a realistic Gansu (``seed_demo``): places and people in ``places``, the catalogue in
``catalogue``, the builder in ``builder`` and the province-scale bulk loader in ``bulk``."""
