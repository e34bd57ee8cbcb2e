"""The audit of published subtitles: its options, evidence, checks and findings.

``run`` wires the audit together (``audit()``); ``inputs`` holds the two values every check
reads (the inputs, and where the cues' words were found); ``hearings`` what the checks hear
again; ``gather`` the evidence per cue; ``judge`` each cue's checks in order; one module per
family of checks (``timing``, ``language``, ``text``, ``coverage``, ``translation``,
``transcript``); ``evidence``, ``sync``, ``words`` their tools; ``findings`` and ``options``
the data model and the thresholds.
"""
