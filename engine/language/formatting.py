"""Values as an officer reads them: 27, 12.5, yes/no, a list joined by commas, "unknown".
Must not: raise on any value.
Entry point: ``format_value(value, fmt="") -> str``.
"""
from __future__ import annotations

from .arithmetic import is_number

UNKNOWN_TEXT = "unknown"


def format_value(value, fmt: str = "") -> str:
    """A value as an officer reads it: 27, 12.5, yes/no, a list joined by commas."""
    if value is None:
        return UNKNOWN_TEXT
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_number(value):
        if fmt:
            try:
                return format(value, fmt)
            except (ValueError, TypeError):
                pass
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0")
        return str(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v).replace("_", " ") for v in value) or "none"
    return str(value).replace("_", " ") if "_" in str(value) and " " not in str(value) \
        else str(value)

