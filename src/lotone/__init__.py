"""lotone: personalized mass production, from a product family to a valid, made-to-order product."""

from lotone.errors import (
    Infeasible as Infeasible,
)
from lotone.errors import (
    InvalidValue as InvalidValue,
)
from lotone.errors import (
    LotoneError as LotoneError,
)
from lotone.errors import (
    ModelError as ModelError,
)
from lotone.errors import (
    Refused as Refused,
)
from lotone.errors import (
    UnknownName as UnknownName,
)

__version__ = "0.1.0"

__all__ = [
    "Infeasible",
    "InvalidValue",
    "LotoneError",
    "ModelError",
    "Refused",
    "UnknownName",
    "__version__",
]
