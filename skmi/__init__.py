"""skmi: feature selection and dimensionality reduction with mutual information."""

__version__ = "0.1.0"

from ._conditional_selector import ConditionalMutualInfoSelector  # noqa: E402
from ._dask_fit import from_memmap, sample_rows  # noqa: E402
from ._information_bottleneck import InformationBottleneck  # noqa: E402
from ._information_curve import information_curve  # noqa: E402
from ._mutual_info import mutual_info_classif, mutual_info_regression  # noqa: E402
from ._mutual_info_selector import MutualInfoSelector  # noqa: E402
from ._tree import tree_information_gain  # noqa: E402

__all__ = [
    "from_memmap",
    "ConditionalMutualInfoSelector",
    "InformationBottleneck",
    "MutualInfoSelector",
    "__version__",
    "information_curve",
    "mutual_info_classif",
    "mutual_info_regression",
    "sample_rows",
    "tree_information_gain",
]
