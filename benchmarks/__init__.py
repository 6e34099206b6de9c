"""Benchmarks of the advisor (see README.md); ``casegen`` is also used by the tests."""
