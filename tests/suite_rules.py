"""The test classes and the one rule about skips, as a pytest plugin (registered by conftest).

Classes (markers, registered in pyproject.toml): ``browser`` (headless Chromium), ``app`` (app.py in
a child process; given to every test that uses the ``live_app`` or ``start_app`` fixture),
``real_size`` (checkpoints in the published 2B/8B shapes), ``vllm`` (real vLLM servers). Each of them
is also ``slow``: ``pytest -m "not slow"`` is the quick run, plain ``pytest`` the full one.

Skips: only a test marked ``optional`` (it needs a part the project does not require: vLLM,
sentence-transformers, or a platform facility) may skip. Any other skip is listed at the end and
makes the run fail, so that a missing fixture or tool cannot hide tests behind a green run.
"""

from __future__ import annotations

import pytest

SLOW_CLASSES = ("browser", "app", "real_size", "vllm")
APP_FIXTURES = frozenset({"live_app", "start_app", "zerogpu_app"})
OPTIONAL = "optional"


class SuiteRules:
    """Marks the slow classes at collection; collects the skips the rule does not allow."""

    def __init__(self) -> None:
        self.unexpected_skips: list[str] = []

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            if APP_FIXTURES & set(getattr(item, "fixturenames", ())):
                item.add_marker("app")
            if any(item.get_closest_marker(name) for name in SLOW_CLASSES):
                item.add_marker("slow")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.skipped and not hasattr(report, "wasxfail") and OPTIONAL not in report.keywords:
            self.unexpected_skips.append(f"{report.nodeid}: {skip_reason(report)}")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.skipped:  # a whole module skipped at import: no markers to tell it is optional
            self.unexpected_skips.append(f"{report.nodeid}: {skip_reason(report)}")

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.unexpected_skips:
            return
        terminalreporter.section("skips outside the optional parts (they fail the run)", red=True)
        for line in self.unexpected_skips:
            terminalreporter.write_line(line)
        terminalreporter.write_line(
            "Only tests marked 'optional' may skip. Install what is missing (bash scripts/setup-dev.sh), "
            "or leave a class out on purpose, e.g. -m 'not browser'.")

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.unexpected_skips and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)
