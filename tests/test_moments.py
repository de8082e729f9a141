"""Moments in a long video: windows planned and limited, frames decoded once for all overlapping
windows, each window the official frame-list input, a new query answered from the cached windows;
the tab through the API and in a real browser."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from conftest import ASSETS, SHOTS, LiveApp, english, shots
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from qwen3vl_demo.core.errors import InputError
from qwen3vl_demo.service import moments as mm
from qwen3vl_demo.ui.tabs.moments import EXAMPLES

CYCLING = str(ASSETS / "videos" / "cycling.mp4")



def test_windows_cover_the_video_and_the_last_ends_with_it() -> None:
    windows = mm.plan_windows(12.0, 4, 3)
    assert [(w.start, w.end) for w in windows] == [(0, 4), (3, 7), (6, 10), (8, 12)]
    assert mm.window_times(windows[1]) == [3.0, 4.0, 5.0, 6.0]  # 1 fps, the official rate
    assert [(w.start, w.end) for w in mm.plan_windows(3.0, 10, 5)] == [(0, 3)]  # a short video: one window


@pytest.mark.parametrize("length, stride, message", [
    (1, 1, "window length must be 2 to 60 s"), (61, 5, "window length must be 2 to 60 s"),
    (10, 0, "stride must be 1 to 120 s"), (10, 121, "stride must be 1 to 120 s"),
])
def test_bad_window_settings_are_refused(length: float, stride: float, message: str) -> None:
    with pytest.raises(InputError, match=message):
        mm.plan_windows(100.0, length, stride)


def test_a_long_video_at_a_short_stride_is_over_the_window_limit_with_a_stride_that_fits() -> None:
    with pytest.raises(InputError, match=r"719 windows of 10 s every 5 s; the limit is 60 per request: choose a "
                                         r"stride of at least 61 s"):
        mm.plan_windows(3600.0, 10, 5)
    assert len(mm.plan_windows(3600.0, 10, 61)) <= mm.MAX_WINDOWS


def test_frames_are_decoded_once_and_shared_by_overlapping_windows(tmp_path: Path) -> None:
    facts = mm.video_facts(CYCLING)
    windows = mm.plan_windows(facts.seconds, 4, 2)
    items = mm.window_items(CYCLING, facts, windows, tmp_path)
    folder = next(tmp_path.glob("frames-*"))
    assert len(list(folder.glob("*.png"))) == 12  # 12 s at 1 fps, not 5 windows x 4 frames
    assert items[1].parts[:2] == items[0].parts[2:]  # the same files, decoded once
    assert items[0].to_input() == {"video": list(items[0].parts)}  # the official frame-list input
    assert items[2].label == "cycling.mp4 · 0:04–0:08"
    with av.open(CYCLING) as container:  # the frame at 5 s is the video's frame at 5 s
        for frame in container.decode(video=0):
            if float(frame.pts * frame.time_base) >= 5.0:
                expected = frame.to_ndarray(format="rgb24")
                break
    from PIL import Image

    np.testing.assert_array_equal(np.asarray(Image.open(folder / "t000005000.png")), expected)


def test_a_clip_of_a_moment_plays_its_window(tmp_path: Path) -> None:
    clip = mm.clip_file(CYCLING, mm.Window(4, 8), tmp_path)
    with av.open(clip) as container:
        assert container.streams.video[0].frames == 32  # 4 s at 8 fps
        assert float(container.duration / 1e6) == pytest.approx(4.0, abs=0.2)


def test_bad_videos_are_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.mp4"
    fake.write_text("not a video")
    with pytest.raises(InputError, match=r"fake\.mp4 is not a readable video"):
        mm.video_facts(str(fake))


# --- through the running app ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def api(live_app: LiveApp):
    session = live_app.client()
    yield session
    session.close()


def test_costs_are_shown_before_running(api) -> None:
    text = api.predict(handle_file(CYCLING), 4, 2, api_name="/moments_cost")
    assert english(text).startswith("cycling.mp4: 0:12 · 5 windows (limit 60) · 12 frames decoded once · ")
    assert "visual tokens" in text


def test_moments_rank_windows_and_a_new_query_costs_one_forward(api) -> None:
    query, _, instruction, length, stride, rerank = EXAMPLES[0]
    _, cards, table, cost, data = api.predict(query, handle_file(CYCLING), instruction, length,
                                              stride, rerank, api_name="/moments")
    assert len(data["windows"]) == 5 and np.asarray(data["scores"]).shape == (2, 5)
    assert len(cards) == 5 and all("cycling.mp4 · 0:" in c["caption"] for c in cards)
    assert [row[0] for row in table["data"]] == [1, 2, 3, 4, 5] and table["data"][0][4] is not None  # reranked
    facts = mm.video_facts(CYCLING)
    per_window = mm.window_tokens(facts, mm.plan_windows(facts.seconds, length, stride)[0])
    assert f"({per_window} visual)" in cost  # the estimate shown before running is what the model saw
    assert all(f"window {n}:" in cost for n in range(1, 6))  # every window costed, each once
    *_, cost, again = api.predict("A bathroom.", handle_file(CYCLING), instruction, length, stride,
                                     False, api_name="/moments")
    assert "♻ 5 from the cache" in cost or "5 from the cache" in cost  # the windows were not embedded again
    assert len(again["windows"]) == 5


def test_window_scores_are_the_official_embeddings_and_an_image_query_works(api, embedder, tmp_path: Path) -> None:
    """The app's score of a window is the cosine of load_embedder(...).embed of the query and of
    {"video": [the window's frames]} (frames decoded here, to the same pixels)."""
    instruction = EXAMPLES[0][2]
    image = str(ASSETS / "images" / "img_8.jpg")
    *_, data = api.predict("Cyclists.", handle_file(CYCLING), instruction, 4, 4, False, handle_file(image),
                           api_name="/moments")
    assert data["queries"] == ["Cyclists.", "img_8.jpg"] and len(data["windows"]) == 3
    facts = mm.video_facts(CYCLING)
    items = mm.window_items(CYCLING, facts, mm.plan_windows(facts.seconds, 4, 4), tmp_path)
    queries = [{"text": "Cyclists.", "instruction": instruction}, {"image": image, "instruction": instruction}]
    vectors = embedder.embed([*queries, *[item.to_input() for item in items]])
    np.testing.assert_allclose(data["scores"], vectors[:2] @ vectors[2:].T, atol=1e-4)


def test_moments_refuse_bad_input_and_the_app_keeps_serving(api, tmp_path: Path) -> None:
    with pytest.raises(AppError, match=r"type at least one query .*or give an image"):
        api.predict("", handle_file(CYCLING), "", 4, 2, False, api_name="/moments")
    with pytest.raises(AppError, match="less than minimum value 2"):  # the slider's own bound, said by Gradio
        api.predict("a train", handle_file(CYCLING), "", 1, 1, False, api_name="/moments")
    fake = tmp_path / "fake.mp4"
    fake.write_text("not a video")
    with pytest.raises(AppError, match=r"fake\.mp4"):
        api.predict("a train", handle_file(str(fake)), "", 4, 2, False, api_name="/moments")
    assert english(api.predict(handle_file(CYCLING), 10, 5, api_name="/moments_cost")).startswith("cycling.mp4")


# --- in the browser --------------------------------------------------------------------------------
@pytest.mark.browser
def test_a_video_uploaded_through_the_page_gives_its_moments(browser, live_app: LiveApp) -> None:
    tab = shots.new_page(browser)
    try:
        shots.open_app(tab, live_app.url)
        shots.select_tab(tab, "⏱️ Moments")
        tab.locator("#moments-video input[type=file]").set_input_files(CYCLING)
        tab.locator("#moments-cost").get_by_text("windows (limit 60)").wait_for(timeout=60_000)
        tab.locator("#moments-query").get_by_role("textbox").fill("Cyclists in a bike lane.")
        tab.locator("#moments-button").click()
        tab.locator("#moments-best .caption-label").first.wait_for(timeout=120_000)
        shots.wait_idle(tab, "#moments-best")
        captions = tab.locator("#moments-best .caption-label").all_text_contents()
        assert len(captions) == 2 and all("cycling.mp4 · 0:" in c for c in captions), captions  # 10 s / 5 s
        tab.locator("#moments-best img").first.click()
        tab.locator("#moments-clip video").wait_for(timeout=60_000)
        shots.screenshot(tab, SHOTS / "moments.png")
    finally:
        tab.close()
