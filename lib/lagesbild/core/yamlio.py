"""Strict YAML: PyYAML's safe loader, except that a key written twice in one mapping is an error.

Used for every YAML lägesbild reads (a kommun's ``params/`` file, the ``metadata.yaml`` of a folder
of the kommun's own tables), so that a second ``reports:`` section never silently replaces the first.
"""

from __future__ import annotations

from typing import Any

import yaml

from lagesbild.core.fmt import plain


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A key written twice in one mapping."""


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a key written twice in one mapping is an error: PyYAML keeps
    the last one silently, so a second ``reports:`` section would throw away the first."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key: construct_mapping reports it
            continue
        if first is not None:
            raise DuplicateKeyError(None, None, f"the key {plain(key)} appears twice (lines {first} and {key_node.start_mark.line + 1})",
                                key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def strict_yaml(text: str) -> Any:
    """Parse YAML safely (no Python objects), refusing a key written twice in one mapping.

    PyYAML's ``safe_load`` keeps the last of two equal keys without a word; every YAML a user writes
    (``params/``, ``metadata.yaml``) goes through this instead.

    Raises
    ------
    yaml.YAMLError
        Invalid YAML, or a duplicate key (its ``problem`` names the key and both lines).

    Examples
    --------
    >>> strict_yaml("kalla: Polisen\\ndatum: 2025-01-01")["kalla"]
    'Polisen'
    >>> try:
    ...     strict_yaml("kalla: a\\nkalla: b")
    ... except yaml.YAMLError as exc:
    ...     print(exc.problem)
    the key 'kalla' appears twice (lines 1 and 2)
    """
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 — a SafeLoader subclass
