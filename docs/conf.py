"""Sphinx configuration of the skmi documentation.

Build with ``bash docs/build.sh`` (or ``sphinx-build -W -b html docs
docs/_build/html``); the gallery of ``examples/plot_*.py`` is executed.
"""

import os
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# Document the working tree, not an installed copy, and make the gallery
# hooks below importable by their qualified names.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS))
os.environ.setdefault("MPLBACKEND", "Agg")

import skmi  # noqa: E402

project = "skmi"
author = "The skmi developers"
copyright = "The skmi developers"  # noqa: A001
version = release = skmi.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # serves MathJax with the pages: no network needed
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

# No intersphinx: the documentation builds without network access. References
# to scikit-learn, NumPy or joblib objects render as plain code.

templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/*.py"]
default_role = "literal"
root_doc = "index"

# -- autodoc / autosummary / numpydoc ---------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = True
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
# "On this page" lists methods as ``fit()``, not ``InformationBottleneck.fit()``:
# the qualified names, clipped by the sidebar's width, all looked alike.
toc_object_entries_show_parents = "hide"

# -- sphinx-gallery ----------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    # Run every plot_*.py script of examples/, whoever wrote it.
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("skmi",),
    "reference_url": {"skmi": None},
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    "plot_gallery": "True",
    "download_all_examples": False,
    "remove_config_comments": True,
    "min_reported_time": 1,
    # Hooks given by qualified name keep the configuration picklable.
    "reset_modules": ("matplotlib", "_gallery_hooks.time_budget"),
    "reset_modules_order": "both",
}

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skmi {release}"
html_static_path = ["_static"]
html_css_files = ["skmi.css"]
html_theme_options = {
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "show_prev_next": False,
    "secondary_sidebar_items": ["page-toc"],
    # "On this page" lists a class's methods whatever part of the page is in
    # view: with the default level 1 they were shown only while the
    # theme's scroll tracking marked the class's own section active (not on
    # loading a long page, nor below the class's docstring).
    "show_toc_level": 2,
}
html_sidebars = {
    "**": ["sidebar-nav-bs"],
    # single pages without a section to navigate
    "index": [],
    "changelog": [],
    "user_guide": [],
    "getting_started": [],
    "glossary": [],
}
html_show_sourcelink = False


# -- docstring post-processing ---------------------------------------------
_TYPE_LINE = re.compile(r"^(\s*\*\*.+?\*\* : )(.*)$")
_TRAILING_UNDERSCORE = re.compile(r"(?<![\w`\\])([A-Za-z]\w*?)_(?![\w`])")


def _escape_type_names(app, what, name, obj, options, lines):
    """Keep ``(n_features_in_,)`` in a rendered type from being a reST link.

    scikit-learn style writes shapes such as ``ndarray of shape
    (n_features_in_,)``; in reST a word ending in ``_`` is a link reference.
    numpydoc renders each parameter as ``**name** : type``: escape the
    trailing underscores in the type part only.
    """
    for i, line in enumerate(lines):
        match = _TYPE_LINE.match(line)
        if match:
            head, kind = match.groups()
            lines[i] = head + _TRAILING_UNDERSCORE.sub(r"\1\\_", kind)


_REF = re.compile(r":(?:ref|term|doc):`([^`<]*?)\s*(?:<[^`>]*>)?`")


def _unlink_scikit_learn_refs(app, what, name, obj, options, lines):
    """Render the cross-references of inherited scikit-learn docstrings as text.

    The class pages list the methods the estimators inherit from
    scikit-learn (``get_support``, ``set_output``, ...), whose docstrings
    refer to labels of scikit-learn's own documentation; without intersphinx
    they are kept as their text.
    """
    if not getattr(obj, "__module__", "").startswith("sklearn"):
        return
    for i, line in enumerate(lines):
        lines[i] = _REF.sub(_reference_text, line)


def _reference_text(match):
    """The text of a scikit-learn reference: its title, or what it names."""
    text = match.group(1).strip()
    if text.startswith("sphx_glr_") and "_plot_" in text:  # a gallery example
        return "scikit-learn's example ``plot_" + text.rsplit("_plot_", 1)[1] + "``"
    return text


def setup(app):
    # After numpydoc (priority 500) has rendered the sections.
    app.connect("autodoc-process-docstring", _escape_type_names, priority=900)
    app.connect("autodoc-process-docstring", _unlink_scikit_learn_refs, priority=900)
