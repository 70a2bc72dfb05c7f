"""Command line: ``python -m skmi`` and the ``skmi`` script (see :mod:`skmi._cli`)."""

import sys

from ._cli import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
