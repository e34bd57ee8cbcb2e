"""When a translated cue's meaning check is settled (``aligner.auditing.translation``), without audio."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.auditing.options import AuditOptions
from aligner.auditing.translation import meaning_settled


@pytest.mark.parametrize(("baseline", "pending", "settled"), [
    ([-1.0] * 5, 3, True),  # 5 of any 8 lie under: every median of them does
    ([-1.0] * 4, 4, False),  # 4 of 8: the other four could pull the median up
    ([-1.0] * 4, 0, True),  # nothing left to come
    ([-1.0, -1.0, -1.0, -0.1, -0.1], 3, False),  # -0.1 is within the gain of 0: not under
    ([], 2, True),  # fewer than 3 neighbours can be scored: no verdict either way
    ([-1.0], 2, False),  # three could be: the two to come decide
])
def test_a_translated_cues_baseline_is_settled_as_soon_as_its_median_is(baseline, pending, settled):
    opts = AuditOptions()  # meaning_gain 0.25, at least 3 neighbours
    assert meaning_settled(0.0, baseline, pending, opts) is settled
    if settled and len(baseline) + pending >= opts.meaning_min_neighbours:  # every completion agrees
        for rest in ([5.0] * pending, [-5.0] * pending, [5.0] * (pending // 2)):
            final = [*baseline, *rest]
            if len(final) >= opts.meaning_min_neighbours:
                assert 0.0 - float(np.median(final)) >= opts.meaning_gain
