"""The import structure of skmi: three layers, one direction.

The imports of every module under skmi/ are read with ``ast`` (nothing is
imported), relative imports are resolved, and each rule of DESIGN.md is
checked over all modules present, so the rules keep holding as modules are
added:

* the numerical kernels import only numpy, scipy, the standard library and
  each other, with one named exception: skmi/estimators/_neighbors.py may
  import ``sklearn.neighbors`` (its ``KDTree`` counts max-norm balls much
  faster than scipy's trees);
* skmi.estimators imports nothing of skmi but itself and skmi._validation
  (its input helpers live in skmi/estimators/_preprocess.py; the reader of
  user tables, skmi/_columns.py, is above it);
* skmi.selection and skmi.bottleneck never import the public layer (the
  top-level modules of skmi: selectors, reduction, drop-ins, plotting, the
  command line, ...);
* only skmi/_validation.py touches private scikit-learn modules or names;
* skmi.selection never checks an estimator's class nor reads its
  hyper-parameters: it asks the estimator's private hooks (the estimator
  answers for itself).

The checkers are tested on small sources first, so a rule that can no longer
fail is noticed.
"""

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

import skmi

PACKAGE = Path(skmi.__file__).resolve().parent
KERNELS = {
    "_ksg",
    "_plugin",
    "_codes",
    "_count_tables",
    "_chance",
    "_neighbors",
    "_variables",
    "_conditioning",
}
#: the only imports beyond numpy and scipy a kernel may make, by module
KERNEL_EXCEPTIONS = {"skmi.estimators._neighbors": {"sklearn.neighbors"}}
BELOW_PUBLIC_LAYER = {
    "estimators",
    "selection",
    "bottleneck",
    "_validation",
}


# --------------------------------------------------------------------------
# reading imports
# --------------------------------------------------------------------------
def module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path):
    return path.name == "__init__.py"


def imports(source, name, package=False):
    """``(lineno, module, imported_name_or_None)`` for each import in source.

    Relative imports are resolved against ``name``, the dotted name of the
    module holding ``source`` (a package when ``package``). Imports inside
    functions and ``if`` blocks count too.
    """
    base = name if package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parent = base.split(".")
                parent = parent[: len(parent) - (node.level - 1)]
                module = ".".join(parent + ([module] if module else []))
            found += [(node.lineno, module, alias.name) for alias in node.names]
    return found


def targets(source, name, package=False):
    """The dotted names each import may bring in: ``module`` or ``module.name``."""
    out = []
    for lineno, module, imported in imports(source, name, package):
        out.append((lineno, module))
        if imported is not None and imported != "*":
            out.append((lineno, f"{module}.{imported}"))
    return out


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def read(path):
    return path.read_text(encoding="utf-8")


def ids(paths):
    return [str(p.relative_to(PACKAGE.parent)) for p in paths]


def top(dotted):
    return dotted.split(".")[0]


# --------------------------------------------------------------------------
# the rules, as functions of one module's source
# --------------------------------------------------------------------------
STDLIB = set(sys.stdlib_module_names) | {"__future__"}


def kernel_violations(source, name):
    """Imports of a kernel that are not numpy, scipy, stdlib or another kernel."""
    bad = []
    allowed = KERNEL_EXCEPTIONS.get(name, set())
    for lineno, module, imported in imports(source, name):
        root = top(module)
        if root in {"numpy", "scipy"} or root in STDLIB:
            continue
        if module in allowed:
            continue
        if root == "skmi":
            full = module if imported is None else f"{module}.{imported}"
            parts = full.split(".")
            # skmi.estimators._ksg or skmi.estimators._ksg.name
            if len(parts) >= 3 and parts[1] == "estimators" and parts[2] in KERNELS:
                continue
        bad.append((lineno, module))
    return bad


def skmi_violations(source, name, allowed, package=False):
    """Imports of skmi modules outside ``allowed`` (names under skmi)."""
    bad = []
    for lineno, module, imported in imports(source, name, package):
        if top(module) != "skmi":
            continue
        parts = module.split(".")
        if len(parts) == 1:  # "import skmi" or "from skmi import name"
            sub = imported
        else:
            sub = parts[1]
        if sub not in allowed:
            bad.append((lineno, module if imported is None else f"{module}.{imported}"))
    return bad


def _private(part):
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def _is_module(dotted):
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError):
        return False


