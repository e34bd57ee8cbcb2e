"""`VoiceOptions`: every number the voice stage decides by, each with its reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VoiceOptions:
    """Numbers of the speaker work (`aligner.voices`).

    threads: torch's CPU threads for the model; 1 because the CPU time is what the bench
        budgets, and the model's layers are too small for a second thread to pay.
    precision: `auto` runs the network in bfloat16 where the CPU has native bfloat16 (half the
        CPU time; embeddings agree with float32 to a cosine of 0.9998 on the panel's segments),
        float32 elsewhere; `float32` or `bfloat16` to force one.
    pause: a gap between words (s) that starts a new segment: speakers change at pauses far
        more often than inside a run of words, and 0.3 s is longer than the gaps inside a
        sentence that Whisper's word times leave.
    longest_segment: the longest segment embedded whole (s); long enough for a steady voice
        print (ECAPA's same-speaker cosine falls below 0.5 under about 1 s), short enough that
        a change the pauses missed is one segment's worth of words.
    shortest_span: spans shorter than this (s) are not embedded: their vectors are noise.
    shortest_voice: segments shorter than this (s) (backchannels, 'yeah', 'okay') never found a
        speaker of their own; they take the speaker whose voice is nearest, or their
        neighbours' when no voice is near enough.
    most_clustered: at most this many segments (the longest) are clustered; the others go to the
        nearest voice found. The clustering holds a square matrix of its segments: 1500 (about
        an hour of speech in 2.5-s segments) is 9 MB and a few seconds.
    shortest_speaker: a cluster with less speech than this (s) is not a speaker: its segments
        go to the nearest speaker's voice (a lone odd segment, a cough, crosstalk).
    short_evidence: the cosine to a speaker's voice from which a short segment is given to that
        speaker; below it the segment is too noisy to say and keeps its neighbours' speaker.
    same_speaker: the cosine between two speakers' mean voices above which they are one
        speaker (average-linkage clustering stops below it). Calibrated on real voices
        (docs/voices.md): same-speaker segment pairs 0.45-0.95, different speakers below 0.35.
    other_voice: the margin by which a labelled turn must sound more like another labelled
        speaker than like its own before it is called that speaker's (and its similarity to
        that speaker must be at least `same_speaker`).
    boundary_gain: a label change is moved when the words the move hands over sound, on mean
        over the windows among them, at least this much more like the speaker they would go
        to than like their label: a clear voice change, not noise.
    boundary_reach: how far (s) either side of a suspect label change the windows reach; a
        misplaced change is a sentence or two off, rarely more.
    window, window_hop: the windows (s) embedded across a suspect change: 1 s is the shortest
        span whose vector still leans the right way, every 0.5 s places the change to within
        a word or two.
    """

    threads: int = 1
    precision: str = "auto"
    pause: float = 0.3
    longest_segment: float = 3.0
    shortest_span: float = 0.4
    shortest_voice: float = 1.0
    most_clustered: int = 1500
    shortest_speaker: float = 2.0
    short_evidence: float = 0.25
    same_speaker: float = 0.42
    other_voice: float = 0.1
    boundary_gain: float = 0.1
    boundary_reach: float = 6.0
    window: float = 1.0
    window_hop: float = 0.5
