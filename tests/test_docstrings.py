"""Docstrings of the public API: numpydoc validation and shared wording.

Every public class and function (``skmi.__all__``, ``skmi.estimators.__all__``,
``skmi.bottleneck.__all__`` and ``skmi.plotting.__all__``) and every public
method defined in skmi is validated with :func:`numpydoc.validate.validate`.
The error codes enforced and the ones ignored are listed below with the
reason.
"""

import ast
import doctest
import importlib
import inspect
import re
from pathlib import Path

import pytest

validate_module = pytest.importorskip("numpydoc.validate")
docscrape = pytest.importorskip("numpydoc.docscrape")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
MODULES = ("skmi", "skmi.estimators", "skmi.plotting", "skmi.bottleneck")

# Codes enforced for every object (see numpydoc.validate.ERROR_MSGS).
ENFORCED = {
    "GL03",  # double line break
    "GL05",  # tabs
    "GL06",  # unknown section
    "GL07",  # sections in the wrong order
    "GL08",  # no docstring
    "GL10",  # malformed reST directive
    "SS01",  # no summary
    "SS02",  # summary does not start with a capital letter
    "SS03",  # summary does not end with a period
    "SS04",  # summary with leading whitespace
    "PR01",  # parameter of the signature not documented
    "PR02",  # documented parameter not in the signature
    "PR03",  # parameters documented in the wrong order
    "PR04",  # parameter without a type
    "PR05",  # parameter type ending with a period
    "PR06",  # "integer"/"boolean"/"string" instead of int/bool/str
    "PR07",  # parameter without a description
    "PR08",  # parameter description not capitalised
    "PR09",  # parameter description without a final period
    "PR10",  # missing space around the colon
    "RT01",  # no Returns section for a function that returns
    "RT03",  # return value without a description
    "RT04",  # return description not capitalised
    "RT05",  # return description without a final period
    "YD01",  # no Yields section for a generator
    "SA02",  # See Also entry without a final period
    "SA03",  # See Also entry not capitalised
    "SA04",  # See Also entry without a description
}
# Enforced for classes and functions, not for methods.
ENFORCED_NOT_METHODS = {
    "EX01",  # no Examples section
}
# Enforced for functions and methods (class summaries are noun phrases).
ENFORCED_CALLABLES = {
    "SS05",  # summary in the third person ("Returns") instead of "Return"
}
# Ignored, with the reason:
IGNORED = {
    "GL01": "scikit-learn style starts the summary on the line of the quotes",
    "GL02": "scikit-learn style, as GL01",
    "GL09": "no deprecations yet",
    "ES01": "an extended summary is optional",
    "SS06": "a long summary may wrap onto a second line",
    "RT02": "scikit-learn style names single return values (`mi : ndarray`)",
    "SA01": "See Also is optional",
}

# Known failures of docstrings owned elsewhere: {public path: {codes}}. The
# table may only shrink: an entry that no longer fails makes the test fail,
# so that it is removed when the docstring is fixed.
KNOWN_FAILURES: dict[str, set[str]] = {}


def _public_modules():
    modules = []
    for name in MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def _public_objects():
    """``{path: object}`` of the public classes and functions."""
    objects = {}
    for module in _public_modules():
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                objects[f"{module.__name__}.{name}"] = obj
    return objects


def _documenting_class(cls, name):
    """The class of skmi whose ``name`` documents ``cls.name``, or None.

    Methods that override a documented method of an skmi base class without
    a docstring of their own inherit it (as Sphinx shows them); methods
    inherited from scikit-learn are scikit-learn's to document.
    """
    defining = [klass for klass in cls.__mro__ if name in vars(klass)]
    if not defining or not defining[0].__module__.startswith("skmi"):
        return None
    for klass in defining:
        if not klass.__module__.startswith("skmi"):
            break
        member = inspect.unwrap(getattr(klass, name))
        if getattr(member, "__doc__", None):
            return klass
    return defining[0]


