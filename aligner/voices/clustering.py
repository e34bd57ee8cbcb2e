"""Voices grouped into speakers: centroid-linkage agglomerative clustering on cosine (pure).

A cluster's voice is the duration-weighted sum of its segments' unit vectors; two clusters merge
while the cosine of their voices is at least the threshold. Averaging many short segments'
vectors cancels their noise, so a speaker's clusters grow more alike as they grow, while two
speakers' voices stay apart: the cosine between two turns' mean voices is a much cleaner signal
than between two 2-second segments (docs/voices.md has both tables).
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)


def unit(v: np.ndarray) -> np.ndarray:
    """Rows (or a vector) scaled to length 1; zero rows stay zero."""
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return np.asarray(v / np.maximum(norm, 1e-9), dtype=np.float32)


def voice_of(vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The unit mean voice of weighted rows."""
    return unit((vectors * weights[:, None]).sum(axis=0))


def cluster(vectors: np.ndarray, weights: np.ndarray, threshold: float) -> list[int]:
    """A cluster number a row (0, 1, … in order of first row), merging while voices are alike."""
    n = len(vectors)
    if n == 0:
        return []
    sums = vectors * weights[:, None]
    members: list[list[int] | None] = [[i] for i in range(n)]
    voices = unit(sums)
    sim = voices @ voices.T
    np.fill_diagonal(sim, -np.inf)
    alive = np.ones(n, dtype=bool)
    while alive.sum() > 1:
        flat = int(np.argmax(sim))
        a, b = divmod(flat, n)
        if sim[a, b] < threshold:
            break
        log.debug("merge clusters %d and %d at cosine %.3f", a, b, sim[a, b])
        sums[a] += sums[b]
        merged_a, merged_b = members[a], members[b]
        assert merged_a is not None and merged_b is not None
        members[a] = merged_a + merged_b
        members[b] = None
        alive[b] = False
        sim[b, :] = -np.inf
        sim[:, b] = -np.inf
        row = unit(sums[a]) @ unit(sums).T
        row[~alive] = -np.inf
        row[a] = -np.inf
        sim[a, :] = row
        sim[:, a] = row
    return _numbered(members, n)


def _numbered(members: list[list[int] | None], n: int) -> list[int]:
    """Cluster numbers in order of each cluster's first row."""
    labels = [-1] * n
    groups = sorted((sorted(m) for m in members if m is not None), key=lambda m: m[0])
    for number, group in enumerate(groups):
        for i in group:
            labels[i] = number
    return labels