def private_sklearn_violations(source, name, package=False):
    """Private scikit-learn modules or names, by import or attribute access."""
    bad = []
    module_aliases = {}  # local name -> dotted sklearn module
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if top(alias.name) != "sklearn":
                    continue
                if any(_private(p) for p in alias.name.split(".")):
                    bad.append((node.lineno, alias.name))
                if alias.asname:
                    module_aliases[alias.asname] = alias.name
                else:
                    module_aliases["sklearn"] = "sklearn"
        elif isinstance(node, ast.ImportFrom) and not node.level:
            module = node.module or ""
            if top(module) != "sklearn":
                continue
            if any(_private(p) for p in module.split(".")):
                bad.append((node.lineno, module))
            for alias in node.names:
                if _private(alias.name):
                    bad.append((node.lineno, f"{module}.{alias.name}"))
                elif _is_module(f"{module}.{alias.name}"):
                    module_aliases[alias.asname or alias.name] = (
                        f"{module}.{alias.name}"
                    )
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        chain = []
        inner = node
        while isinstance(inner, ast.Attribute):
            chain.append(inner.attr)
            inner = inner.value
        if isinstance(inner, ast.Name) and inner.id in module_aliases:
            chain.reverse()
            if _private(chain[-1]) and not any(_private(p) for p in chain[:-1]):
                dotted = ".".join([module_aliases[inner.id], *chain])
                bad.append((node.lineno, dotted))
    return bad


def concrete_estimators():
    """Names of the concrete estimator classes and of their hyper-parameters."""
    from skmi.estimators import BaseMIEstimator

    classes, todo = set(), [BaseMIEstimator]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("skmi."):
                classes.add(sub)
    names = {c.__name__ for c in classes}
    fields = {f for c in classes for f in c._get_param_names()}
    return names, fields


def _named_in_a_call(node, names):
    """``getattr(x, "name")``-like calls naming one of ``names``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"getattr", "hasattr", "setattr"}
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and node.args[1].value in names
    )


def estimator_check_violations(source, name, classes, fields, package=False):
    """Class checks and hyper-parameter reads of concrete estimators.

    A concrete estimator class named anywhere (import, ``isinstance``,
    attribute of a module, a string compared with a class name), the module
    that defines them imported, or an attribute named after one of their
    hyper-parameters read (directly or by ``getattr``).
    """
    bad = []
    for lineno, module, imported in imports(source, name, package):
        if module.endswith("estimators._classes") or imported == "_classes":
            bad.append((lineno, module))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in classes:
            bad.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute) and node.attr in classes | fields:
            bad.append((node.lineno, node.attr))
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in classes:
            bad.append((getattr(node, "lineno", 0), node.name))
        elif _named_in_a_call(node, classes | fields):
            bad.append((node.lineno, node.args[1].value))
        elif isinstance(node, ast.Compare):
            for c in [node.left, *node.comparators]:
                if isinstance(c, ast.Constant) and c.value in classes:
                    bad.append((node.lineno, c.value))
    return bad


# --------------------------------------------------------------------------
# the checkers can fail
# --------------------------------------------------------------------------
def test_concrete_estimators_are_found():
    classes, fields = concrete_estimators()
    assert {"KSG", "PlugIn"} <= classes
    assert {"n_neighbors", "ties", "adjust", "correction"} <= fields


def test_estimator_check_checker_catches_class_and_field_checks():
    classes, fields = concrete_estimators()
    name = "skmi.selection._forward"
    fine = (
        "from ..estimators._variables import Variable\n"
        "from ..estimators import BaseMIEstimator\n"
        "kind = estimator._table_counting()\n"
        "step = estimator._step_structure(target, z)\n"
        "isinstance(columns, SparseColumns)\n"
        '"""Uses KSG() or PlugIn(adjust=\'chance\')."""\n'
    )
    assert estimator_check_violations(fine, name, classes, fields) == []
    for bad in [
        "from ..estimators import KSG",
        "from ..estimators._classes import PlugIn as P",
        "from ..estimators import _classes",
        "def f():\n    from skmi.estimators import PlugIn",
        "isinstance(estimator, KSG)",
        "from .. import estimators\nisinstance(e, estimators.PlugIn)",
        "if estimator.ties == 'jitter': pass",
        "k = self.estimator.n_neighbors",
        "getattr(estimator, 'adjust', None) == 'chance'",
        "hasattr(estimator, 'correction')",
        "type(estimator).__name__ == 'KSG'",
    ]:
        assert estimator_check_violations(bad, name, classes, fields), bad


def test_relative_imports_are_resolved():
    source = "from . import _plugin\nfrom ..selection._criteria import x\nimport os\n"
    got = imports(source, "skmi.estimators._ksg")
    assert got == [
        (1, "skmi.estimators", "_plugin"),
        (2, "skmi.selection._criteria", "x"),
        (3, "os", None),
    ]
    got = imports(
        "from ._base import A\nfrom .. import _columns\n",
        "skmi.estimators",
        package=True,
    )
    assert got == [(1, "skmi.estimators._base", "A"), (2, "skmi", "_columns")]


def test_kernel_checker_catches_forbidden_imports():
    name = "skmi.estimators._ksg"
    fine = (
        "import numpy as np\nfrom scipy.special import digamma\nimport math\n"
        "from ._neighbors import kth_distance\nfrom . import _plugin\n"
    )
    assert kernel_violations(fine, name) == []
    for bad in [
        "import sklearn",
        "from sklearn.utils import check_array",
        "import joblib",
        "from .._columns import read_columns",
        "from ._classes import KSG",
        "from . import _base",
        "def f():\n    import pandas",
        "from sklearn.neighbors import KDTree",
    ]:
        assert kernel_violations(bad, name), bad


