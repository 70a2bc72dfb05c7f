"""Plots of fitted skmi estimators (requires matplotlib, the ``plot`` extra).

Each display follows scikit-learn's visualisation API: ``from_estimator``
draws a fitted estimator, the constructor stores plain data for ``plot``, and
the drawn artists are kept as attributes ending in ``_`` (``ax_``,
``figure_``, ...). matplotlib is imported only when something is drawn;
install it with ``pip install "skmi[plot]"``.
"""

from ._information_plane import InformationPlaneDisplay
from ._ranking import MutualInfoRankingDisplay
from ._selection_path import SelectionPathDisplay

__all__ = [
    "InformationPlaneDisplay",
    "MutualInfoRankingDisplay",
    "SelectionPathDisplay",
]
