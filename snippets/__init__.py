"""The code behind every page of Why Random Weights.

``snippets/<slug>.py`` holds the experiments, figures and claims of ``docs/<slug>.md``; its tests
are in ``tests/test_<slug>.py``. Importing a module does no work: see :mod:`snippets._registry`.
"""

from snippets._registry import claim, figure, table

__all__ = ["claim", "figure", "table"]
