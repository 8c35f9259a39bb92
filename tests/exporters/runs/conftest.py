"""Fixtures for runs live in tests/exporters/conftest.py (the feeds tests use them too)."""
