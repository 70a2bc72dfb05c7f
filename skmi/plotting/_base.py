"""Helpers shared by the displays: the optional matplotlib import and axes."""

from numbers import Integral, Real

import numpy as np

__all__ = [
    "check_alpha",
    "check_matplotlib_support",
    "check_positive_int",
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