def _public_methods(path, cls):
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        static = inspect.getattr_static(cls, name)
        if isinstance(static, property) or not inspect.isroutine(getattr(cls, name)):
            continue
        klass = _documenting_class(cls, name)
        if klass is not None:
            yield f"{path}.{name}", klass, name


def _validation_targets():
    """``{path: (object, kind)}``; a method documented once is checked once."""
    objects = _public_objects()
    public_path = {obj: path for path, obj in objects.items()}
    targets = {}
    for path, obj in objects.items():
        kind = "class" if inspect.isclass(obj) else "function"
        targets[path] = (obj, kind)
        if kind != "class":
            continue
        for method_path, klass, name in _public_methods(path, obj):
            # Name a method after the public class that documents it.
            if klass in public_path:
                method_path = f"{public_path[klass]}.{name}"
            targets.setdefault(method_path, (getattr(klass, name), "method"))
    return targets


TARGETS = _validation_targets()


def _enforced(kind):
    codes = set(ENFORCED)
    if kind != "method":
        codes |= ENFORCED_NOT_METHODS
    if kind != "class":
        codes |= ENFORCED_CALLABLES
    return codes


def _errors(obj, kind):
    result = validate_module.validate(docscrape.get_doc_object(obj))
    return [(code, msg) for code, msg in result["errors"] if code in _enforced(kind)]


def test_enforced_and_ignored_codes_are_real_and_disjoint():
    known = set(validate_module.ERROR_MSGS)
    enforced = ENFORCED | ENFORCED_NOT_METHODS | ENFORCED_CALLABLES
    assert enforced <= known
    assert set(IGNORED) <= known
    assert not enforced & set(IGNORED)


def test_public_api_is_collected():
    # The walk finds the public objects and their methods (not scikit-learn's).
    assert "skmi.mutual_info_classif" in TARGETS
    assert "skmi.tree_information_gain" in TARGETS
    assert "skmi.estimators.KSG" in TARGETS
    assert "skmi.estimators.BaseMIEstimator.mutual_info" in TARGETS
    assert "skmi.estimators.KSG.mutual_info" not in TARGETS  # checked once
    # scikit-learn's get_params/set_params are not collected; the selectors'
    # set_params (which can tune the default estimator) is skmi's own
    own = ("skmi.MutualInfoSelector", "skmi.ConditionalMutualInfoSelector")
    assert not any(
        p.endswith((".get_params", ".set_params")) and not p.startswith(own)
        for p in TARGETS
    )


@pytest.mark.parametrize("path", sorted(TARGETS))
def test_docstring_validates(path):
    obj, kind = TARGETS[path]
    errors = _errors(obj, kind)
    expected = KNOWN_FAILURES.get(path, set())
    unexpected = [f"{code}: {msg}" for code, msg in errors if code not in expected]
    assert not unexpected, f"{path}:\n" + "\n".join(unexpected)
    fixed = expected - {code for code, _ in errors}
    assert not fixed, f"{path} now passes {sorted(fixed)}: remove from KNOWN_FAILURES"


def test_known_failures_refer_to_public_objects():
    assert set(KNOWN_FAILURES) <= set(TARGETS)


# -- shared parameter wording ------------------------------------------------
SHARED = {
    "random_state": (
        "int, RandomState instance or None, default=None",
        "Determines the random numbers used for ",
        "Pass an int for reproducible results across multiple calls. "
        "See :term:`Glossary <random_state>`.",
    ),
    "n_jobs": (
        "int, default=None",
        "Number of jobs to run in parallel",
        "``None`` means 1 unless in a :obj:`joblib.parallel_backend` context. "
        "``-1`` means using all processors. Results do not depend on `n_jobs`. "
        "See :term:`Glossary <n_jobs>`.",
    ),
}


def _shared_parameters():
    """``{parameter: [(path, type, description)]}`` of public classes and functions.

    Methods are left out: their ``random_state`` (of ``prepare``, say) is an
    internal random generator, not the user's parameter.
    """
    found = {name: [] for name in SHARED}
    for path, (obj, kind) in TARGETS.items():
        if kind == "method":
            continue
        for param in docscrape.get_doc_object(obj)["Parameters"]:
            if param.name in found:
                text = " ".join(" ".join(param.desc).split())
                found[param.name].append((path, param.type, text))
    return found


