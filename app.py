"""Entry point: settings from the command line and environment, then launch.

    python app.py                 # Qwen/Qwen3-VL-Embedding-2B + Qwen/Qwen3-VL-Reranker-2B from the Hub
    python app.py --tiny          # tiny random-weight models built offline
    python app.py --embedder DIR --reranker DIR --device cpu --port 7860

On Hugging Face ZeroGPU (``SPACES_ZERO_GPU`` set, as the ``spaces`` package decides) the models load
here, in the main thread, before ``launch()``, and every model call runs in a GPU worker that
``spaces.GPU`` forks (see ``qwen3vl_demo.service.compute``); everywhere else they load in the
background while the page is already up.
"""

from __future__ import annotations

import sys

from qwen3vl_demo.core.config import on_zerogpu, parse_settings
from qwen3vl_demo.core.openmp import wait_passively

if on_zerogpu():
    import spaces  # before anything touches CUDA: it emulates CUDA in this thread until a GPU is lent

from qwen3vl_demo.service.engine import Engine
from qwen3vl_demo.service.fetch import UrlPolicy
from qwen3vl_demo.ui.examples import embedding_inputs

wait_passively()  # before torch loads OpenMP, on CPUs without native bfloat16 (core/openmp.py says why)
SETTINGS = parse_settings(sys.argv[1:] if __name__ == "__main__" else [])
ENGINE = Engine(SETTINGS.embedder, SETTINGS.reranker, SETTINGS.device, SETTINGS.dtype,
                embedder_url=SETTINGS.embedder_url, reranker_url=SETTINGS.reranker_url,
                api_key=SETTINGS.api_key, preload=embedding_inputs(),
                gpu=spaces.GPU if on_zerogpu() else None)
# Read while Gradio imports: the gallery and the examples answer from it as soon as the page is up.
ENGINE.read_saved_index()

from qwen3vl_demo.ui.app import build_demo, launch_options  # noqa: E402 - after the index read starts

demo = build_demo(ENGINE, urls=UrlPolicy(enabled=SETTINGS.allow_urls))
if on_zerogpu():
    # Both models, then the gallery's index through GPU calls, before launch() packs the weights.
    ENGINE.start_before_launch()
else:
    # The models load in the background from here: not earlier, where importing them would only
    # slow Gradio's import (both hold the interpreter lock) and so the first page.
    ENGINE.start()

if __name__ == "__main__":
    demo.queue(default_concurrency_limit=8, max_size=128).launch(
        server_name=SETTINGS.host, server_port=SETTINGS.port, share=SETTINGS.share, mcp_server=SETTINGS.mcp,
        **launch_options(),
    )
