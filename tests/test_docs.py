"""The API pages list every public method, inherited ones included.

The pages are rendered with the documentation's own configuration and class
template (``docs/conf.py``, ``docs/_templates/class.rst``), as plain text and
without the gallery, so the check takes a few seconds.
"""

import inspect
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sklearn.feature_selection import SelectorMixin

import skmi
from skmi.estimators import KSG, PlugIn
from skmi.plotting import MutualInfoRankingDisplay

# the "docs" extra, which the configuration loads
for _module in ("sphinx", "numpydoc", "sphinx_gallery", "sphinx-mathjax-offline"):
    pytest.importorskip(_module)

DOCS = Path(__file__).resolve().parents[1] / "docs"

#: The documented classes, by their public names.
CLASSES = {
    "skmi.MutualInfoSelector": skmi.MutualInfoSelector,
    "skmi.ConditionalMutualInfoSelector": skmi.ConditionalMutualInfoSelector,
    "skmi.InformationBottleneck": skmi.InformationBottleneck,
    "skmi.estimators.KSG": KSG,
    "skmi.estimators.PlugIn": PlugIn,
    "skmi.plotting.MutualInfoRankingDisplay": MutualInfoRankingDisplay,
}


def _public_methods(cls):
    return sorted(
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    )


@pytest.fixture(scope="module")
def rendered_pages(tmp_path_factory):
    source = tmp_path_factory.mktemp("source")
    out = tmp_path_factory.mktemp("text")
    (source / "conf.py").write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(DOCS)!r})
            from conf import *  # the documentation's configuration
            templates_path = [{str(DOCS / "_templates")!r}]
            sphinx_gallery_conf = dict(
                sphinx_gallery_conf, examples_dirs=[], gallery_dirs=[],
                plot_gallery="False",
            )
            """
        )
    )
    entries = "\n".join(f"   {name}" for name in CLASSES)
    (source / "index.rst").write_text(
        "API\n===\n\n.. autosummary::\n   :toctree: generated/\n"
        f"   :template: class.rst\n\n{entries}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "text", str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {name: (out / "generated" / f"{name}.txt").read_text() for name in CLASSES}


@pytest.mark.parametrize("name", CLASSES)
def test_class_page_lists_every_public_method(name, rendered_pages):
    cls = CLASSES[name]
    page = rendered_pages[name]
    methods = _public_methods(cls)
    assert methods
    for name in methods:
        # the method's own entry: its signature at the start of a line
        signature = rf"^\s*(classmethod )?{name}\("
        assert re.search(signature, page, flags=re.MULTILINE), name
    if issubclass(cls, SelectorMixin):
        for name in ("get_support", "get_feature_names_out", "inverse_transform"):
            assert name in methods
    if hasattr(cls, "transform"):
        assert "set_output" in methods
