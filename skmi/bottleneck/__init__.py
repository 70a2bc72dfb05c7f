"""Information bottleneck solvers: Gaussian closed form, iterative and deterministic.

The functions here take covariance matrices or joint probability tables and
return raw nats; validation and the scikit-learn interface live in
:mod:`skmi._reduction`.
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
