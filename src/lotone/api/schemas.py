"""Request and response bodies (Pydantic), apart from the tables in ``lotone.store``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

__all__ = [
    "ApiKeyIn",
    "ApiKeyOut",
    "ConfigurationIn",
    "ConfigurationOut",
    "ConfigureIn",
    "ConsentIn",
    "CustomerIn",
    "CustomerOut",
    "CustomerPatch",
    "FamilyDetail",
    "FamilySummary",
    "FamilyUpload",
    "FamilyVersionOut",
    "OrderIn",
    "OrderOut",
    "Purpose",
    "RecommendIn",
    "RecommendationOut",
    "StateOut",
    "StatusChange",
    "WhyIn",
    "WorkOrderOut",
]

Purpose = Literal["fit", "recommendation", "design", "analytics"]
OrderStatus = Literal["placed", "released", "in_production", "shipped", "cancelled"]
Key = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Ident = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Scalar = str | int | float | bool
Choices = Annotated[dict[Key, Scalar], Field(max_length=500)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FamilyUpload(_In):
    """A new family version: its YAML source (versions are immutable)."""

    source: Annotated[str, StringConstraints(min_length=1, max_length=200_000)]


class FamilyVersionOut(BaseModel):
    """One version of a family, with its attributes, modules and rules."""

    id: str
    version: str
    name: str
    description: str
    currency: str
    created_at: datetime
    attributes: list[dict[str, JsonValue]]
    modules: list[dict[str, JsonValue]]
    rules: list[dict[str, JsonValue]]
    source: str


class FamilySummary(BaseModel):
    """A family: its versions, newest last."""

    id: str
    name: str
    versions: list[str]
    latest: str


class FamilyDetail(FamilySummary):
    """A family with its newest version in full."""

    latest_version: FamilyVersionOut


class WhyIn(_In):
    """Ask why a value is withheld, and which choices to drop to get it."""

    key: Key
    value: Scalar


class ConfigureIn(_In):
    """Choices to analyse; optionally complete them or ask why a value is withheld."""

    version: Ident | None = None
    choices: Choices = Field(default_factory=dict)
    complete: bool = False
    objective: Literal["defaults", "min_price"] = "defaults"
    why: WhyIn | None = None


class StateOut(BaseModel):
    """The configurator's answer (the shape of ``lotone configure --json``)."""

    family: str
    version: str
    status: Literal["complete", "incomplete", "conflict"]
    choices: dict[str, JsonValue]
    domains: dict[str, JsonValue]
    price: JsonValue
    currency: str | None
    price_exact: bool
    conflict: dict[str, JsonValue] | None = None
    configuration: dict[str, JsonValue] | None = None
    why: dict[str, JsonValue] | None = None
    repair: list[str] | None = None


class RecommendIn(_In):
    """Choices to keep; the rest is proposed from past orders (and the profile, if asked)."""

    version: Ident | None = None
    choices: Choices = Field(default_factory=dict)
    use_profile: bool = Field(
        False,
        description="Use the customer's profile (needs their 'recommendation' consent, and "
        "'fit' for measurements); refused with 409 otherwise, never silently ignored.",
    )
    customer_id: Ident | None = Field(
        None, description="Whose profile (staff only, with use_profile; a customer uses theirs)."
    )
    top: int = Field(3, ge=1, le=10, description="Alternatives per open attribute.")


class RecommendationOut(BaseModel):
    """A complete valid configuration and scored alternatives (``lotone recommend --json``)."""

    configuration: dict[str, JsonValue]
    alternatives: dict[str, list[list[JsonValue]]]
    valid: bool


class ConfigurationIn(_In):
    """Save a configuration session for a customer."""

    family: Ident
    version: Ident | None = None
    customer_id: Ident | None = None
    choices: Choices = Field(default_factory=dict)


class ConfigurationOut(BaseModel):
    """A saved configuration and its current state."""

    id: str
    customer_id: str
    family: str
    version: str
    created_at: datetime
    state: StateOut


Measurements = Annotated[dict[Key, float], Field(max_length=100)]
Text = Annotated[str, StringConstraints(max_length=200)]
Answers = Annotated[dict[Key, Text], Field(max_length=50)]


class CustomerIn(_In):
    """A new customer; measurements need the ``fit`` consent, given here or before."""

    name: Text | None = None
    email: Text | None = None
    consents: dict[Purpose, bool] = Field(default_factory=dict)
    measurements: Measurements = Field(default_factory=dict)
    traits: Answers = Field(
        default_factory=dict,
        description="Zero-party answers (skin_type, climate, goal, use...); fit reads them "
        "only under the 'fit' consent.",
    )
    preferences: Answers = Field(
        default_factory=dict,
        description="Stated choices {attribute: value}; read only under 'recommendation'.",
    )
    issue_key: bool = False


class CustomerPatch(_In):
    """Change profile fields; ``measurements`` replaces the stored set (needs ``fit``);
    ``traits`` and ``preferences`` replace theirs."""

    name: Text | None = None
    email: Text | None = None
    measurements: Measurements | None = None
    traits: Answers | None = None
    preferences: Answers | None = None


class ConsentIn(_In):
    """Grant or withdraw consent for one purpose."""

    granted: bool


class CustomerOut(BaseModel):
    """A customer's profile as held (decrypted for the caller)."""

    id: str
    created_at: datetime
    erased: bool
    name: str | None
    email: str | None
    measurements: dict[str, float]
    traits: dict[str, str] = Field(default_factory=dict)
    preferences: dict[str, str] = Field(default_factory=dict)
    consents: dict[str, bool]
    api_key: str | None = None


class ApiKeyIn(_In):
    """A new API key."""

    role: Literal["customer", "operator", "admin"]
    customer_id: Ident | None = None
    label: Text = ""


class ApiKeyOut(BaseModel):
    """A new key: ``key`` is shown this once and never stored in the clear."""

    id: str
    role: str
    customer_id: str | None
    key: str


class OrderIn(_In):
    """An order for a complete configuration; staff must name the customer."""

    family: Ident
    version: Ident | None = None
    customer_id: Ident | None = None
    configuration: Choices


class StatusChange(_In):
    """Move an order along its lifecycle."""

    status: OrderStatus


class OrderOut(BaseModel):
    """An order: the price was fixed when it was placed."""

    id: str
    customer_id: str | None
    family: str
    version: str
    status: OrderStatus
    price: str
    currency: str
    configuration_hash: str
    configuration: dict[str, JsonValue] | None
    created_at: datetime
    updated_at: datetime


class WorkOrderOut(BaseModel):
    """The work order made when the order was released."""

    order_id: str
    hash: str
    sites: list[str]
    created_at: datetime
    work_order: dict[str, JsonValue]
