"""Errors a user can act on. The CLI prints their message as one line and exits non-zero."""

from __future__ import annotations


class AlignerError(Exception):
    """Base for every error that means "your input or set-up is wrong", never a bug."""

    exit_code = 2


class InputError(AlignerError):
    """A file that cannot be read, is not what it claims, or has nothing usable in it."""


class MediaError(InputError):
    """Media that ffmpeg cannot open, that has no audio, or that ends early."""


class ModelError(AlignerError):
    """A speech model that cannot be found, assembled or loaded."""


class OutputError(AlignerError):
    """An output that would overwrite an input or cannot be written."""


def sigterm_as_interrupt() -> None:
    """SIGTERM handled as Ctrl-C is: raised as KeyboardInterrupt, so every ``with`` block
    unwinds (temporary audio and half-written outputs removed, workers stopped) instead of the
    process vanishing where it stands."""
    import signal

    def _interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread (an embedding application's worker): leave it be
        pass

