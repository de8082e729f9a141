"""The Python API changes nothing process-wide: Pillow's bomb check and truncated-image setting
are the same after loading a model and reading images on threads, and no ignore-all warning
filter is left behind (third-party libraries' own import-time filters are theirs)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ASSETS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # a child Python process
def test_loading_and_reading_leave_process_settings_alone(embedder_path, tmp_path):
    script = textwrap.dedent(f"""
        import json, threading, warnings
        from PIL import Image, ImageFile
        ImageFile.LOAD_TRUNCATED_IMAGES = True  # the host program's own choice
        def ignore_all():  # what warnings.catch_warnings + simplefilter("ignore") on threads leaves
            return any(f[0] == "ignore" and f[1] is None and f[2] is Warning and f[3] is None
                       for f in warnings.filters)
        before = (Image.MAX_IMAGE_PIXELS, ignore_all())
        import qwen3vl_demo
        from qwen3vl_demo.core import media
        embedder = qwen3vl_demo.load_embedder({embedder_path!r}, device="cpu")
        threads = [threading.Thread(target=media.open_image, args=({str(ASSETS / "images" / "img_8.jpg")!r},))
                   for _ in range(4)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        after = (Image.MAX_IMAGE_PIXELS, ignore_all())
        print(json.dumps({{"same": before == after, "truncated": ImageFile.LOAD_TRUNCATED_IMAGES,
                          "pixels": Image.MAX_IMAGE_PIXELS}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=True)
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome == {"same": True, "truncated": True, "pixels": outcome["pixels"]}
    assert outcome["pixels"] is not None  # Pillow's bomb check is still on
