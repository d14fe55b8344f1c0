"""Rules, one package per kind: criteria lists (``criteria``), scoring (``scoring``), points
schemes (``points``) and procedures (``procedures``); and what every kind shares: bilingual
titles, citations and dates of effect (``common``), dated parameters (``parameters``), where a
record came from (``provenance``) and how a kind plugs into loading (``kinds``)."""
