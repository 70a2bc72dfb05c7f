"""Helpers shared by the displays: the optional matplotlib import and axes."""

from numbers import Integral, Real

import numpy as np

from .._validation import check_is_fitted

__all__ = [
    "check_alpha",
    "check_matplotlib_support",
    "check_positive_int",
    "drawn_step",
    "feature_names",
    "legend_above",
    "merged_kw",
    "new_or_given_axes",
]

INSTALL_HINT = 'pip install "skmi[plot]"'


def check_matplotlib_support(caller_name):
    """Import and return :mod:`matplotlib.pyplot`, or raise a helpful ImportError.

    matplotlib is an optional dependency of skmi (the ``plot`` extra), so it
    is imported only when something is drawn.

    Parameters
    ----------
    caller_name : str
        Name of the function or method that needs matplotlib, for the message.

    Returns
    -------
    pyplot : module
        :mod:`matplotlib.pyplot`.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{caller_name} requires matplotlib. Install it with "
            f"`{INSTALL_HINT}` (or `pip install matplotlib`)."
        ) from exc
    return plt


def new_or_given_axes(ax, caller_name, figsize=None):
    """The axes to draw into: `ax`, or those of a new figure when `ax` is None.

    A new figure uses the constrained layout, so long tick labels fit.
    """
    plt = check_matplotlib_support(caller_name)
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def merged_kw(defaults, user_kw):
    """``defaults`` updated with the user's keyword arguments (None means none)."""
    out = dict(defaults)
    if user_kw is not None:
        out.update(user_kw)
    return out


def feature_names(estimator, n_features):
    """``feature_names_in_`` of `estimator`, else ``x0, x1, ...``."""
    names = getattr(estimator, "feature_names_in_", None)
    if names is None:
        return np.asarray([f"x{i}" for i in range(n_features)], dtype=object)
    return np.asarray(names, dtype=object)


def _is_skmi(step):
    return type(step).__module__.split(".", 1)[0] == "skmi"


def drawn_step(estimator, caller_name, attributes, kind):
    """The estimator to draw and the names of its input features.

    `estimator` is drawn as it is, unless it is a
    :class:`~sklearn.pipeline.Pipeline`: then the last of its skmi steps that
    has one of the groups of fitted `attributes` is drawn, and its input
    features are those coming out of the steps before it.

    Parameters
    ----------
    estimator : estimator or Pipeline
        What ``from_estimator`` was given, fitted.
    caller_name : str
        The calling method, for the messages.
    attributes : list of tuple of str
        Groups of fitted attributes; the drawn estimator has all the
        attributes of at least one group.
    kind : str
        What the display draws, for the messages (such as "a fitted forward
        selector (such as skmi.ConditionalMutualInfoSelector)").

    Returns
    -------
    step : estimator
        The estimator to draw.
    index : int or None
        Its position in the pipeline; None when `estimator` is not one.
    names : ndarray of str or None
        The names of the features going into `step` when it is a step of a
        pipeline that knows them; None otherwise (then
        :func:`feature_names` of `step` applies).
    """
    from sklearn.pipeline import Pipeline

    def drawable(step):
        return any(all(hasattr(step, a) for a in group) for group in attributes)

    check_is_fitted(estimator)
    if not isinstance(estimator, Pipeline):
        if not drawable(estimator):
            wanted = " or ".join(str(list(group)) for group in attributes)
            raise TypeError(
                f"{caller_name} needs {kind} with {wanted}; got {estimator!r}."
            )
        return estimator, None, None
    index = None
    for i, (_, step) in enumerate(estimator.steps):
        if _is_skmi(step) and drawable(step):
            index = i
    if index is None:
        steps = ", ".join(
            f"{name!r} ({type(step).__name__})" for name, step in estimator.steps
        )
        raise TypeError(
            f"{caller_name} needs {kind}; no step of the pipeline is one (its "
            f"steps: {steps})."
        )
    step = estimator.steps[index][1]
    names = getattr(step, "feature_names_in_", None)
    if names is None and index > 0:
        try:
            names = estimator[:index].get_feature_names_out()
        except (AttributeError, TypeError, ValueError):
            names = None  # a step before cannot name its output
    return step, index, None if names is None else np.asarray(names, dtype=object)


def legend_above(ax, handles, ncols):
    """A frameless legend above the axes, where it hides no data."""
    return ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        ncols=min(ncols, len(handles)),
        frameon=False,
        borderaxespad=0.0,
        handlelength=1.5,
        columnspacing=1.2,
    )


def check_alpha(alpha):
    """Validate a significance level in (0, 1)."""
    if (
        isinstance(alpha, bool)
        or not isinstance(alpha, Real)
        or not 0.0 < float(alpha) < 1.0
    ):
        raise ValueError(f"alpha must be a float in (0, 1); got alpha={alpha!r}.")
    return float(alpha)


def check_positive_int(value, name):
    """Validate None or an integer >= 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be None or an int >= 1; got {name}={value!r}.")
    return int(value)
