"""Which files a visitor may name, and where the app writes the files it makes.

No gradio at import: the examples are turned into items through ``forms`` while Gradio imports.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

from ..core.config import ASSETS_DIR
from ..core.errors import InputError


@functools.cache
def generated_dir() -> Path:
    """This process's folder for text cards, video posters, fetched URLs and downloads (made on
    first use)."""
    return Path(tempfile.mkdtemp(prefix="qwen3vl_demo-"))


def _inside(real: str, root: os.PathLike | str) -> bool:
    return real.startswith(os.path.realpath(root) + os.sep)


def allowed_file(path: str) -> str:
    """``path`` if it is a file Gradio received as an upload or a bundled sample; anything else
    (``/etc/passwd``, ``../`` tricks, other local files named through the API) is refused."""
    real = os.path.realpath(path)
    if _inside(real, ASSETS_DIR) or _inside(real, generated_dir()):
        return path
    from gradio.utils import get_upload_folder  # only for uploads: the samples need no gradio

    if not _inside(real, get_upload_folder()):
        raise InputError(f"{os.path.basename(path) or path}: only uploaded files and the bundled "
                         "samples can be used")
    return path
