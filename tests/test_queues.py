"""Every event that reads media or runs a model waits on a bounded queue: one visitor's uploads
cannot be multiplied by the default concurrency (8) into many videos decoded at once."""

from __future__ import annotations

from qwen3vl_demo.service.engine import Engine

# Events that read no media: status, the timer, plain text and the session list.
LIGHT = {"status", "status_refresh", "status_on_load", "gallery_add_text", "gallery_clear", "load_example",
         "gallery_list", "retry_loading"}


def test_media_reading_events_are_on_bounded_queues(tmp_path):
    from qwen3vl_demo.ui.app import build_demo

    engine = Engine("unused-embedder", "unused-reranker", samples=[], disk_cache=str(tmp_path))
    demo = build_demo(engine)
    events = {fn.api_name: fn for fn in demo.fns.values() if fn.api_name}
    assert {"gallery_add", "gallery_add_urls", "similarity", "inspect_video"} <= set(events)
    for name, fn in events.items():
        if name in LIGHT or name.startswith("load_example_"):  # loading fills the inputs only
            continue
        assert isinstance(fn.concurrency_limit, int) and fn.concurrency_limit <= 2, name
    assert events["gallery_add"].concurrency_id == events["gallery_add_urls"].concurrency_id
    assert events["similarity_example"].concurrency_id == events["similarity"].concurrency_id
