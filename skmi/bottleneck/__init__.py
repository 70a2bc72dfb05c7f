"""Information bottleneck solvers: Gaussian closed form, iterative and deterministic.

The solvers behind :class:`skmi.InformationBottleneck` and
:func:`skmi.information_curve`, for users who hold covariance matrices or a
joint probability table rather than samples. They take clean arrays (and a
:class:`numpy.random.Generator` where runs are random), do no validation,
and return nats; the scikit-learn interface, with its checks, is
:class:`skmi.InformationBottleneck`.
"""

from ._curve import default_betas, discrete_curve, gaussian_curve
from ._discrete import DiscreteIBResult, discrete_ib, discrete_ib_objective
from ._gaussian import (
    conditional_covariance,
    critical_betas,
    gaussian_ib,
    gaussian_ib_information,
    gaussian_ib_scales,
)

__all__ = [
    "DiscreteIBResult",
    "conditional_covariance",
    "critical_betas",
    "default_betas",
    "discrete_curve",
    "discrete_ib",
    "discrete_ib_objective",
    "gaussian_curve",
    "gaussian_ib",
    "gaussian_ib_information",
    "gaussian_ib_scales",
]
