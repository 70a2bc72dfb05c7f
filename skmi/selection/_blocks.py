"""Synergistic blocks in a forward search.

Before the greedy loop, the interaction screen
(:func:`~skmi.selection._interactions.screen_blocks`) finds sets of features
that are informative only together; :class:`Blocks` then lets them enter the
path as consecutive selections: at each step the search's best candidate is
compared with the pending blocks (:class:`~skmi.selection._interactions.BlockOffers`
says which block enters), whether the steps are tested or not, so a tested
search follows the path of a search of a fixed number of features. The
members of an entering block are selected at the next steps without the
step test (the screen tested them).
"""

import numpy as np

from ._interactions import BlockOffers, screen_blocks
from ._screen_plan import plan_screen

__all__ = ["Blocks"]


class Blocks:
    """The blocks offered to one search.

    Parameters
    ----------
    offers : BlockOffers
        The pending, queued and entered blocks (stored with a path, see
        :mod:`skmi.selection._cache`).
    """

    def __init__(self, offers):
        self.offers = offers

    @classmethod
    def screen(cls, estimator, columns, target, relevance, params, rng, exclude):
        """The blocks the screen of ``params.interactions`` finds (none for 1).

        ``rng`` is not advanced (see
        :func:`~skmi.selection._interactions.screen_blocks`).
        """
        plan = plan_screen(
            params.interactions,
            estimator,
            columns,
            target,
            n_permutations=params.n_permutations,
            alpha=params.alpha,
            exclude=exclude,
        )
        found = screen_blocks(
            estimator,
            columns,
            target,
            relevance,
            size=plan.size,
            alpha=plan.alpha,
            n_permutations=params.n_permutations,
            rng=rng,
            exclude=exclude,
            n_jobs=params.n_jobs,
            max_rows=plan.max_rows,
            coarse_bins=plan.coarse_bins,
            min_permutations=plan.min_permutations,
        )
        return cls(BlockOffers(found, plan.alpha if plan.size > 1 else 0.0))

    @property
    def screen_level(self):
        """The level the screen tested at (0 when no screen ran)."""
        return self.offers.level

    @property
    def queued(self):
        """Whether members of an entering block wait to be selected."""
        return self.offers.queued

    @property
    def entered(self):
        """The blocks that entered the path, in order."""
        return list(self.offers.entered)

    @property
    def pending(self):
        """Whether blocks wait to be offered."""
        return bool(self.offers.pending)

    def choose(self, search, pool):
        """The feature of this step, its score and its block (None outside blocks).

        The search's best candidate of ``pool``, unless a block enters (or
        one is entering): then its next member, scored by the search.
        """
        if not self.offers.queued:
            k, score = search.best(pool)
            self.offers.offer(search.selected, k, score)
            if not self.offers.queued:
                return k, score, None
        k, block = self.offers.pop()
        return k, search.best(np.array([k]))[1], block
