"""The shipped knowledge base: YAML files installed as package data.

Nothing here is code the engine runs; this module only tells where the files are, so that
`mse-advisor` finds its knowledge base from any directory once installed.
"""
from pathlib import Path


def path() -> Path:
    """The folder holding the shipped knowledge base."""
    return Path(__file__).resolve().parent
