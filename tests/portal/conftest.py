from tests.dashboard.test_browser import browser  # noqa: F401 (the browser tests' fixture, for this folder)