def test_kernel_exception_is_narrow():
    """_neighbors may import sklearn.neighbors, and nothing else of sklearn."""
    name = "skmi.estimators._neighbors"
    assert kernel_violations("from sklearn.neighbors import KDTree", name) == []
    for bad in [
        "import sklearn",
        "from sklearn.utils import check_array",
        "from sklearn.neighbors._kd_tree import KDTree",
        "import joblib",
    ]:
        assert kernel_violations(bad, name), bad


def test_layer_checker_catches_upward_imports():
    allowed = {"estimators", "_validation"}
    name = "skmi.estimators._base"
    assert (
        skmi_violations(
            "from .._validation import x\nfrom . import _ksg", name, allowed
        )
        == []
    )
    for bad in [
        "from ..selection import relevance",
        "from .. import _mutual_info_selector",
        "import skmi",
        "from skmi import MutualInfoSelector",
        "import skmi.plotting",
        "from .._columns import read_columns",
        "from skmi._columns import MAX_AUTO_LEVELS",
        "def f():\n    from .._mutual_info import mutual_info_classif",
    ]:
        assert skmi_violations(bad, name, allowed), bad


def test_private_sklearn_checker():
    fine = (
        "import sklearn\nfrom sklearn.base import BaseEstimator\n"
        "from sklearn import __version__\nfrom sklearn.utils import validation\n"
        "x = sklearn.utils.check_array\nvalidation.check_array\n"
        "BaseEstimator._get_param_names\n"
    )
    assert private_sklearn_violations(fine, "skmi.x") == []
    for bad in [
        "from sklearn.utils._param_validation import Interval",
        "from sklearn.base import _fit_context",
        "import sklearn.utils._testing",
        "import sklearn.utils._testing as t",
        "from sklearn.utils import _safe_indexing",
        "import sklearn\nsklearn.utils._safe_indexing(x, 0)",
        "from sklearn import utils\nutils._safe_indexing",
        "import sklearn.utils as u\nu._array_api",
        "from sklearn.feature_selection import _mutual_info",
        "def f():\n    from sklearn.utils.validation import _check_y",
    ]:
        assert private_sklearn_violations(bad, "skmi.x"), bad


def test_the_package_is_found():
    names = {module_name(p) for p in modules()}
    assert {
        "skmi.estimators._ksg",
        "skmi.estimators._plugin",
        "skmi._validation",
    } <= names
    assert {f"skmi.estimators.{k}" for k in KERNELS} <= names


# --------------------------------------------------------------------------
# the rules over skmi/
# --------------------------------------------------------------------------
KERNEL_FILES = [PACKAGE / "estimators" / f"{k}.py" for k in sorted(KERNELS)]


@pytest.mark.parametrize("path", KERNEL_FILES, ids=ids(KERNEL_FILES))
def test_kernels_import_only_numpy_scipy_and_each_other(path):
    assert kernel_violations(read(path), module_name(path)) == []


def files_under(*parts):
    return sorted((PACKAGE.joinpath(*parts)).rglob("*.py"))


ESTIMATOR_FILES = files_under("estimators")


@pytest.mark.parametrize("path", ESTIMATOR_FILES, ids=ids(ESTIMATOR_FILES))
def test_estimators_import_no_upper_layer(path):
    allowed = {"estimators", "_validation"}
    got = skmi_violations(read(path), module_name(path), allowed, is_package(path))
    assert got == []


MIDDLE_FILES = files_under("selection") + files_under("bottleneck")


@pytest.mark.parametrize("path", MIDDLE_FILES, ids=ids(MIDDLE_FILES))
def test_selection_never_imports_the_public_layer(path):
    got = skmi_violations(
        read(path), module_name(path), BELOW_PUBLIC_LAYER, is_package(path)
    )
    assert got == []


SELECTION_FILES = files_under("selection")


@pytest.mark.parametrize("path", SELECTION_FILES, ids=ids(SELECTION_FILES))
def test_selection_never_checks_an_estimator(path):
    """The selection layer asks the estimator's hooks; it never checks a
    class (isinstance of KSG, PlugIn, ...) nor reads a hyper-parameter."""
    classes, fields = concrete_estimators()
    got = estimator_check_violations(
        read(path), module_name(path), classes, fields, is_package(path)
    )
    assert got == []


ALL_FILES = [p for p in modules() if p != PACKAGE / "_validation.py"]


@pytest.mark.parametrize("path", ALL_FILES, ids=ids(ALL_FILES))
def test_only_validation_uses_private_sklearn(path):
    got = private_sklearn_violations(read(path), module_name(path), is_package(path))
    assert got == []


def test_validation_module_is_where_private_sklearn_lives():
    path = PACKAGE / "_validation.py"
    assert private_sklearn_violations(read(path), "skmi._validation")
