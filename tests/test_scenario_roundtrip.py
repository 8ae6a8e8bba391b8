"""Property: any valid scenario written back to TOML reads back as the same scenario."""

from __future__ import annotations

import datetime as dt
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from ftalab.scenario import parse_scenario, scenario_to_toml

codes = st.sampled_from(["CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR", "MNG", "TUR"])
members = st.lists(st.one_of(codes, st.just("group:SCO")), min_size=1, max_size=5, unique=True)
finite = dict(allow_nan=False, allow_infinity=False)

shock = st.one_of(
    st.just({"type": "fta_rta"}),
    st.builds(lambda cut: {"type": "fta_tariff", "cut_share": cut, "tariff_overrides": {"IND": 7.5}},
              st.floats(0.01, 1.0, **finite)),
    st.builds(
        lambda cut, ave: {"type": "facilitation", "target": "cut", "cut_percent": cut, "ave_per_day": ave},
        st.floats(0.5, 100.0, **finite), st.floats(0.1, 5.0, **finite),
    ),
    st.builds(
        lambda cut, one: {"type": "corridor", "distance_cut_percent": cut,
                          "pairs": [{"exporter": "CHN", "importer": "KGZ", "one_way": one}]},
        st.floats(1.0, 90.0, **finite), st.booleans(),
    ),
    st.builds(lambda new: {"type": "enlargement", "new_members": new}, st.lists(codes, min_size=1, max_size=3, unique=True)),
)


@settings(max_examples=60, deadline=None)
@given(
    members=members,
    sigma=st.floats(1.01, 50.0, **finite),
    draws=st.integers(0, 5000),
    seed=st.integers(0, 2**32 - 1),
    day=st.dates(dt.date(2015, 1, 1), dt.date(2040, 12, 31)),
    shock=shock,
    title=st.text(max_size=40),
)
def test_round_trip(members, sigma, draws, seed, day, shock, title) -> None:
    data = {
        "schema_version": 1,
        "name": "prop",
        "title": title,
        "date": day,
        "countries": {"members": members},
        "model": {"sigma": sigma, "draws": draws, "seed": seed},
        "shocks": [shock],
    }
    scenario = parse_scenario(data, source="generated")
    again = parse_scenario(tomllib.loads(scenario_to_toml(scenario)), source="written back")
    assert again == scenario
