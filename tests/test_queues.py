"""Every event that reads media or runs a model waits on a bounded queue: one visitor's uploads
cannot be multiplied by the default concurrency (8) into many videos decoded at once."""

from __future__ import annotations

from pathlib import Path

from qwen3vl_demo.service.engine import Engine

# Events that read no media: status, the timer, plain text, the session list and the table of
# scores to click (the heatmap's numbers, coloured), the numbers of a clicked score or page card.
LIGHT = {"status", "status_refresh", "status_on_load", "gallery_add_text", "gallery_clear", "load_example",
         "gallery_list", "retry_loading", "gallery_remove", "gallery_choices", "session_ended",
         "gallery_pick", "shown_scores", "cell_numbers", "pdf_best_page", "pdf_clicked_page"}


def test_media_reading_events_are_on_bounded_queues(tmp_path):
    from qwen3vl_demo.ui.app import build_demo

    engine = Engine("unused-embedder", "unused-reranker", samples=[], disk_cache=str(tmp_path))
    demo = build_demo(engine)
    events = {fn.api_name: fn for fn in demo.fns.values() if fn.api_name}
    assert {"gallery_add", "gallery_add_urls", "similarity", "inspect_video"} <= set(events)
    for name, fn in events.items():
        if name in LIGHT or name.startswith("load_example_") or fn.fn is None:  # fills inputs, or js only
            continue
        # a model's events a few at once (they take turns at the model by chunks), media reading two
        assert isinstance(fn.concurrency_limit, int) and fn.concurrency_limit <= 3, name
    assert events["gallery_add"].concurrency_id == events["gallery_add_urls"].concurrency_id
    assert events["similarity_example_page"].concurrency_id == events["similarity"].concurrency_id


def test_analytics_off_and_gradio_files_cleaned(tmp_path):
    from qwen3vl_demo.ui.app import build_demo

    demo = build_demo(Engine("unused-embedder", "unused-reranker", samples=[], disk_cache=str(tmp_path)))
    assert demo.analytics_enabled is False
    every, older_than = demo.delete_cache
    assert every <= 3600 and older_than <= 86400


def test_result_folders_live_under_one_root_and_old_ones_go():
    import os
    import time

    from qwen3vl_demo.service.session_files import RESULTS_MAX_AGE_S, RESULTS_ROOT
    from qwen3vl_demo.ui import outputs

    first = Path(outputs.downloads("similarity", ["a"], [[1]], {"x": 1})[0]).parent
    assert first.parent == RESULTS_ROOT
    old = time.time() - RESULTS_MAX_AGE_S - 60
    os.utime(first, (old, old))
    second = Path(outputs.downloads("similarity", ["a"], [[1]], {"x": 1})[0]).parent
    assert not first.exists() and second.exists()
