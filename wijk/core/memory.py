"""Keep the server's resident memory close to what it holds: allocators that hand freed memory back.

A server reads its data once and then runs scripts that make and drop frames. The default allocators
keep what is freed for later: Arrow's default pool (mimalloc) holds the pages of pandas' string
columns and of every parquet read (about 30 MB after the five screens; its jemalloc pool keeps half
of what is freed too: a decay set at run time applies to arenas made later only), and glibc raises
its threshold for mapping a big block after the first one is freed, so later frames of up to 32 MB
come from the heap and stay resident after they are dropped (about 20 MB). Here Arrow allocates
from the C library, which maps every block from MMAP_THRESHOLD on and unmaps it when freed, and
`trim` hands back the free pages of the smaller blocks after work that made and dropped many.
Guarded: a C library without glibc's calls keeps its defaults (then `trim` frees Arrow's pool only).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import threading
from typing import Any

M_MMAP_THRESHOLD = -3  # glibc mallopt parameter
MMAP_THRESHOLD = 256 * 1024  # blocks from this size on are mapped, and unmapped when freed

_lock = threading.Lock()
_done = False


@functools.cache
def _glibc() -> Any | None:
    """The C library when it is glibc (mallopt and malloc_trim are glibc's), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it
        libc.mallopt, libc.malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def return_freed_memory() -> None:
    """Once per process, with glibc: glibc maps blocks from MMAP_THRESHOLD on (unmapped again when
    freed), and Arrow allocates from it (every later parquet read and pandas string column). Buffers
    made before keep their own pool; nothing is copied. Elsewhere nothing changes."""
    global _done
    with _lock:
        if _done:
            return
        _done = True
        libc = _glibc()
        if libc is None or not libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD):
            return
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())


def trim() -> None:
    """Hand back what the allocators hold free now (after a load that made and dropped temporaries)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    with contextlib.suppress(NotImplementedError):  # a pyarrow built without mimalloc
        pa.mimalloc_memory_pool().release_unused()  # what was allocated before `return_freed_memory`
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
