"""The information plane of a bottleneck: I(T;Y) against I(X;T)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from .._information_curve import information_curve
from ..bottleneck import default_betas, gaussian_curve
from ._base import (
    check_matplotlib_support,
    drawn_step,
    merged_kw,
    new_or_given_axes,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from sklearn.pipeline import Pipeline

    from .._information_bottleneck import InformationBottleneck

__all__ = ["InformationPlaneDisplay"]


def _gaussian_betas(eigenvalues, beta, n_betas):
    """A grid covering the critical betas and the fitted beta (and twice it)."""
    betas = default_betas(eigenvalues, n_betas)
    if 2.0 * beta > betas[-1]:
        betas = np.concatenate([betas, np.geomspace(betas[-1], 2.0 * beta, n_betas)])
    return np.unique(np.concatenate([betas, [beta]]))


class InformationPlaneDisplay:
    """Information plane of an information bottleneck.

    The information curve traced by the optimal bottleneck as `beta` grows,
    ``I(T; Y)`` (what the representation keeps about the target) against
    ``I(X; T)`` (what it keeps about the input), both in nats; the fitted
    bottleneck as a point on it; the critical betas, where a new component
    becomes active and the curve bends, as markers; and the limit
    ``I(X; Y)`` that ``I(T; Y)`` approaches as a horizontal line.

    The Gaussian bottleneck's values are those of the Gaussian model of the
    data (`gaussian_model`): for a categorical target they treat the class
    indicators as Gaussian and are not the Shannon information of the class
    variable (they may exceed its entropy ``H(Y)``), so its axes and limit
    are labelled "Gaussian-model" and no Shannon quantity is drawn with
    them. The discrete methods' values are plug-in Shannon information of
    the (discretised) data, at most ``H(Y)``.

    Use :meth:`from_estimator` to create a display from a fitted
    :class:`~skmi.InformationBottleneck`, or from a fitted
    :class:`~sklearn.pipeline.Pipeline` with one; the constructor only stores
    the data, and :meth:`plot` draws it.

    Parameters
    ----------
    information_xt : array-like of shape (n_betas,)
        ``I(X; T)`` along the curve, in nats.
    information_ty : array-like of shape (n_betas,)
        ``I(T; Y)`` along the curve, in nats.
    betas : array-like of shape (n_betas,), default=None
        The betas of the curve's points (stored, not drawn).
    fitted_point : tuple of two floats, default=None
        ``(I(X; T), I(T; Y))`` of the fitted bottleneck. None draws no point.
    fitted_beta : float, default=None
        The fitted beta, for the legend.
    critical_betas : array-like of shape (n_critical,), default=None
        The critical betas (non-finite values are skipped).
    critical_points : array-like of shape (n_critical, 2), default=None
        ``(I(X; T), I(T; Y))`` on the curve at each critical beta. None
        interpolates them on the curve at `critical_betas` (which requires
        `betas`).
    information_xy : float, default=None
        ``I(X; Y)`` in nats, drawn as a horizontal line when finite.

    gaussian_model : bool, default=False
        Whether the values are the Gaussian model's information (the
        Gaussian bottleneck): the axes and the limit are then labelled
        "Gaussian-model".

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the information plane.
    figure_ : matplotlib Figure
        Figure containing the axes.
    line_ : matplotlib Line2D
        The information curve.
    point_ : matplotlib Line2D or None
        The fitted bottleneck.
    critical_points_ : matplotlib Line2D or None
        Markers at the critical betas.
    critical_labels_ : list of matplotlib Text
        The labels ``beta = ...`` next to the critical markers.
    asymptote_ : matplotlib Line2D or None
        The horizontal line at `information_xy`.

    See Also
    --------
    skmi.InformationBottleneck : The bottleneck whose curve is drawn.
    skmi.information_curve : The curve over any range of beta.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_wine
    >>> from skmi import InformationBottleneck
    >>> from skmi.plotting import InformationPlaneDisplay
    >>> X, y = load_wine(return_X_y=True)
    >>> ib = InformationBottleneck(n_components=2, beta=5.0).fit(X, y)
    >>> display = InformationPlaneDisplay.from_estimator(ib)
    >>> len(display.critical_labels_)
    2
    >>> display.point_.get_xydata()[0] == (ib.information_xt_, ib.information_ty_)
    array([ True,  True])
    >>> plt.close(display.figure_)
    """

    def __init__(
        self,
        *,
        information_xt: ArrayLike,
        information_ty: ArrayLike,
        betas: ArrayLike | None = None,
        fitted_point: tuple[float, float] | None = None,
        fitted_beta: float | None = None,
        critical_betas: ArrayLike | None = None,
        critical_points: ArrayLike | None = None,
        information_xy: float | None = None,
        gaussian_model: bool = False,
    ) -> None:
        self.information_xt = information_xt
        self.information_ty = information_ty
        self.betas = betas
        self.fitted_point = fitted_point
        self.fitted_beta = fitted_beta
        self.critical_betas = critical_betas
        self.critical_points = critical_points
        self.information_xy = information_xy
        self.gaussian_model = gaussian_model

    def _critical(self, xt, ty):
        """Finite critical betas and their points on the curve."""
        if self.critical_betas is None:
            return np.empty(0), np.empty((0, 2))
        crit = np.asarray(self.critical_betas, dtype=float).ravel()
        finite = np.isfinite(crit)
        if self.critical_points is not None:
            points = np.asarray(self.critical_points, dtype=float).reshape(-1, 2)
            if points.shape[0] != crit.shape[0]:
                raise ValueError(
                    "critical_points must have one row per critical beta "
                    f"({crit.shape[0]}); got shape {points.shape}."
                )
            return crit[finite], points[finite]
        if self.betas is None:
            raise ValueError(
                "critical_points or betas is needed to place the critical betas "
                "on the curve."
            )
        betas = np.asarray(self.betas, dtype=float).ravel()
        order = np.argsort(betas)
        crit = crit[finite]
        points = np.column_stack(
            [
                np.interp(crit, betas[order], xt[order]),
                np.interp(crit, betas[order], ty[order]),
            ]
        )
        return crit, points

    def plot(
        self,
        ax: Axes | None = None,
        *,
        line_kw: dict[str, Any] | None = None,
        point_kw: dict[str, Any] | None = None,
        critical_kw: dict[str, Any] | None = None,
        asymptote_kw: dict[str, Any] | None = None,
        legend: bool = True,
    ) -> InformationPlaneDisplay:
        """Draw the information plane.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw into. None creates a new figure.
        line_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            curve.
        point_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            fitted point.
        critical_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.plot` for the
            critical markers.
        asymptote_kw : dict, default=None
            Keyword arguments of :meth:`matplotlib.axes.Axes.axhline` for the
            line at ``I(X; Y)``.
        legend : bool, default=True
            Whether to draw a legend.

        Returns
        -------
        display : InformationPlaneDisplay
            Object that stores the drawn artists.
        """
        name = f"{type(self).__name__}.plot"
        check_matplotlib_support(name)
        xt = np.asarray(self.information_xt, dtype=float).ravel()
        ty = np.asarray(self.information_ty, dtype=float).ravel()
        if xt.shape != ty.shape:
            raise ValueError(
                "information_xt and information_ty must have the same shape; got "
                f"{xt.shape} and {ty.shape}."
            )
        crit, points = self._critical(xt, ty)
        ax = new_or_given_axes(ax, name)
        model = "Gaussian-model " if self.gaussian_model else ""
        line_kw = merged_kw({"color": "C0", "label": "information curve"}, line_kw)
        (self.line_,) = ax.plot(xt, ty, **line_kw)

        self.asymptote_ = None
        if self.information_xy is not None and np.isfinite(self.information_xy):
            value = float(self.information_xy)
            asymptote_kw = merged_kw(
                {
                    "color": "0.4",
                    "linestyle": "--",
                    "linewidth": 1,
                    "label": f"{model}I(X;Y) = {value:.3g}",
                },
                asymptote_kw,
            )
            self.asymptote_ = ax.axhline(value, **asymptote_kw)

        self.critical_points_ = None
        self.critical_labels_ = []
        if crit.size:
            critical_kw = merged_kw(
                {
                    "linestyle": "none",
                    "marker": "D",
                    "markersize": 6,
                    "color": "C1",
                    "label": "critical betas",
                },
                critical_kw,
            )
            (self.critical_points_,) = ax.plot(
                points[:, 0], points[:, 1], **critical_kw
            )
            for b, (x, y) in zip(crit, points, strict=True):
                self.critical_labels_.append(
                    ax.annotate(
                        f"β = {b:.3g}",
                        (x, y),
                        xytext=(7, -4),
                        textcoords="offset points",
                        verticalalignment="top",
                        fontsize="small",
                        color=self.critical_points_.get_color(),
                    )
                )

        self.point_ = None
        if self.fitted_point is not None:
            label = "fitted"
            if self.fitted_beta is not None:
                label = f"fitted (β = {self.fitted_beta:.3g})"
            point_kw = merged_kw(
                {
                    "linestyle": "none",
                    "marker": "o",
                    "markersize": 8,
                    "color": "C3",
                    "zorder": 3,
                    "label": label,
                },
                point_kw,
            )
            fx, fy = (float(v) for v in self.fitted_point)
            (self.point_,) = ax.plot([fx], [fy], **point_kw)

        ax.set_xlabel(f"{model}I(X;T) (nats)")
        ax.set_ylabel(f"{model}I(T;Y) (nats)")
        if legend:
            ax.legend(loc="lower right")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator: InformationBottleneck | Pipeline,
        X: ArrayLike | None = None,
        y: ArrayLike | None = None,
        *,
        betas: ArrayLike | None = None,
        n_betas: int = 100,
        ax: Axes | None = None,
        **kwargs: Any,
    ) -> InformationPlaneDisplay:
        """Draw the information plane of a fitted bottleneck.

        Parameters
        ----------
        estimator : InformationBottleneck or Pipeline
            A fitted bottleneck, or a fitted
            :class:`~sklearn.pipeline.Pipeline` with one (the last bottleneck
            of its steps is drawn). Its ``information_xt_`` and
            ``information_ty_`` give the fitted point.
        X : array-like of shape (n_samples, n_features), default=None
            The training data (of the pipeline, when `estimator` is one: the
            steps before the bottleneck transform it). Not needed by the
            Gaussian method, whose curve follows in closed form from the
            fitted ``eigenvalues_``. Required by the discrete methods, whose
            curve is traced by :func:`skmi.information_curve` (a clone of the
            bottleneck solved at every beta).
        y : array-like of shape (n_samples,), default=None
            The training target, needed with `X` by the discrete methods.
        betas : array-like of shape (n_betas,), default=None
            Values of beta along the curve. None means, for the Gaussian
            method, `n_betas` values from 1 to ten times the largest
            critical beta (and at least twice the fitted beta), plus the
            critical and fitted betas; for the discrete methods the default
            of :func:`skmi.information_curve`.
        n_betas : int, default=100
            Number of betas of the default Gaussian grid.
        ax : matplotlib Axes, default=None
            Axes to draw into. None creates a new figure.
        **kwargs : dict
            Keyword arguments of :meth:`plot`: `line_kw`, `point_kw`,
            `critical_kw`, `asymptote_kw` and `legend`.

        Returns
        -------
        display : InformationPlaneDisplay
            Object that stores the drawn artists.

        Notes
        -----
        For the Gaussian method the critical betas ``1 / (1 - lambda_i)`` of
        the kept components are marked at their exact points on the curve,
        and the line at ``I(X; Y) = -1/2 sum ln(lambda_i)`` is the limit of
        ``I(T; Y)`` as beta grows: the mutual information of `X` and `y`
        under the Gaussian model when the kept components are all those with
        ``lambda_i < 1`` (the default `n_components`), and the part carried
        by the kept components otherwise. These are the Gaussian model's
        values, labelled so (see the class description). The discrete
        methods have no closed-form critical betas or limit, so neither is
        drawn unless the estimator has the fitted attributes
        ``critical_betas_`` (placed on the curve by interpolation in beta) or
        ``information_xy_`` (drawn for the discrete methods only).
        """
        name = f"{cls.__name__}.from_estimator"
        check_matplotlib_support(name)
        pipeline = estimator
        estimator, index, _ = drawn_step(
            estimator,
            name,
            [("information_xt_", "information_ty_")],
            "a fitted information bottleneck (such as skmi.InformationBottleneck)",
        )
        if index and X is not None:
            X = pipeline[:index].transform(X)  # what the bottleneck was fitted on
        fitted_point = (estimator.information_xt_, estimator.information_ty_)
        fitted_beta = getattr(estimator, "beta_", None)
        gaussian = getattr(estimator, "method", None) == "gaussian"
        if gaussian:
            eigenvalues = np.asarray(estimator.eigenvalues_, dtype=float)
            if betas is None:
                betas = _gaussian_betas(eigenvalues, float(estimator.beta_), n_betas)
            betas = np.sort(np.asarray(betas, dtype=float).ravel())
            xt, ty = gaussian_curve(eigenvalues, betas)
            crit = np.asarray(estimator.critical_betas_, dtype=float)
            critical_betas = crit[np.isfinite(crit)]
            points = np.column_stack(gaussian_curve(eigenvalues, critical_betas))
            with np.errstate(divide="ignore"):
                information_xy = float(-0.5 * np.sum(np.log(eigenvalues)))
        else:
            if X is None or y is None:
                raise ValueError(
                    f"{cls.__name__}.from_estimator needs the training data X and "
                    f"y for method={estimator.method!r}: its information curve is "
                    "traced by solving the bottleneck at every beta (only the "
                    "Gaussian curve follows from the fitted attributes)."
                )
            xt, ty, betas = information_curve(estimator, X, y, betas=betas)
            # Placed on the curve by interpolation, when the estimator has them.
            critical_betas = getattr(estimator, "critical_betas_", None)
            points = information_xy = None
        if not gaussian:
            # a fitted (Shannon) I(X;Y), when the estimator provides one; never
            # drawn with the Gaussian model's values
            information_xy = getattr(estimator, "information_xy_", information_xy)
        display = cls(
            information_xt=xt,
            information_ty=ty,
            betas=betas,
            fitted_point=fitted_point,
            fitted_beta=fitted_beta,
            critical_betas=critical_betas,
            critical_points=points,
            information_xy=information_xy,
            gaussian_model=gaussian,
        )
        return display.plot(ax=ax, **kwargs)
