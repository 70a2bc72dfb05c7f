"""Estimators of entropy, mutual information and conditional mutual information.

Every selector and transformer of skmi estimates information through the
objects of this module. All values are in nats.
"""

from ._base import BaseMIEstimator
from ._classes import KSG, PlugIn
from ._gaussian_copula import GaussianCopula

__all__ = ["KSG", "BaseMIEstimator", "GaussianCopula", "PlugIn"]
