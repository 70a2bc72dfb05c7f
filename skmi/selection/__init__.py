"""Selection layer: relevance, criteria and greedy search over prepared columns."""
