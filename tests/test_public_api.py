"""The declared public surface: ``__all__`` is exactly what we mean (STYLE.md, practice 4).

Each package adds its own test here; this part covers ``ftalab.data``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import ftalab.data

DATA_PUBLIC = [
    # registry
    "DataFile", "Dataset", "data_dir", "dataset_names", "fetch", "fetch_file", "file_sha256", "get_dataset", "load", "mirror_dir",
    # country registry
    "check_iso3", "country_name", "country_table", "is_known_iso3", "m49_code",
    # groups
    "group_codes", "groups_of", "load_groups", "members", "membership_timeline",
    # agreements
    "agreement_types", "agreements_entered_between", "pair_agreements", "pair_links",
    # concordance
    "MergeReport", "checked_merge", "harmonize_codes", "numeric_to_iso3", "to_iso3", "unctad_name_to_iso3",
    # canonical tables
    "flows_to_matrix", "make_country_year", "make_flows", "make_pair_covariates",
    # validation
    "validate_country_year", "validate_flows", "validate_pair_covariates",
    # sector worlds
    "SectorWorld", "build_sector_world",
]


def _data_modules() -> list[ModuleType]:
    names = [m.name for m in pkgutil.walk_packages(ftalab.data.__path__, "ftalab.data.")]
    return [ftalab.data, *(importlib.import_module(n) for n in sorted(names))]


def test_data_package_names_are_exactly_these() -> None:
    assert len(ftalab.data.__all__) == len(set(ftalab.data.__all__)), "duplicate names in __all__"
    assert sorted(ftalab.data.__all__) == sorted(DATA_PUBLIC)


def test_data_package_names_are_the_modules_own_objects() -> None:
    # Re-exports, not copies; and the package's is_known_iso3 is the country
    # table's (the concordance has a narrower function of the same name).
    from ftalab.data import concordance, countries

    for name in ftalab.data.__all__:
        obj = getattr(ftalab.data, name)
        home = importlib.import_module(obj.__module__)
        assert obj.__module__.startswith("ftalab.data."), name
        assert name in home.__all__, f"{name} is not public in {obj.__module__}"
        assert getattr(home, name) is obj
    assert ftalab.data.is_known_iso3 is countries.is_known_iso3
    assert ftalab.data.is_known_iso3 is not concordance.is_known_iso3


@pytest.mark.parametrize("module", _data_modules(), ids=lambda m: m.__name__)
def test_every_data_module_declares_what_it_exports(module: ModuleType) -> None:
    assert hasattr(module, "__all__"), f"{module.__name__} has no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{module.__name__}.__all__ names undefined {missing}"


def _own_public_functions() -> list[tuple[str, object]]:
    found = []
    for module in _data_modules():
        for name in module.__all__:
            obj = inspect.unwrap(getattr(module, name))  # functools.cache wrappers
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                found.append((f"{module.__name__}.{name}", obj))
    return found


@pytest.mark.parametrize(("name", "func"), _own_public_functions(), ids=lambda x: x if isinstance(x, str) else "")
def test_public_functions_have_numpy_docstrings_and_type_hints(name: str, func: object) -> None:
    sig = inspect.signature(func)  # type: ignore[arg-type]
    params = [p for p in sig.parameters.values() if p.name not in ("self", "cls")]
    untyped = [p.name for p in params if p.annotation is inspect.Parameter.empty]
    assert not untyped, f"{name}: parameters without type hints {untyped}"
    assert sig.return_annotation is not inspect.Signature.empty, f"{name}: no return type hint"
    doc = inspect.getdoc(func) or ""
    assert doc, f"{name}: no docstring"
    if params:
        assert "Parameters\n----------" in doc, f"{name}: no NumPy 'Parameters' section"
    if sig.return_annotation not in (None, "None"):
        assert "Returns\n-------" in doc, f"{name}: no NumPy 'Returns' section"
