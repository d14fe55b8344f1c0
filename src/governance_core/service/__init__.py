"""The HTTP service (docs/service.md): the library for a district's other systems, over
FastAPI and uvicorn, with bearer tokens whose actors hold roles in organisations. Needs the
``service`` extra: ``pip install governance_core[service]``."""

from governance_core.service.app import create_app
from governance_core.service.context import Limits

__all__ = ["Limits", "create_app"]
