"""Build model objects from values that already have their fields' types, without validating.

The rule engine builds hundreds of small model objects per document (claims, bindings, the Refs
of cells and sentences) from values taken out of other model objects: a validated ``Cell.value``
is already a ``Decimal``, a ``Table.kind`` already a ``TableKind``. Validation then only copies
them; it costs 1.5–5 µs per object (``Claim``: its ``attrs`` union). :func:`trusted` builds the
same object in well under a microsecond: the instance it returns equals the validated one and
serialises alike, with the same set of fields marked as set.

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
