"""Input files: YAML read with every value's position, and structuring with located problems.

The layer below the records: it knows files, lines and columns, and nothing of the domain.
"""

from governance_core.files._masking import (
    is_id_card_number,
    mask_personal_data,
    masked,
    personal_data_shown,
    showing_personal_data,
)
from governance_core.files._os_words import driver_reason, os_reason
from governance_core.files._structuring import did_you_mean, structure_located
from governance_core.files.limits import read_bounded
from governance_core.files.tables import TableSpec, read_tables
from governance_core.files.yaml_tree import (
    Located,
    Path,
    Position,
    decode_text,
    load_yaml,
    parse_yaml,
)

__all__ = [
    "Located",
    "Path",
    "Position",
    "TableSpec",
    "decode_text",
    "did_you_mean",
    "driver_reason",
    "is_id_card_number",
    "load_yaml",
    "mask_personal_data",
    "masked",
    "os_reason",
    "parse_yaml",
    "personal_data_shown",
    "read_bounded",
    "read_tables",
    "showing_personal_data",
    "structure_located",
]
