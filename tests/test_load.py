"""8 concurrent gradio_client sessions x 10 mixed requests against the real app on the fixtures."""

from __future__ import annotations

from conftest import LiveApp

from qwen3vl_demo.tools.loadtest import percentile, run_load


def test_percentile_nearest_rank():
    values = sorted(float(v) for v in range(1, 101))
    assert percentile(values, 50) == 50.0 and percentile(values, 95) == 95.0
    assert percentile([3.0], 95) == 3.0 and percentile([], 50) == 0.0


def test_eight_clients_ten_mixed_requests_all_succeed_and_models_load_once(live_app: LiveApp):
    report = run_load(live_app.url, clients=8, requests=10)
    print(f"\nload test: {report['succeeded']}/{report['requests']} ok in {report['seconds']} s, "
          f"p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms; by kind: {report['by_kind']}")
    assert report["failures"] == []
    assert report["succeeded"] == 80
    assert set(report["by_kind"]) >= {"similarity", "search", "search+rerank", "rerank", "gallery_list"}
    client = live_app.client()
    try:
        status = client.predict(api_name="/status")
    finally:
        client.close()
    assert status["embedding"]["attempts"] == 1 and status["reranker"]["attempts"] == 1
    assert status["embedding"]["state"] == status["reranker"]["state"] == "ready"
