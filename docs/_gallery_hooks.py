"""Hooks of the sphinx-gallery configuration (referenced by qualified name)."""

import os
import time

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Seconds an example may run before the build reports it (a warning, so an
#: error under ``sphinx-build -W``). Examples should stay well below half of it.
BUDGET = float(os.environ.get("SKMI_EXAMPLE_TIME_BUDGET", "60"))

_started = {}


def time_budget(gallery_conf, fname, when):
    """Warn when one gallery example runs longer than :data:`BUDGET` seconds."""
    if when == "before":
        _started[fname] = time.perf_counter()
        return
    elapsed = time.perf_counter() - _started.pop(fname, time.perf_counter())
    if elapsed > BUDGET:
        logger.warning(
            "gallery example %s ran %.0f s, over the budget of %.0f s; make it "
            "faster (SKMI_EXAMPLE_TIME_BUDGET sets the budget)",
            fname,
            elapsed,
            BUDGET,
        )
