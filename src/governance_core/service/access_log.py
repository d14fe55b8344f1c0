"""The service's logs as they may be kept: every path and query the access log writes is
decoded (``%33%37…`` is how a browser sends 37…) and masked as every output is, so that no
ID-card or mobile number reaches a log file; uvicorn's own loggers are configured to use it."""

from __future__ import annotations

import copy
import logging
from typing import Any
from urllib.parse import unquote

from governance_core.files import mask_personal_data

__all__ = ["MaskedAccess", "log_config"]


class MaskedAccess(logging.Filter):
    """Masks the path of each access-log record (uvicorn's ``uvicorn.access``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            shown = mask_personal_data(unquote(args[2], errors="replace"))
            record.args = (*args[:2], shown, *args[3:])
        record.msg = mask_personal_data(str(record.msg))
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, its access and error logs masked."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["masked"] = {"()": f"{__name__}.MaskedAccess"}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("masked")
    return config
