"""Product-family model: schema, YAML loader and the expression language."""

from lotone.model.family import Family as Family
from lotone.model.family import Value as Value
from lotone.model.loader import load_family as load_family
from lotone.model.loader import load_family_text as load_family_text

__all__ = ["Family", "Value", "load_family", "load_family_text"]
