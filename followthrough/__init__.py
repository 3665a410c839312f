"""Followthrough: see scrutiny recommendations through to done, and prove it."""
