"""The one module that imports scikit-learn's private validation helpers.

Parameter constraints (``Interval``, ``StrOptions``, ...), the ``_fit_context``
decorator and ``validate_params`` live in private scikit-learn modules; every
other module of skmi imports them from here, so a change upstream is a change
to this file only.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    Options,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "Options",
    "RealNotInt",
    "StrOptions",
    "_fit_context",
    "check_is_fitted",
    "validate_data",
    "validate_params",
]
