"""governance_core."""
