"""The testing toolkit for policy authors (docs/testing.md).

- :mod:`~governance_core.testing.strategies`: hypothesis strategies for the library's records
  (``st.from_type(Dossier)`` works once governance_core is installed);
- :mod:`~governance_core.testing.derived`: strategies derived from a loaded policy;
- :mod:`~governance_core.testing.invariants`: checks every policy should pass;
- :mod:`~governance_core.testing.stateful`: a state machine over any procedure;
- :mod:`~governance_core.testing.cases`: YAML case files with coverage (``governance test``);
- :mod:`~governance_core.testing.pytest_plugin`: fixtures, registered for pytest.

Nothing is imported here, so that the pytest plugin loads without hypothesis installed.
"""
