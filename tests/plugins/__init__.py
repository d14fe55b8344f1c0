"""Plugins the tests register: one implementing every hook, and small ones that misbehave."""
