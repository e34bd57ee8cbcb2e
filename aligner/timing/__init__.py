"""The transcript found in the hearing and timed: matching, Whisper's alignment, the acoustic
re-timing, and align's hearing guided by the transcript."""
