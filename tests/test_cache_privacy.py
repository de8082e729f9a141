"""Another visitor cannot tell what you embedded: the shared cache serves a session only what it
embedded itself and the bundled samples (anything else is computed again, cost line and all)."""

from __future__ import annotations

import uuid

import pytest
from conftest import ASSETS, LiveApp
from gradio_client import handle_file

SAMPLE_IMAGE = ASSETS / "images" / "img_8.jpg"


@pytest.fixture
def two_sessions(live_app: LiveApp, tmp_path):
    first, second = live_app.client(tmp_path / "a"), live_app.client(tmp_path / "b")
    yield first, second
    first.close()
    second.close()


def _cached(client, query: str, files=None) -> int:
    """Cached inputs of a similarity with a never-seen document: the query's hit, or not."""
    document = f"a document nobody wrote before {uuid.uuid4().hex}"
    result = client.predict(query, files, "", document, None, "", None, "", 64, api_name="/similarity")
    return result[-1]["cost"]["cached_inputs"]


def test_a_text_another_session_embedded_is_not_reported_cached(two_sessions):
    first, second = two_sessions
    secret = f"my private note {uuid.uuid4().hex}"
    assert _cached(first, secret) == 0
    assert _cached(second, secret) == 0  # as for a text nobody embedded
    assert _cached(first, secret) == 1  # the session that embedded it sees its own hit


def test_an_uploaded_image_another_session_embedded_is_not_reported_cached(two_sessions, tmp_path):
    first, second = two_sessions
    image = tmp_path / "mine.png"
    from PIL import Image

    Image.new("RGB", (64, 48), (int(uuid.uuid4().int % 255), 10, 200)).save(image)
    assert _cached(first, "", [handle_file(str(image))]) == 0
    assert _cached(second, "", [handle_file(str(image))]) == 0
    assert _cached(first, "", [handle_file(str(image))]) == 1


def test_bundled_samples_stay_cached_for_everyone(two_sessions):
    first, _ = two_sessions
    assert _cached(first, "", [handle_file(str(SAMPLE_IMAGE))]) == 1  # embedded at start-up
