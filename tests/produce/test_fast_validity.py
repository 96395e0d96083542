"""The compiled validity check used by explode agrees with the reference validator."""

from __future__ import annotations

import sys
from decimal import localcontext
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "configure"))
from random_families import families, space

from lotone.configure.validate import check_values, validate
from lotone.model.compiled import EXACT
from lotone.model.family import Family
from lotone.produce.plan import plan_of


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(families(), st.data())
def test_compiled_rules_accept_exactly_the_configurations_the_validator_accepts(
    family: Family, data: st.DataObject
) -> None:
    plan = plan_of(family)
    configs = list(space(family))
    for config in data.draw(st.lists(st.sampled_from(configs), min_size=1, max_size=8)):
        counts = check_values(family, config)
        with localcontext(EXACT):
            fast = plan.valid(config, counts)
        assert fast == (not validate(family, config))
