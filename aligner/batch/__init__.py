"""``aligner batch``: every video in a folder tree, resumable, in parallel, or on a Dask cluster.

The coordinator (``run``) surveys the tree (``discovery``), plans one job per clip keyed by its
inputs and options (``jobs``), skips what the manifest says is done with the same key
(``manifest``), and records each result the moment it arrives; workers (local processes or
Dask workers) load the model once each and write a clip's outputs all or none. Killing the run
at any moment therefore loses nothing finished and leaves nothing half-written. ``summary``
writes the table; ``types`` holds the data they pass.
"""

from __future__ import annotations

from .discovery import MEDIA_EXTENSIONS, discover, survey
from .jobs import plan, run_job
from .manifest import LOCK, MANIFEST, SUMMARIES, Manifest, folder_lock
from .run import WORKER_MEMORY, run_batch, worker_layout
from .summary import summary_rows, write_summaries
from .types import Clip, Job, JobOptions, JobResult, Survey

__all__ = [
           "LOCK",
           "MANIFEST",
           "MEDIA_EXTENSIONS",
           "SUMMARIES",
           "WORKER_MEMORY",
           "Clip",
           "Job",
           "JobOptions",
           "JobResult",
           "Manifest",
           "Survey",
           "discover",
           "folder_lock",
           "plan",
           "run_batch",
           "run_job",
           "summary_rows",
           "survey",
           "worker_layout",
           "write_summaries",
]
