"""Beside the floors: the benchmark (``bench``) and the load test (``loadtest``), run as
``python -m qwen3vl_demo.tools.bench`` and ``python -m qwen3vl_demo.tools.loadtest``."""
