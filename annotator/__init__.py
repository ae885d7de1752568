"""annotator: tag scraped news articles for source quality."""

# Kept in step with ``version`` in pyproject.toml (tests/unit/test_version.py checks it).
# A constant rather than an ``importlib.metadata`` lookup, which costs every command
# about 70 ms of start-up.
__version__ = "0.1.0"
