"""Bar chart of the marginal mutual information of each feature."""

from __future__ import annotations

from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ._base import (
    check_alpha,
    check_matplotlib_support,
    check_positive_int,
    drawn_step,
    feature_names,
    legend_above,
    merged_kw,
    new_or_given_axes,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from sklearn.pipeline import Pipeline

    from .._conditional_selector import ConditionalMutualInfoSelector
    from .._mutual_info_selector import MutualInfoSelector

__all__ = ["MutualInfoRankingDisplay"]

SELECTED_COLOR = "C0"
UNSELECTED_COLOR = "0.75"


class MutualInfoRankingDisplay:
    """Ranking of the features by their mutual information with the target.

    Horizontal bars of the scores, highest at the top; the selected features
    are highlighted and the significant ones (p-value below `alpha`) are
    marked with a star when p-values are available.

    Use :meth:`from_estimator` to create a display from a fitted
    :class:`~skmi.MutualInfoSelector` (its scores) or
    :class:`~skmi.ConditionalMutualInfoSelector` (its marginal relevance), or
    from a fitted :class:`~sklearn.pipeline.Pipeline` with one; the
    constructor only stores the data, and :meth:`plot` draws it.

    Parameters
    ----------
    scores : array-like of shape (n_features,)
        Mutual information of each feature with the target, in nats.
    feature_names : array-like of shape (n_features,), default=None
        Names of the features. None means ``x0, x1, ...``.
    support : array-like of shape (n_features,), default=None
        Boolean mask of the selected features. None highlights nothing.
    pvalues : array-like of shape (n_features,), default=None
        The p-values of the independence of each feature and the target. None
        marks nothing.
    threshold : float, default=None
        A score threshold, drawn as a vertical line when given.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the bars.
    figure_ : matplotlib Figure
        Figure containing the bars.
    bars_ : matplotlib BarContainer
        The bars, from the highest score (top) to the lowest.
    indices_ : ndarray of shape (n_bars,)
        Column index of the feature of each bar, in the order of `bars_`.
    significance_ : matplotlib Line2D or None
        Star markers next to the bars of the significant features, or None
        when there are no p-values.
    threshold_line_ : matplotlib Line2D or None
        The vertical line at `threshold`, or None.

    See Also
    --------
    skmi.MutualInfoSelector : The selector whose scores are drawn.
    SelectionPathDisplay : The steps of a forward selection.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import make_classification
    >>> from skmi import MutualInfoSelector
    >>> from skmi.plotting import MutualInfoRankingDisplay
    >>> X, y = make_classification(
    ...     n_samples=200, n_features=6, n_informative=2, n_redundant=0,
    ...     shuffle=False, random_state=0
    ... )
    >>> selector = MutualInfoSelector(k=2, random_state=0).fit(X, y)
    >>> display = MutualInfoRankingDisplay.from_estimator(selector)
    >>> sorted(display.indices_[:2].tolist())  # the two informative columns
    [0, 1]
    >>> display.ax_.get_xlabel()
    'mutual information (nats)'
    >>> plt.close(display.figure_)
    """

    def __init__(
        self,
        *,
        scores: ArrayLike,
        feature_names: ArrayLike | None = None,
        support: ArrayLike | None = None,
        pvalues: ArrayLike | None = None,
        threshold: float | None = None,
    ) -> None:
        self.scores = scores
        self.feature_names = feature_names
        self.support = support
        self.pvalues = pvalues
        self.threshold = threshold

    def plot(
        self,
        ax: Axes | None = None,
        *,
        max_features: int = 20,
        alpha: float = 0.05,
        bar_kw: dict[str, Any] | None = None,
        significance_kw: dict[str, Any] | None = None,
        legend: bool = True,
    ) -> MutualInfoRankingDisplay:
        """Draw the ranking.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw into. None creates a new figure.
        max_features : int, default=20
            Number of features drawn, the best first. None draws all.
        alpha : float, default=0.05
            Significance level: features with a p-value below `alpha` get a
            star.
        bar_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.barh`. A
            ``"color"`` entry colours every bar alike; otherwise the selected
            features are coloured ``"C0"`` and the others grey.
        significance_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            star markers.
        legend : bool, default=True
            Whether to draw a legend (when there is something to explain).

        Returns
        -------
        display : MutualInfoRankingDisplay
            Object that stores the drawn artists.
        """
        name = f"{type(self).__name__}.plot"
        check_matplotlib_support(name)
        from matplotlib.patches import Patch

        max_features = check_positive_int(max_features, "max_features")
        alpha = check_alpha(alpha)
        scores = np.asarray(self.scores, dtype=float).ravel()
        n_features = scores.shape[0]
        names = (
            feature_names(None, n_features)
            if self.feature_names is None
            else np.asarray(self.feature_names, dtype=object)
        )
        support = None if self.support is None else np.asarray(self.support, bool)
        pvalues = None if self.pvalues is None else np.asarray(self.pvalues, float)
        for label, values in (
            ("feature_names", names),
            ("support", support),
            ("pvalues", pvalues),
        ):
            if values is not None and values.shape != (n_features,):
                raise ValueError(
                    f"{label} must have one entry per score ({n_features}); got "
                    f"shape {values.shape}."
                )

        order = np.argsort(-scores, kind="stable")[:max_features]
        n_bars = order.shape[0]
        ax = new_or_given_axes(ax, name, figsize=(6.4, 1.5 + 0.32 * n_bars))
        positions = np.arange(n_bars)[::-1]  # best at the top
        widths = scores[order]

        bar_kw = merged_kw({"height": 0.7}, bar_kw)
        handles = []
        if "color" not in bar_kw and support is not None:
            chosen = support[order]
            bar_kw["color"] = np.where(chosen, SELECTED_COLOR, UNSELECTED_COLOR)
            if chosen.any():
                handles.append(Patch(color=SELECTED_COLOR, label="selected"))
            if not chosen.all():
                handles.append(Patch(color=UNSELECTED_COLOR, label="not selected"))
        self.bars_ = ax.barh(positions, widths, **bar_kw)
        self.indices_ = order

        self.significance_ = None
        if pvalues is not None:
            significant = pvalues[order] < alpha
            pad = 0.02 * max(float(np.max(widths, initial=0.0)), 1e-12)
            significance_kw = merged_kw(
                {
                    "linestyle": "none",
                    "marker": "*",
                    "markersize": 9,
                    "color": "black",
                    "label": f"p < {alpha:g}",
                },
                significance_kw,
            )
            (self.significance_,) = ax.plot(
                widths[significant] + pad, positions[significant], **significance_kw
            )
            handles.append(self.significance_)

        self.threshold_line_ = None
        if isinstance(self.threshold, Real):
            self.threshold_line_ = ax.axvline(
                float(self.threshold),
                color="C3",
                linestyle="--",
                linewidth=1,
                label=f"threshold = {self.threshold:g}",
            )
            handles.append(self.threshold_line_)

        ax.set_yticks(positions, labels=[str(n) for n in names[order]])
        ax.set_ylim(-0.6, n_bars - 0.4)
        ax.set_xlabel("mutual information (nats)")
        # unclipped estimates (a forward selector's relevance_) can be negative
        ax.set_xlim(left=min(0.0, float(np.min(widths, initial=0.0))))
        if legend and handles:
            legend_above(ax, handles, ncols=4)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator: MutualInfoSelector | ConditionalMutualInfoSelector | Pipeline,
        *,
        ax: Axes | None = None,
        **kwargs: Any,
    ) -> MutualInfoRankingDisplay:
        """Draw the ranking of a fitted selector.

        Parameters
        ----------
        estimator : MutualInfoSelector, ConditionalMutualInfoSelector or Pipeline
            A fitted selector, or a fitted
            :class:`~sklearn.pipeline.Pipeline` with one (the last skmi
            selector of its steps is drawn). The scores of a
            :class:`~skmi.MutualInfoSelector` are its ``scores_`` with their
            ``pvalues_`` (when not None) and its numeric ``threshold`` (when
            set); those of a :class:`~skmi.ConditionalMutualInfoSelector` are
            its ``relevance_``, the marginal ``I(X_k; Y)``, without
            p-values (its ``pvalues_`` are those of the selection steps).
            ``get_support()`` gives the selected features. The names are the
            ``feature_names_in_`` of the selector or, in a pipeline, the
            names of the features coming out of the steps before it (``x0,
            x1, ...`` when they have none). Any other fitted scikit-learn
            selector with ``scores_`` is accepted on its own, but the axis
            says nats.
        ax : matplotlib Axes, default=None
            Axes to draw into. None creates a new figure.
        **kwargs : dict
            Keyword arguments of :meth:`plot`: `max_features`, `alpha`,
            `bar_kw`, `significance_kw` and `legend`.

        Returns
        -------
        display : MutualInfoRankingDisplay
            Object that stores the drawn artists.
        """
        name = f"{cls.__name__}.from_estimator"
        check_matplotlib_support(name)
        estimator, _, names = drawn_step(
            estimator,
            name,
            [("scores_",), ("relevance_",)],
            "a fitted selector (such as skmi.MutualInfoSelector or "
            "skmi.ConditionalMutualInfoSelector)",
        )
        if hasattr(estimator, "scores_"):
            scores, pvalues = estimator.scores_, getattr(estimator, "pvalues_", None)
        else:  # a forward selector: its marginal relevance, no step p-values
            scores, pvalues = estimator.relevance_, None
        scores = np.asarray(scores, dtype=float)
        support = estimator.get_support() if hasattr(estimator, "get_support") else None
        threshold = getattr(estimator, "threshold", None)
        display = cls(
            scores=scores,
            feature_names=(
                feature_names(estimator, scores.shape[0]) if names is None else names
            ),
            support=support,
            pvalues=pvalues,
            threshold=threshold if isinstance(threshold, Real) else None,
        )
        return display.plot(ax=ax, **kwargs)
