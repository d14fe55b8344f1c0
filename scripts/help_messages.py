"""Add the command line's help texts (cli/_help.py) to the message template scripts/messages
extracted: they are declared as ``help=`` and docstrings, not as ``_("…")`` calls."""

import sys

from babel.messages.pofile import read_po, write_po

from governance_core.cli import app
from governance_core.cli._help import help_texts

path = sys.argv[1]
with open(path, "rb") as template:
    catalog = read_po(template)
for text in help_texts(app):
    catalog.add(text)
with open(path, "wb") as template:
    write_po(template, catalog, omit_header=True)
