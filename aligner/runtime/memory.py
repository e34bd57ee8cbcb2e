"""Memory freed by Python and the libraries under it, handed back to the system.

glibc keeps memory that was freed inside its heaps for reuse, and every thread has heaps of
its own: after the transcript's parse (in a thread of its own) or a batch of decoding, the
process's resident size stays at its high-water mark, although nothing lives there. On an
hour of audio that was a third of the peak. ``give_back`` asks glibc to return what it
keeps (``malloc_trim``); elsewhere (macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import lru_cache

__all__ = ["give_back"]

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _trim():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        return libc.malloc_trim if libc is not None and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def give_back() -> bool:
    """Return freed heap memory to the system; True when the C library could be asked."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
