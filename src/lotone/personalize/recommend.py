"""Recommendations that are valid by construction: learned scores decoded through the engine.

The learned part (:class:`~lotone.personalize.neighbours.Neighbours`) gives each open
attribute a probability per value; the engine turns ``log p`` into a weighted objective and
returns the best *valid* configuration keeping the customer's choices:

* imported finite models: a longest path in the compiled diagram
  (:class:`~lotone.configure.finite_optimize.WeightedSpace`), with exact max-marginals as the
  alternatives' scores;
* YAML families: weighted MaxSAT over the family's SAT encoding
  (:func:`~lotone.configure.linear.optimize_linear`) for the keys the history knows (enumerated
  values, booleans, module counts); the other keys, and all of them without a history, follow
  the family's defaults (:meth:`~lotone.configure.engine.Engine.complete`). Alternatives are
  scored by probability among the values the engine still allows.

Every proposal is checked by the engine's reference validator before it is returned.
A profile adds the customer's measurements as choices (``fit`` consent) and their stated
preferences as a bonus (``recommendation`` consent).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from lotone.configure.defaults import candidates, value_text
from lotone.configure.domains import NumberDomain, ValueDomain, to_json_value
from lotone.configure.engine import Engine
from lotone.configure.finite_optimize import WeightedSpace
from lotone.configure.linear import Linear, optimize_linear
from lotone.configure.session import parse_value
from lotone.configure.variables import AttrVar, CountVar, Var
from lotone.errors import Infeasible, InvalidValue, LotoneError, Refused
from lotone.model.family import BoolAttribute, EnumAttribute, Value
from lotone.model.finite import FiniteModel
from lotone.personalize.neighbours import Neighbours
from lotone.personalize.product_fit import family_fit
from lotone.personalize.profile import Profile, require

__all__ = ["Recommendation", "finite_scores", "recommend_family", "recommend_finite"]

_FLOOR = 1e-6  # probability of a value the history never showed
_PREFERENCE_BONUS = math.log(20.0)  # a stated preference counts like 20x the votes
_SCALE = 1000  # MaxSAT weights are integers: log-probabilities in thousandths


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A complete valid configuration and, per open attribute, scored alternatives.

    ``alternatives[name]`` lists ``(value, score)`` best first; a score is in ``(0, 1]``: for
    imported models ``exp(best total with that value - best total)`` (1 for the proposed
    value), for YAML families the value's probability among those still allowed.
    """

    configuration: Mapping[str, object]
    alternatives: Mapping[str, tuple[tuple[object, float], ...]]
    valid: bool

    def to_json(self) -> dict[str, object]:
        """The ``lotone recommend --json`` shape."""
        return {
            "configuration": dict(self.configuration),
            "alternatives": {
                k: [[v, round(s, 6)] for v, s in alts] for k, alts in self.alternatives.items()
            },
            "valid": self.valid,
        }


