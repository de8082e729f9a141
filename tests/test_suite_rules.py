"""The test classes and the skip rule (tests/suite_rules.py), run on small suites of their own: an
unexpected skip fails the run and is named, an optional one does not, and a test that starts the app
is slow and left out of the quick run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT

CONFTEST = f"""
import sys
sys.path.insert(0, {str(ROOT / "tests")!r})
import pytest
from suite_rules import SuiteRules

def pytest_configure(config):
    config.pluginmanager.register(SuiteRules(), "suite-rules")
    for line in ("optional: may skip", "app: the app", "browser: Chromium", "real_size: big",
                 "vllm: vLLM", "slow: slow"):
        config.addinivalue_line("markers", line)

@pytest.fixture
def live_app():
    return "an app"
"""


def run_suite(directory: Path, tests: str, *args: str) -> subprocess.CompletedProcess:
    (directory / "conftest.py").write_text(CONFTEST)
    (directory / "test_sample.py").write_text("import pytest\n" + textwrap.dedent(tests))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers",
                           *args, str(directory)], cwd=directory, capture_output=True, text=True, timeout=120)


def test_a_skip_outside_the_optional_parts_fails_the_run_and_is_named(tmp_path: Path) -> None:
    done = run_suite(tmp_path, """
        def test_passes():
            pass

        def test_needs_a_fixture_that_is_missing():
            pytest.skip("fixtures not found")
    """)
    assert done.returncode == 1, done.stdout
    assert "skips outside the optional parts" in done.stdout
    assert "test_needs_a_fixture_that_is_missing: fixtures not found" in done.stdout


def test_an_optional_part_may_skip(tmp_path: Path) -> None:
    done = run_suite(tmp_path, """
        pytestmark = pytest.mark.optional

        def test_needs_vllm():
            pytest.skip("no vLLM environment")

        @pytest.mark.skipif(True, reason="sentence-transformers is not installed")
        def test_needs_sentence_transformers():
            pass
    """)
    assert done.returncode == 0, done.stdout
    assert "2 skipped" in done.stdout and "skips outside" not in done.stdout


def test_a_test_of_the_live_app_is_slow_and_left_out_of_the_quick_run(tmp_path: Path) -> None:
    tests = """
        def test_uses_the_app(live_app):
            assert live_app

        @pytest.mark.browser
        def test_in_chromium():
            pass

        def test_quick():
            pass
    """
    quick = run_suite(tmp_path, tests, "-m", "not slow")
    assert quick.returncode == 0 and "1 passed, 2 deselected" in quick.stdout, quick.stdout
    only_app = run_suite(tmp_path, tests, "-m", "app")
    assert "1 passed, 2 deselected" in only_app.stdout, only_app.stdout
