"""Build model objects from values that already have their fields' types, without validating.

The reader builds tens of thousands of small model objects per document (the cells of its grids,
the claims of its narrative and their bindings) from values it has already typed: a parsed
``Decimal``, a ``TableKind`` chosen by the recogniser. Validating them again only copies the
values, and on a whole document that copying is a visible share of reading (docs/benchmarks.md).
:func:`trusted` builds the same object without it: the instance it returns equals the validated
one and serialises alike, with the same set of fields marked as set (tests compare the two).
It is the reader's tool: the rules build the few objects a finding needs by validation.

Only for values of exactly the declared types (a ``str`` where a ``TableKind`` is declared
would stay a ``str``), and containers are taken as they are: pass a fresh list or dict (as
validation would copy one). ``pydantic.BaseModel.model_construct`` does the same but, with its
generic handling of aliases, extras and defaults, is slower than validating.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

_M = TypeVar("_M", bound=BaseModel)

# per model class: (every field with its plain default, in declaration order; the fields whose
# default comes from a factory, with the factory)
_SPECS: dict[type[BaseModel], tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...]]] = {}

_set = object.__setattr__


def _spec(cls: type[BaseModel]) -> tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...]]:
    if cls.__private_attributes__ or cls.model_config.get("extra") == "allow":
        raise TypeError(f"{cls.__name__}: trusted() handles models without private attributes or extras")
    plain: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    for name, info in cls.model_fields.items():
        if info.default_factory is not None:
            plain[name] = None  # replaced below
            factories.append((name, info.default_factory))  # type: ignore[arg-type]
        elif info.default is PydanticUndefined:
            plain[name] = PydanticUndefined  # required: must be given
        else:
            if isinstance(info.default, (list, dict, set)):
                raise TypeError(f"{cls.__name__}.{name}: a mutable default (validation would copy it)")
            plain[name] = info.default
    spec = _SPECS[cls] = (plain, tuple(factories))
    return spec


def trusted(cls: type[_M], **fields: Any) -> _M:
    """``cls(**fields)`` for values already of their fields' types (see the module docstring)."""
    spec = _SPECS.get(cls)
    if spec is None:
        spec = _spec(cls)
    plain, factories = spec
    values = dict(plain)
    for name, factory in factories:
        if name not in fields:
            values[name] = factory()
    values.update(fields)
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(fields))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
