"""The advisor's YAML schema: which unquoted values are numbers, true/false or null.

PyYAML reads YAML 1.1, where ``NO`` is false (Norway's country code), ``0755`` is the octal
number 493, ``1:20`` is 80 (base 60), ``0x1F`` is 31, ``1_000`` is 1000 and ``2024-01-31`` a
date. Every file the advisor reads (knowledge-base files and case files alike) is read with
one smaller schema instead, that of YAML 1.2's core schema restricted to decimal numbers, so a
value means what it looks like:

    true, True, TRUE, false, False, FALSE        true/false (not yes, no, on, off, y, n)
    null, Null, NULL, ~, nothing                 null
    12, -3, +7, 0755                             whole numbers, always decimal (0755 is 755)
    1.5, .5, 1e5, -2.5E-3, .inf, -.inf, .nan     numbers (the last three are refused later:
                                                 every number must be finite)
    anything else unquoted                       text, exactly as written (1:20, 0x1F, 1_000,
                                                 2024-01-31, NO, yes)

One schema for both kinds of file is deliberate: a knowledge engineer and an officer should
never meet two meanings of the same line. Where a field must be text (an id, a label, case
metadata) a plain number or true/false is taken as the text written (``located.written_text``).
JSON is read by ``jsonsource`` with JSON's own rules.

Must not: read files, or build anything but plain values. Entry points: ``SchemaLoader`` (pure
Python, for the guarded composer), ``FastSchemaLoader`` (libyaml's composer, or None),
``construct_scalar(node)``.
"""
from __future__ import annotations

import re

import yaml

_TAG = "tag:yaml.org,2002:"
RESOLVERS = (  # (tag, pattern, the first characters it can start with); the first match wins
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
    ("merge", r"^(?:<<)$", "<"),  # recognised only so that a merge key can be refused by name
)


def _int(loader, node) -> int:
    return int(loader.construct_scalar(node), 10)  # "0755" is 755; ValueError past 4,300 digits


def _float(loader, node) -> float:
    text = loader.construct_scalar(node).lower()
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


def _bool(loader, node) -> bool:
    text = loader.construct_scalar(node).lower()
    if text not in ("true", "false"):
        raise ValueError("write true or false")
    return text == "true"


def _install(cls) -> None:
    cls.yaml_implicit_resolvers = {}
    for tag, pattern, first in RESOLVERS:
        cls.add_implicit_resolver(_TAG + tag, re.compile(pattern), list(first))
    cls.add_constructor(_TAG + "int", _int)
    cls.add_constructor(_TAG + "float", _float)
    cls.add_constructor(_TAG + "bool", _bool)


class SchemaLoader(yaml.SafeLoader):
    """PyYAML's safe loader with the advisor's schema."""


_install(SchemaLoader)

if hasattr(yaml, "CSafeLoader"):
    class FastSchemaLoader(yaml.CSafeLoader):
        """libyaml's safe loader with the advisor's schema (libyaml calls back to resolve)."""

    _install(FastSchemaLoader)
else:  # pragma: no cover - PyYAML built without libyaml
    FastSchemaLoader = None

_CONSTRUCTOR = SchemaLoader("")


def construct_scalar(node: yaml.ScalarNode):
    """The value of one scalar node under the schema; ValueError, OverflowError or
    yaml.YAMLError when its text does not fit its tag (``!!int abc``)."""
    return SchemaLoader.yaml_constructors[node.tag](_CONSTRUCTOR, node)  # no cache: no growth
