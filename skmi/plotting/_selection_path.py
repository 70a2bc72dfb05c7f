"""The steps of a greedy forward selection: score when chosen, relevance, stop."""

from __future__ import annotations

from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ._base import (
    check_alpha,
    check_matplotlib_support,
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

__all__ = ["SelectionPathDisplay"]

PVALUE_COLOR = "C3"


class SelectionPathDisplay:
    """Path of a forward selection: the score of each feature when chosen.

    Step ``i`` on the x-axis is labelled with the feature chosen at that
    step. A line shows its criterion score when it was chosen (for most
    criteria, the information it adds to the features already selected);
    bars behind it show its relevance ``I(X_k; Y)`` alone, so redundancy
    (score well below relevance) and synergy (score above relevance) stand
    out. A vertical line marks where the selection stopped, and the
    p-values of the stopping test, when available, are drawn on a
    secondary logarithmic axis with the level `alpha`.

    Use :meth:`from_estimator` to create a display from a fitted
    :class:`~skmi.ConditionalMutualInfoSelector`, or from a fitted
    :class:`~sklearn.pipeline.Pipeline` with one; the constructor only
    stores the data, and :meth:`plot` draws it.

    Parameters
    ----------
    selection_order : array-like of shape (n_steps,)
        Column index of the feature chosen at each step.
    scores : array-like of shape (n_steps,)
        Criterion score of each chosen feature at its step.
    relevance : array-like of shape (n_features,), default=None
        ``I(X_k; Y)`` of every feature, in nats (indexed by column). None
        draws no bars.
    feature_names : array-like of shape (n_features,), default=None
        Names of the features. None means ``x0, x1, ...``.
    pvalues : array-like of shape (n_steps,), default=None
        The p-value of the stopping test at each step. None draws no secondary
        axis.
    n_selected : int, default=None
        Number of features selected; the stop is marked after that step.
        None means `n_steps`. A smaller value lets the path show steps that
        were evaluated but rejected.
    criterion : str, default=None
        Name of the criterion, for the legend.
    alpha : float, default=None
        Level of the stopping test, drawn on the p-value axis when given.
    tol : float, default=None
        Score threshold of the stopping rule, drawn when given.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the scores and relevance.
    figure_ : matplotlib Figure
        Figure containing the axes.
    line_ : matplotlib Line2D
        The scores, at x = 1, 2, ..., `n_steps`.
    relevance_bars_ : matplotlib BarContainer or None
        The relevance of each chosen feature, in the order of the steps.
    stop_line_ : matplotlib Line2D
        Vertical line at ``n_selected + 0.5``.
    tol_line_ : matplotlib Line2D or None
        Horizontal line at `tol`.
    ax_pvalues_ : matplotlib Axes or None
        Secondary axes (logarithmic) with the p-values.
    pvalues_line_ : matplotlib Line2D or None
        The p-values, at x = 1, 2, ..., `n_steps`.
    alpha_line_ : matplotlib Line2D or None
        Horizontal line at `alpha` on the p-value axes.

    See Also
    --------
    skmi.ConditionalMutualInfoSelector : The selector whose path is drawn.
    MutualInfoRankingDisplay : The marginal ranking of all features.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from skmi import ConditionalMutualInfoSelector
    >>> from skmi.estimators import PlugIn
    >>> from skmi.plotting import SelectionPathDisplay
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randint(0, 2, size=(500, 4))
    >>> y = X[:, 0] ^ X[:, 1]
    >>> selector = ConditionalMutualInfoSelector(
    ...     2, estimator=PlugIn(), discrete_features=True
    ... ).fit(X, y)
    >>> display = SelectionPathDisplay.from_estimator(selector)
    >>> display.line_.get_ydata().round(2)
    array([0.  , 0.69])
    >>> plt.close(display.figure_)
    """

    def __init__(
        self,
        *,
        selection_order: ArrayLike,
        scores: ArrayLike,
        relevance: ArrayLike | None = None,
        feature_names: ArrayLike | None = None,
        pvalues: ArrayLike | None = None,
        n_selected: int | None = None,
        criterion: str | None = None,
        alpha: float | None = None,
        tol: float | None = None,
    ) -> None:
        self.selection_order = selection_order
        self.scores = scores
        self.relevance = relevance
        self.feature_names = feature_names
        self.pvalues = pvalues
        self.n_selected = n_selected
        self.criterion = criterion
        self.alpha = alpha
        self.tol = tol

    def _checked_data(self):
        order = np.asarray(self.selection_order, dtype=np.intp).ravel()
        scores = np.asarray(self.scores, dtype=float).ravel()
        n_steps = order.shape[0]
        if scores.shape != (n_steps,):
            raise ValueError(
                f"scores must have one entry per step ({n_steps}); got shape "
                f"{scores.shape}."
            )
        pvalues = None
        if self.pvalues is not None:
            pvalues = np.asarray(self.pvalues, dtype=float).ravel()
            if pvalues.shape != (n_steps,):
                raise ValueError(
                    f"pvalues must have one entry per step ({n_steps}); got shape "
                    f"{pvalues.shape}."
                )
        n_features = int(order.max()) + 1 if n_steps else 0
        relevance = None
        if self.relevance is not None:
            relevance = np.asarray(self.relevance, dtype=float).ravel()
            n_features = max(n_features, relevance.shape[0])
        names = (
            feature_names(None, n_features)
            if self.feature_names is None
            else np.asarray(self.feature_names, dtype=object)
        )
        n_selected = n_steps if self.n_selected is None else int(self.n_selected)
        if not 0 <= n_selected <= n_steps:
            raise ValueError(
                f"n_selected must be between 0 and the number of steps ({n_steps}); "
                f"got n_selected={self.n_selected!r}."
            )
        return order, scores, relevance, names, pvalues, n_selected

    def plot(
        self,
        ax: Axes | None = None,
        *,
        line_kw: dict[str, Any] | None = None,
        relevance_kw: dict[str, Any] | None = None,
        pvalues_kw: dict[str, Any] | None = None,
        stop_kw: dict[str, Any] | None = None,
        legend: bool = True,
    ) -> SelectionPathDisplay:
        """Draw the selection path.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw into. None creates a new figure. The p-values, when
            drawn, go to a twin of these axes.
        line_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            scores.
        relevance_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.bar` for the
            relevance bars.
        pvalues_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            p-values.
        stop_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.axvline` for the
            stop.
        legend : bool, default=True
            Whether to draw a legend.

        Returns
        -------
        display : SelectionPathDisplay
            Object that stores the drawn artists.
        """
        name = f"{type(self).__name__}.plot"
        check_matplotlib_support(name)
        order, scores, relevance, names, pvalues, n_selected = self._checked_data()
        n_steps = order.shape[0]
        ax = new_or_given_axes(ax, name, figsize=(max(6.4, 0.7 * n_steps + 2), 4.8))
        steps = np.arange(1, n_steps + 1)
        handles = []

        self.relevance_bars_ = None
        if relevance is not None:
            relevance_kw = merged_kw(
                {"width": 0.6, "color": "0.8", "label": "relevance I(X_k; Y)"},
                relevance_kw,
            )
            self.relevance_bars_ = ax.bar(steps, relevance[order], **relevance_kw)
            handles.append(self.relevance_bars_)

        criterion = "criterion" if self.criterion is None else str(self.criterion)
        line_kw = merged_kw(
            {"marker": "o", "color": "C0", "label": f"{criterion} score when chosen"},
            line_kw,
        )
        (self.line_,) = ax.plot(steps, scores, **line_kw)
        handles.append(self.line_)
        ax.axhline(0.0, color="black", linewidth=0.8)

        self.tol_line_ = None
        if isinstance(self.tol, Real):
            self.tol_line_ = ax.axhline(
                float(self.tol),
                color="C2",
                linestyle=":",
                label=f"tol = {self.tol:g}",
            )
            handles.append(self.tol_line_)

        stop_kw = merged_kw(
            {
                "color": "black",
                "linestyle": "--",
                "linewidth": 1,
                "label": f"stop ({n_selected} selected)",
            },
            stop_kw,
        )
        self.stop_line_ = ax.axvline(n_selected + 0.5, **stop_kw)
        handles.append(self.stop_line_)

        self._plot_pvalues(ax, steps, pvalues, pvalues_kw, handles)

        labels = [f"{i}. {names[k]}" for i, k in zip(steps, order, strict=True)]
        ax.set_xticks(steps, labels=labels, rotation=45, ha="right")
        ax.set_xlim(0.4, max(n_steps, n_selected) + 0.9)
        ax.set_xlabel("feature chosen at each step")
        # DISR scores are ratios; every other criterion is in nats.
        ax.set_ylabel("score" if criterion == "disr" else "information (nats)")
        if legend:
            legend_above(ax, handles, ncols=2)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    def _plot_pvalues(self, ax, steps, pvalues, pvalues_kw, handles):
        """Draw the p-values on a logarithmic twin axis (when there are any)."""
        self.ax_pvalues_ = self.pvalues_line_ = self.alpha_line_ = None
        if pvalues is None:
            return
        twin = ax.twinx()
        pvalues_kw = merged_kw(
            {
                "marker": "s",
                "linestyle": "none",
                "color": PVALUE_COLOR,
                "label": "p-value (right axis)",
            },
            pvalues_kw,
        )
        (self.pvalues_line_,) = twin.plot(steps, pvalues, **pvalues_kw)
        handles.append(self.pvalues_line_)
        lowest = float(np.nanmin(pvalues, initial=1.0))
        if self.alpha is not None:
            alpha = check_alpha(self.alpha)
            lowest = min(lowest, alpha)
            self.alpha_line_ = twin.axhline(
                alpha,
                color=PVALUE_COLOR,
                linestyle=":",
                linewidth=1,
                label=f"alpha = {alpha:g}",
            )
            handles.append(self.alpha_line_)
        twin.set_yscale("log")
        twin.set_ylim(lowest / 3.0, 1.5)
        twin.set_ylabel("p-value of the stopping test", color=PVALUE_COLOR)
        twin.tick_params(axis="y", colors=PVALUE_COLOR)
        self.ax_pvalues_ = twin

    @classmethod
    def from_estimator(
        cls,
        estimator: ConditionalMutualInfoSelector | Pipeline,
        *,
        ax: Axes | None = None,
        **kwargs: Any,
    ) -> SelectionPathDisplay:
        """Draw the path of a fitted forward selector.

        Parameters
        ----------
        estimator : ConditionalMutualInfoSelector or Pipeline
            A fitted selector, or a fitted
            :class:`~sklearn.pipeline.Pipeline` with one (the last forward
            selector of its steps is drawn, and the names are those of the
            features coming out of the steps before it). Its
            ``selection_order_``, ``conditional_gains_``, ``relevance_``,
            ``n_features_to_select_``, ``pvalues_`` (with its `alpha`, for
            ``n_features_to_select="auto"``) and `tol` (when it decided the
            stop) are drawn.
        ax : matplotlib Axes, default=None
            Axes to draw into. None creates a new figure.
        **kwargs : dict
            Keyword arguments of :meth:`plot`: `line_kw`, `relevance_kw`,
            `pvalues_kw`, `stop_kw` and `legend`.

        Returns
        -------
        display : SelectionPathDisplay
            Object that stores the drawn artists.
        """
        name = f"{cls.__name__}.from_estimator"
        check_matplotlib_support(name)
        estimator, _, names = drawn_step(
            estimator,
            name,
            [("selection_order_", "conditional_gains_", "relevance_")],
            "a fitted forward selector (such as skmi.ConditionalMutualInfoSelector)",
        )
        relevance = np.asarray(estimator.relevance_, dtype=float)
        pvalues = getattr(estimator, "pvalues_", None)
        auto = getattr(estimator, "n_features_to_select", None) == "auto"
        tol = getattr(estimator, "tol", None)
        display = cls(
            selection_order=estimator.selection_order_,
            scores=estimator.conditional_gains_,
            relevance=relevance,
            feature_names=(
                feature_names(estimator, relevance.shape[0]) if names is None else names
            ),
            pvalues=pvalues,
            n_selected=getattr(estimator, "n_features_to_select_", None),
            criterion=getattr(estimator, "criterion", None),
            alpha=getattr(estimator, "alpha", None) if pvalues is not None else None,
            tol=tol if auto else None,
        )
        return display.plot(ax=ax, **kwargs)
