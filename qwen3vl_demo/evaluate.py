"""``python -m qwen3vl_demo.evaluate DIR``: metrics on a labelled set (``tools.evaluate``)."""

from __future__ import annotations

import sys

from .tools.evaluate import main

if __name__ == "__main__":
    sys.exit(main())
