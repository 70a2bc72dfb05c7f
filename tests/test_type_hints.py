"""Type hints of the public API.

Every public class and function (``skmi.__all__``, ``skmi.estimators.__all__``,
``skmi.bottleneck.__all__`` and ``skmi.plotting.__all__``) and every public
method defined in skmi has an
annotation on each parameter (``self``, ``cls``, ``*args`` and ``**kwargs``
aside) and on its return; ``__init__`` may leave its return unannotated or
annotate it ``None``.
"""

import inspect

import pytest

import skmi
import skmi.bottleneck
import skmi.estimators
import skmi.plotting

UNANNOTATED_KINDS = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def _public_objects():
    """``{path: object}`` of the classes and functions named in the ``__all__``."""
    return {
        f"{module.__name__}.{name}": getattr(module, name)
        for module in (skmi, skmi.estimators, skmi.plotting, skmi.bottleneck)
        for name in module.__all__
        if inspect.isclass(getattr(module, name))
        or inspect.isfunction(getattr(module, name))
    }


def _defining_class(cls, name):
    """The first class of ``cls.__mro__`` that defines ``name``, or None."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass
    return None


def _methods(cls):
    """``{name: (defining class, function)}`` of the methods defined in skmi.

    Public methods and ``__init__``; methods inherited from scikit-learn or
    ``object`` are left out.
    """
    methods = {}
    for name in sorted(dir(cls)):
        if name.startswith("_") and name != "__init__":
            continue
        static = inspect.getattr_static(cls, name)
        if isinstance(static, property):
            continue
        member = getattr(cls, name)
        if not inspect.isroutine(member):
            continue
        klass = _defining_class(cls, name)
        if klass is None or not klass.__module__.startswith("skmi"):
            continue
        methods[name] = (klass, member)
    return methods


def _targets():
    """``{path: callable}``; a method is checked once, on its defining class."""
    objects = _public_objects()
    targets = {}
    for path, obj in objects.items():
        if not inspect.isclass(obj):
            targets[path] = obj
            continue
        for name, (klass, member) in _methods(obj).items():
            method_path = f"{klass.__module__}.{klass.__qualname__}.{name}"
            targets.setdefault(method_path, member)
    return targets


TARGETS = _targets()


def _missing_annotations(func, name):
    """Names of the unannotated parameters, and ``"return"`` if unannotated."""
    signature = inspect.signature(inspect.unwrap(func))
    missing = [
        param.name
        for param in signature.parameters.values()
        if param.name not in ("self", "cls")
        and param.kind not in UNANNOTATED_KINDS
        and param.annotation is inspect.Parameter.empty
    ]
    if signature.return_annotation is inspect.Signature.empty and name != "__init__":
        missing.append("return")
    if name == "__init__" and signature.return_annotation not in (
        inspect.Signature.empty,
        None,
        "None",
    ):
        missing.append("return (must be None)")
    return missing


def test_public_api_is_collected():
    paths = set(TARGETS)
    assert "skmi._mutual_info.mutual_info_classif" not in paths  # named publicly
    assert "skmi.mutual_info_classif" in paths
    assert "skmi.tree_information_gain" in paths
    assert "skmi.information_curve" in paths
    assert "skmi.estimators._base.BaseMIEstimator.mutual_info" in paths
    assert "skmi._mutual_info_selector.MutualInfoSelector.fit" in paths
    assert "skmi._mutual_info_selector.MutualInfoSelector.__init__" in paths
    assert any(p.endswith(".from_estimator") for p in paths)
    assert any(p.endswith(".plot") for p in paths)
    assert any(p.endswith("_prepared") for p in paths)
    # Methods inherited from scikit-learn are scikit-learn's to annotate.
    # scikit-learn's get_params/set_params are not collected; the selectors'
    # set_params (which can tune the default estimator) is skmi's own
    own = "skmi._inputs.DefaultEstimatorMixin.set_params"
    assert not any(
        p.endswith((".get_params", ".set_params")) and p != own for p in paths
    )


def test_check_detects_missing_annotations():
    def unannotated(X, y=None, *args, **kwargs):
        return X

    def partial(X: int, y=None) -> int:
        return X

    def no_return(X: int):
        return X

    def annotated(X: int, *args: int, y: int | None = None, **kwargs: int) -> int:
        return X

    class Example:
        def __init__(self, a):
            self.a = a

        def wrong_init(self, a: int) -> int:
            return a

    assert _missing_annotations(unannotated, "unannotated") == ["X", "y", "return"]
    assert _missing_annotations(partial, "partial") == ["y"]
    assert _missing_annotations(no_return, "no_return") == ["return"]
    assert _missing_annotations(annotated, "annotated") == []
    assert _missing_annotations(Example.__init__, "__init__") == ["a"]
    assert _missing_annotations(Example.wrong_init, "__init__") == [
        "return (must be None)"
    ]


@pytest.mark.parametrize("path", sorted(TARGETS))
def test_public_callable_is_annotated(path):
    name = path.rsplit(".", 1)[1]
    missing = _missing_annotations(TARGETS[path], name)
    assert not missing, f"{path}: no annotation for {missing}"
