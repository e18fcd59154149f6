"""What citepages reads of a site's mkdocs.yml without MkDocs: whether the build is strict, and the options
of the Markdown extensions it must agree with (pymdownx.snippets)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml


class _Loader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it, as far as citepages needs: `!ENV` from the environment, other tags
    (`!!python/name:…` and the like, which only MkDocs can resolve) as nothing."""


def _env(loader, node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    default = names.pop() if len(names) > 1 else None
    value = next((os.environ[name] for name in names if name in os.environ), None)
    return default if value is None else yaml.safe_load(value)


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict:
    """The config as data; empty when there is none or MkDocs could not read it either (MkDocs then says why)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) if path.is_file() else None
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def is_strict(config: dict) -> bool:
    return config.get("strict") is True


def extension_options(config: dict, name: str) -> dict | None:
    """The options of a Markdown extension the config loads (an empty dict for none), or None when it does not load it."""
    for item in config.get("markdown_extensions") or []:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            return item[name] or {}
    return None
