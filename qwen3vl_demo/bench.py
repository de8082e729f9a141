"""``python -m qwen3vl_demo.bench``: the benchmark (``tools.bench``)."""

from __future__ import annotations

import sys

from .tools.bench import main

if __name__ == "__main__":
    sys.exit(main())