def _profile_parts(
    profile: Profile | None, keys: set[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """(hard choices from measurements, soft preferences), each behind its consent."""
    if profile is None:
        return {}, {}
    hard: dict[str, str] = {}
    measured = {k: v for k, v in profile.measurements.items() if k in keys}
    if measured:
        require(profile, "fit", "body measurements")
        hard = {k: _number_text(v) for k, v in measured.items()}
    soft: dict[str, str] = {}
    if profile.preferences:
        require(profile, "recommendation", "stated preferences")
        soft = {k: v for k, v in profile.preferences.items() if k in keys}
    return hard, soft


def _number_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def recommend_finite(
    space: WeightedSpace,
    choices: Mapping[str, str],
    neighbours: Neighbours | None = None,
    *,
    profile: Profile | None = None,
    top_k: int = 3,
) -> Recommendation:
    """The most likely valid configuration of an imported model keeping ``choices``."""
    model = space.model
    hard, soft = _profile_parts(profile, set(model.index))
    named = {**hard, **choices}
    ids = model.choices(named)
    scores = finite_scores(model, named, neighbours, soft)
    try:
        best = space.best(scores, ids, marginals=True)
    except Infeasible:
        raise Infeasible(f"no valid product keeps {_shown(named)}") from None
    broken = model.violated(best.assignment)
    if broken:  # pragma: no cover - the diagram holds exactly the valid configurations
        raise LotoneError(f"internal: the proposal breaks {', '.join(broken)}")
    configuration = model.named({i: best.assignment[i] for i in model.visible})
    alternatives: dict[str, tuple[tuple[object, float], ...]] = {}
    for i in model.visible:
        var = model.variables[i]
        if var.name in named or len(var.values) == 1:
            continue
        m = best.marginals[i]
        order = np.argsort(-m, kind="stable")[:top_k]
        alternatives[var.name] = tuple(
            (var.values[int(k)], float(math.exp(m[k] - best.score)))
            for k in order if np.isfinite(m[k])
        )  # fmt: skip
    return Recommendation(configuration, alternatives, True)


def finite_scores(
    model: FiniteModel,
    revealed: Mapping[str, str],
    neighbours: Neighbours | None,
    preferences: Mapping[str, str] | None = None,
) -> list[npt.NDArray[np.float64]]:
    """``log p`` per value of every variable (zero for variables the history lacks)."""
    scores = [np.zeros(len(v.values)) for v in model.variables]
    if neighbours is not None:
        for name, dist in neighbours.distributions(revealed).items():
            i = model.index.get(name)
            if i is None:
                continue
            s = np.full(len(model.variables[i].values), math.log(_FLOOR))
            labels = model.variables[i].values
            for label, p in dist.items():
                if label in labels:
                    s[labels.index(label)] = math.log(max(p, _FLOOR))
            scores[i] = s
    for name, label in (preferences or {}).items():
        i = model.var(name)
        scores[i][model.value(i, label)] += _PREFERENCE_BONUS
    return scores


def recommend_family(
    engine: Engine,
    choices: Mapping[str, Value],
    neighbours: Neighbours | None = None,
    *,
    profile: Profile | None = None,
    top_k: int = 3,
    budget: float = 2.0,
) -> Recommendation:
    """The most likely valid configuration of a YAML family keeping ``choices``.

    Keys the history (or a stated preference) speaks about take the values of the best valid
    configuration under their learned scores; every other open key, and every key when there
    is no history at all, follows the family's defaults (numbers: the feasible value nearest
    to the default), as :meth:`Engine.complete` does. With a profile, the family's fit
    (:func:`~lotone.personalize.product_fit.family_fit`) adds its facts as choices (the
    customer's own choices win) and each suggestion the engine still allows.
    """
    keys = set(engine.keys)
    hard_text, soft = _profile_parts(profile, keys)
    fit = family_fit(engine.family.id, profile) if profile is not None else None
    if fit is not None:
        hard_text = {**{k: v for k, v in fit.facts.items() if k in keys}, **hard_text}
    hard = {k: parse_value(engine, k, v) for k, v in hard_text.items()}
    asked: dict[str, Value] = {**hard, **choices}
    fixed = dict(asked)
    if fit is not None:
        fixed.update(_suggested(engine, asked, fit.suggestions))
    revealed = {k: value_text(v) for k, v in fixed.items()}
    dists = neighbours.distributions(revealed) if neighbours is not None else {}
    objective, learned = _objective(engine, fixed, dists, soft)
    kept: dict[str, Value] = {}
    if objective.weights:
        base = engine.assumptions(fixed)
        found = optimize_linear(engine.enc.cnf, objective, base, maximize=True, budget=budget)
        if found is None:
            raise Infeasible(f"no valid product: {engine.explain(fixed)}")
        if found.model is not None:  # else out of time: the defaults decide, still valid
            kept = {k: v for k, v in _read(engine, found.model).items() if k in learned}
    configuration = engine.complete({**fixed, **kept})
    broken = engine.validate(configuration)
    if broken:  # pragma: no cover - the completion satisfies every rule
        raise Refused(broken)
    state = engine.analyze(asked, price=False)
    alternatives: dict[str, tuple[tuple[object, float], ...]] = {}
    for key, domain in state.domains.items():
        if key in asked or not isinstance(domain, ValueDomain) or len(domain.values) < 2:
            continue
        dist = dists.get(key, {})
        allowed = [(v, dist.get(value_text(v), _FLOOR if dist else 1.0)) for v in domain.values]
        total = sum(p for _, p in allowed)
        proposed = configuration.get(key)
        # best first; on a tie (no history) the proposed value leads
        ranked = sorted(allowed, key=lambda vp: (-vp[1], vp[0] != proposed))[:top_k]
        alternatives[key] = tuple((to_json_value(v), p / total) for v, p in ranked)
    return Recommendation(
        {k: to_json_value(v) for k, v in configuration.items()}, alternatives, True
    )


def _suggested(
    engine: Engine, asked: Mapping[str, Value], suggestions: Mapping[str, str]
) -> dict[str, Value]:
    """The fit's suggestions the engine allows, in order; a number the rules refuse becomes
    the feasible value nearest to it (an enumerated value the rules refuse is dropped)."""
    kept: dict[str, Value] = {}
    for key, text in suggestions.items():
        if key in asked or key not in engine.enc.vars:
            continue
        value = parse_value(engine, key, text)
        try:
            if engine.is_consistent({**asked, **kept, key: value}):
                kept[key] = value
                continue
        except InvalidValue:  # off the attribute's grid or range: the nearest feasible value
            pass
        domain = engine.domains({**asked, **kept}).get(key)
        if isinstance(domain, NumberDomain) and isinstance(value, Decimal):
            nearest = _nearest(domain, value)
            if nearest is not None:
                kept[key] = nearest
    return kept


def _nearest(domain: NumberDomain, value: Decimal) -> Decimal | None:
    """The value of ``domain`` nearest to ``value`` (the lower one on a tie)."""
    best: Decimal | None = None
    for lo, hi in domain.ranges:
        v = min(max(value, lo), hi)
        v = lo + ((v - lo) / domain.step).to_integral_value() * domain.step
        v = min(v, hi)
        if best is None or abs(v - value) < abs(best - value):
            best = v
    return best


def _objective(
    engine: Engine,
    fixed: Mapping[str, Value],
    dists: Mapping[str, Mapping[str, float]],
    soft: Mapping[str, str],
) -> tuple[Linear, set[str]]:
    """The weighted objective over the open keys something was learned about, and those keys.

    A key's weights are ``log(p / p_best)``: zero for its most likely value, so a module
    instance that may not exist (``section[4].interior``) is not pushed out of existence by
    its own negative scores; whether it exists is the count's own choice (``section.count``).
    """
    objective = Linear()
    learned: set[str] = set()
    for key, var in engine.enc.vars.items():
        values = _values(var)
        dist = dists.get(key, {})
        preferred = soft.get(key)
        if key in fixed or not values or (not dist and preferred is None):
            continue
        probability = {v: max(dist.get(value_text(v), _FLOOR), _FLOOR) for v in values}
        best = max(probability.values()) if dist else 1.0
        if best <= _FLOOR and preferred is None:
            continue  # the history never shows a value (a module instance no order had)
        learned.add(key)
        for value in values:
            w = math.log(probability[value] / best) if dist else 0.0
            if preferred == value_text(value):
                w += _PREFERENCE_BONUS
            weight = round(w * _SCALE)
            if weight:
                objective.weights[engine.enc.value_lit(key, value)] += weight
    return objective, learned


def _values(var: Var) -> list[Value]:
    """The values a key's objective scores: counts, enumerated values, false/true."""
    if isinstance(var, CountVar):
        return candidates(var)
    if isinstance(var.attr, EnumAttribute | BoolAttribute):
        return candidates(var)
    return []  # numbers: no learned preference (they follow the defaults)


def _read(engine: Engine, model: frozenset[int]) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for key, var in engine.enc.vars.items():
        if isinstance(var, AttrVar) and var.active not in model:
            continue
        out[key] = var.value_of(model)
    return out


def _shown(named: Mapping[str, str]) -> str:
    items = [f"{k}={v}" for k, v in named.items()]
    return ", ".join(items[:8]) + (", ..." if len(items) > 8 else "")