@pytest.mark.parametrize("parameter", sorted(SHARED))
def test_shared_parameter_wording(parameter):
    type_, start, end = SHARED[parameter]
    documented = _shared_parameters()[parameter]
    # mutual_info_classif and mutual_info_regression have both parameters.
    assert len(documented) >= 2
    wrong = [
        f"{path}: {kind!r}: {text!r}"
        for path, kind, text in documented
        if kind != type_ or not text.startswith(start) or not text.endswith(end)
    ]
    assert not wrong, (
        f"{parameter} must be documented as {type_!r} with the description "
        f"{start!r} ... {end!r}:\n" + "\n".join(wrong)
    )


# -- the documentation pages ----------------------------------------------------
def _pages():
    """The documentation pages written by hand (not the generated ones)."""
    generated = {"sg_execution_times.rst"}
    return sorted(p.name for p in DOCS.glob("*.rst") if p.name not in generated)


def _api_page_entries():
    """``{module.name}`` listed by the autosummary directives of docs/api.rst."""
    entries, module, in_autosummary = set(), None, False
    for line in (DOCS / "api.rst").read_text().splitlines():
        if line.startswith(".. currentmodule::"):
            module = line.split("::")[1].strip()
        elif line.startswith(".. autosummary::"):
            in_autosummary = True
        elif in_autosummary and re.fullmatch(r"   [A-Za-z_]\w*", line):
            entries.add(f"{module}.{line.strip()}")
        elif line and not line.startswith(" "):
            in_autosummary = False
    return entries


def test_api_page_lists_exactly_the_public_objects():
    public = set(_public_objects())
    listed = _api_page_entries()
    assert not public - listed, f"add to docs/api.rst: {sorted(public - listed)}"
    assert not listed - public, f"not public: {sorted(listed - public)}"


def test_user_guide_labels_referenced_by_docstrings_exist():
    labels = set()
    for page in _pages():
        text = (DOCS / page).read_text()
        labels |= set(re.findall(r"^\.\. _([\w-]+):$", text, re.M))
    referenced = set()
    for path in (ROOT / "skmi").rglob("*.py"):
        referenced |= set(re.findall(r":ref:`[^`<]*<([\w-]+)>`", path.read_text()))
    assert referenced, "docstrings link to the user guide"
    assert referenced <= labels, f"missing labels: {sorted(referenced - labels)}"


@pytest.mark.parametrize("page", _pages() or ["(none)"])
def test_documentation_page_doctests(page):
    path = DOCS / page
    if not path.exists():
        pytest.skip("no documentation pages")
    result = doctest.testfile(
        str(path),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=False,
    )
    if result.attempted == 0:
        pytest.skip(f"{page} has no doctest examples")
    assert result.failed == 0


def _gallery_scripts():
    return sorted(p.name for p in (ROOT / "examples").glob("plot_*.py"))


@pytest.mark.parametrize("script", _gallery_scripts() or ["(none)"])
def test_gallery_example_has_a_title(script):
    # sphinx-gallery renders the module docstring; its title must be a
    # well-formed reST title (rules at least as long as the text), or the
    # ``sphinx-build -W`` of the documentation fails.
    path = ROOT / "examples" / script
    if not path.exists():
        pytest.skip("no gallery examples")
    docstring = ast.get_docstring(ast.parse(path.read_text()), clean=False)
    assert docstring, f"{script} has no module docstring"
    lines = docstring.strip().splitlines()
    rule, title, underline = lines[0], lines[1], lines[2]
    assert set(rule) == {"="} and underline == rule, f"{script}: title rules"
    assert len(rule) >= len(title.rstrip()), f"{script}: title rule too short"
    assert (ROOT / "examples" / "README.txt").exists()
