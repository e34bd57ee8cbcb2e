"""Memory the process frees goes back to the system.

Recognition allocates and frees buffers of a few megabytes by the thousand (audio, features,
encoder outputs of 3 MB a chunk). glibc serves them from its heap and, past a threshold it
raises as it goes, keeps what is freed for later, so the heap's high-water mark grew with the
length of the file: an align of the news clip looped to 17 minutes peaked at 1.1 GB while
recognising, of which 0.3 GB was freed memory glibc held on to. With a fixed threshold of
128 KiB, buffers above it are mapped and unmapped on their own (the peak fell to 0.8 GB).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

__all__ = ["return_freed_memory"]

log = logging.getLogger(__name__)

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_THRESHOLD = 128 * 1024  # bytes: glibc's own starting value, kept instead of raised


def return_freed_memory() -> bool:
    """Fix glibc's mmap and trim thresholds for this process (the command line and batch
    workers call it; API users may too). Whether it could: not on other C libraries."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        done = bool(libc.mallopt(_M_MMAP_THRESHOLD, _THRESHOLD)) and bool(libc.mallopt(_M_TRIM_THRESHOLD, _THRESHOLD))
    except (OSError, AttributeError):
        return False
    log.debug("glibc mmap and trim thresholds fixed at %d bytes: %s", _THRESHOLD, done)
    return done
