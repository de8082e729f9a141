"""Load test: concurrent gradio_client sessions sending mixed requests to a running app.

    python -m qwen3vl_demo.tools.loadtest --url http://127.0.0.1:7860/ --clients 8 --requests 10

Prints each kind of request's count and the p50 / p95 latency, and whether every request
succeeded. Traffic goes only to the URL given (use a local app).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from ..core.config import ASSETS_DIR

QUERIES = ("A woman playing with her dog on a beach at sunset.", "Cyclists in a city bike lane.",
           "A clean bathroom with a glass shower.", "Wooden spoons on a table.")


def _requests(client: Any, number: int, handle_file: Callable[[str], Any]) -> list[tuple[str, Callable]]:
    """Ten kinds of calls a visitor makes, varied by the client's number."""
    dim = client.predict(api_name="/status")["embedding"]["full_dim"]
    query = QUERIES[number % len(QUERIES)]
    image = handle_file(str(ASSETS_DIR / "images" / f"img_{number % 10}.jpg"))
    return [
        ("status", lambda: client.predict(api_name="/status")),
        ("similarity", lambda: client.predict(
            f"{query}\nvisitor {number}", [], "Find images.", "A dog.\nA kitchen.", [image], "", None,
            "", dim, api_name="/similarity")),
        ("search", lambda: client.predict(query, None, None, "Find images.", 5, False, dim,
                                          api_name="/search")),
        ("search+rerank", lambda: client.predict(f"{query} ({number})", None, None, "Find images.", 3,
                                                 True, dim, api_name="/search")),
        ("rerank", lambda: client.predict(query, None, "", "A dog on sand.\nA train.\nA bathroom.", [],
                                          api_name="/rerank")),
        ("gallery_add_text", lambda: client.predict(f"note from visitor {number}",
                                                    api_name="/gallery_add_text")),
        ("gallery_list", lambda: client.predict(api_name="/gallery_list")),
        ("search own gallery", lambda: client.predict(f"visitor {number}", None, None, "", 3, False, dim,
                                                      api_name="/search")),
        ("similarity image query", lambda: client.predict(
            "", [image], "", "A bathroom.\nCyclists.", [], "", None, "", dim, api_name="/similarity")),
        ("rerank image query", lambda: client.predict("", image, "", "Spoons.\nA bike lane.", [],
                                                      api_name="/rerank")),
    ]


def run_load(url: str, clients: int = 8, requests: int = 10) -> dict[str, Any]:
    """Run ``clients`` sessions at once, each sending ``requests`` mixed requests in order."""
    from gradio_client import Client, handle_file

    latencies: dict[str, list[float]] = {}
    failures: list[str] = []
    lock = threading.Lock()

    def visitor(number: int) -> None:
        try:
            client = Client(url, verbose=False, download_files=False)
        except Exception as exc:  # noqa: BLE001 - counted as a failure, reported below
            with lock:
                failures.append(f"client {number}: could not connect: {exc}")
            return
        calls = _requests(client, number, handle_file)
        for index in range(requests):
            name, call = calls[index % len(calls)]
            started = time.perf_counter()
            try:
                call()
            except Exception as exc:  # noqa: BLE001
                with lock:
                    failures.append(f"client {number} {name}: {exc}")
                continue
            with lock:
                latencies.setdefault(name, []).append(time.perf_counter() - started)
        client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = sorted(t for values in latencies.values() for t in values)
    return {
        "clients": clients, "requests": clients * requests, "succeeded": len(everything),
        "failures": failures, "seconds": round(time.perf_counter() - started, 2),
        "p50_ms": round(percentile(everything, 50) * 1000, 1),
        "p95_ms": round(percentile(everything, 95) * 1000, 1),
        "by_kind": {name: {"count": len(v), "p50_ms": round(percentile(v, 50) * 1000, 1),
                           "p95_ms": round(percentile(v, 95) * 1000, 1)}
                    for name, v in ((name, sorted(v)) for name, v in sorted(latencies.items()))},
    }


def percentile(sorted_values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of already sorted values; 0 for none."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(q / 100 * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args(argv)
    report = run_load(args.url, args.clients, args.requests)
    print(json.dumps(report, indent=2))
    return 0 if not report["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
