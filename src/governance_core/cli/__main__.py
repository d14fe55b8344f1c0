"""``python -m governance_core.cli``: the `governance` command."""

from governance_core.cli import main

main()
