"""OECD ICIO (extended 2023 edition) sector world as built by ``tariffwar``.

The files ``ICIO2011.mat`` … ``ICIO2022.mat`` are MATLAB v7.3 files, i.e.
HDF5; they are read with :mod:`h5py`. Each holds, in group ``data``:

* ``Xjik_3D`` — gross bilateral flows, h5py shape (28, 81, 81) =
  [sector, importer, exporter], millions of current USD, **domestic flows on
  the diagonal** (MATLAB stores column-major, so h5py sees the dimensions
  reversed; the order was checked on a published number: USA imports from
  CHN in 2022 sum to 532,152 million over the 28 sectors);
* ``tjik_3D`` — bilateral applied tariffs, same shape, fractions, from Teti's
  Global Tariff Database (the 2022 file repeats the 2021 rates; three
  agriculture sectors share one rate, five mining sectors another);
* ``countries`` / ``sectors`` — MATLAB cell arrays: object references to
  uint16 character arrays;
* ``sigma/<SET>/epsilon_S`` (θ per sector) and ``sigma_S`` (θ + 1) for eight
  published elasticity sets, ``services_sector`` (1-based index).

There are no input-output coefficients: value-added and IO shares must come
from elsewhere (:mod:`ftalab.data.readers.wiod`). The tariffs are returned as
stored; :func:`ftalab.data.icio_tariffs.clean_icio_tariffs` fixes them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ftalab.data.readers._common import optional_import, per_file_cache
from ftalab.data.registry import fetch_file
from ftalab.errors import DataError, ValidationError

__all__ = ["ICIO_YEARS", "ELASTICITY_SETS", "IcioWorld", "read_icio", "read_icio_file"]

logger = logging.getLogger(__name__)

DATASET = "icio_extended"

#: Years with a registered file.
ICIO_YEARS: tuple[int, ...] = tuple(range(2011, 2023))

#: The eight elasticity sets shipped in the files, with their sources.
ELASTICITY_SETS: dict[str, str] = {
    "IS": "in-sample estimate of the tariffwar package",
    "U4": "uniform theta = 4",
    "CP": "Caliendo & Parro (2015), Review of Economic Studies 82(1)",
    "BSY": "Bagwell, Staiger & Yurukoglu (2021), Econometrica 89(4)",
    "GYY": "Giri, Yi & Yilmazkuday (2021), Journal of International Economics 128",
    "Shap": "Shapiro (2016), American Economic Journal: Economic Policy 8(4)",
    "FGO": "Fontagné, Guimbard & Orefice (2022), Journal of International Economics 137",
    "LL": "Lashkaripour & Lugovskyy (2023), American Economic Review 113(10)",
}


@dataclass(frozen=True, eq=False)
class IcioWorld:
    """One year of the ICIO sector world.

    Attributes
    ----------
    year : int
        Data year (the 2022 world carries the 2021 tariffs).
    countries : list of str
        81 ISO3 codes, ``"ROW"`` last.
    sectors : list of str
        28 ICIO sector codes (``A01`` … ``C31T33``, ``Services (aggregate)``).
    flows : numpy.ndarray
        Shape (S, N, N) = [sector, importer, exporter], millions of current
        USD, before tariffs; domestic sales on the diagonal.
    tariffs : numpy.ndarray
        Same shape; applied tariffs as fractions, as stored (uncleaned).
    elasticities : dict of str to numpy.ndarray
        Set name → θ per sector (the file's ``epsilon_S``; σ = θ + 1).
    services_sector : int
        0-based index of the services aggregate.
    elasticity_sources : dict of str to str
        Set name → source string stored in the file.
    source : str
        ``"icio_extended/ICIO<year>.mat"`` or the path read.
    """

    year: int
    countries: list[str]
    sectors: list[str]
    flows: np.ndarray
    tariffs: np.ndarray
    elasticities: dict[str, np.ndarray]
    services_sector: int
    elasticity_sources: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def __repr__(self) -> str:
        return (
            f"IcioWorld(year={self.year}, {len(self.countries)} economies x {len(self.sectors)} sectors, "
            f"source={self.source!r})"
        )

    @property
    def is_goods(self) -> np.ndarray:
        """Boolean mask over sectors: True for goods (all but the services aggregate)."""
        mask = np.ones(len(self.sectors), dtype=bool)
        mask[self.services_sector] = False
        return mask

    def goods_sectors(self) -> list[str]:
        """Codes of the goods sectors (all but the services aggregate).

        Returns
        -------
        list of str
            27 codes in file order.
        """
        return [s for s, g in zip(self.sectors, self.is_goods) if g]

    def country_index(self, iso3: str) -> int:
        """Position of ``iso3`` in :attr:`countries`.

        Parameters
        ----------
        iso3 : str
            An ISO3 code of the world (or ``"ROW"``).

        Returns
        -------
        int

        Raises
        ------
        ValidationError
            The code is not one of the world's economies.
        """
        try:
            return self.countries.index(iso3)
        except ValueError:
            raise ValidationError(
                f"{iso3!r} is not in the ICIO {self.year} world; its economies are "
                f"{', '.join(self.countries)} (others are inside 'ROW')"
            ) from None

    def sector_index(self, code: str) -> int:
        """Position of sector ``code`` in :attr:`sectors`.

        Parameters
        ----------
        code : str
            An ICIO sector code.

        Returns
        -------
        int

        Raises
        ------
        ValidationError
            Unknown sector code.
        """
        try:
            return self.sectors.index(code)
        except ValueError:
            raise ValidationError(
                f"{code!r} is not an ICIO sector; the sectors are {', '.join(self.sectors)}"
            ) from None

    def gross_output(self) -> np.ndarray:
        """Gross output by [country, sector]: sales to all importers incl. the home market.

        Returns
        -------
        numpy.ndarray
            Shape (N, S), millions of USD.
        """
        return self.flows.sum(axis=1).T

    def absorption(self) -> np.ndarray:
        """Expenditure by [country, sector] at pre-tariff prices (purchases from all sources).

        Returns
        -------
        numpy.ndarray
            Shape (N, S), millions of USD.
        """
        return self.flows.sum(axis=2).T


def _string(h5: Any, ref: Any, what: str) -> str:
    """Decode a MATLAB char array behind an object reference (uint16 code units)."""
    arr = h5[ref][()]
    if arr.dtype.kind != "u":
        raise DataError(f"{what}: expected MATLAB characters (uint16), found {arr.dtype}")
    return "".join(map(chr, np.asarray(arr).ravel()))


def _char(ds: Any) -> str:
    return "".join(map(chr, np.asarray(ds[()]).ravel()))


def _cellstr(h5: Any, ds: Any, what: str) -> list[str]:
    return [_string(h5, ref, what) for ref in np.asarray(ds[()]).ravel()]


@per_file_cache(maxsize=12)
def _parse(path: Path) -> IcioWorld:
    what = f"ICIO file {path.name}"
    h5py = optional_import("h5py", what)
    try:
        with h5py.File(path, "r") as h5:
            if "data" not in h5:
                raise DataError(f"{what}: no group 'data'; is this a tariffwar ICIO .mat file?")
            d = h5["data"]
            missing = [k for k in ("Xjik_3D", "tjik_3D", "countries", "sectors", "sigma", "year") if k not in d]
            if missing:
                raise DataError(f"{what}: group 'data' lacks {missing}; found {sorted(d.keys())}")
            countries = _cellstr(h5, d["countries"], what)
            sectors = _cellstr(h5, d["sectors"], what)
            flows = np.asarray(d["Xjik_3D"][()], dtype=float)
            tariffs = np.asarray(d["tjik_3D"][()], dtype=float)
            year = int(np.asarray(d["year"][()]).ravel()[0])
            services = (
                int(np.asarray(d["services_sector"][()]).ravel()[0]) - 1 if "services_sector" in d else len(sectors) - 1
            )
            elasticities: dict[str, np.ndarray] = {}
            sources: dict[str, str] = {}
            for name in d["sigma"]:
                g = d["sigma"][name]
                elasticities[name] = np.asarray(g["epsilon_S"][()], dtype=float).ravel()
                sources[name] = _char(g["source"]) if "source" in g else ""
    except DataError:
        raise
    except FileNotFoundError:
        raise DataError(f"{what}: file {path} does not exist") from None
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise DataError(
            f"{what}: cannot read {path} ({type(exc).__name__}: {exc}). It is damaged or not a "
            "MATLAB v7.3 (HDF5) file; get it again (ftalab data fetch icio_extended)."
        ) from None
    n, s = len(countries), len(sectors)
    if flows.shape != (s, n, n) or tariffs.shape != (s, n, n):
        raise DataError(
            f"{what}: flows {flows.shape} / tariffs {tariffs.shape} do not match "
            f"{s} sectors x {n} countries x {n} countries"
        )
    if not np.isfinite(flows).all() or (flows < 0).any():
        raise DataError(f"{what}: flows contain negative or non-finite values")
    if not np.isfinite(tariffs).all() or (tariffs < 0).any():
        raise DataError(f"{what}: tariffs contain negative or non-finite values")
    for name, theta in elasticities.items():
        if theta.shape != (s,):
            raise DataError(f"{what}: elasticity set {name} has {theta.size} values for {s} sectors")
    return IcioWorld(
        year=year,
        countries=countries,
        sectors=sectors,
        flows=flows,
        tariffs=tariffs,
        elasticities=elasticities,
        services_sector=services,
        elasticity_sources=sources,
        source=str(path),
    )


def _copy(world: IcioWorld, source: str) -> IcioWorld:
    # The parse is cached and shared: hand out copies the caller may modify.
    return IcioWorld(
        year=world.year,
        countries=list(world.countries),
        sectors=list(world.sectors),
        flows=world.flows.copy(),
        tariffs=world.tariffs.copy(),
        elasticities={k: v.copy() for k, v in world.elasticities.items()},
        services_sector=world.services_sector,
        elasticity_sources=dict(world.elasticity_sources),
        source=source,
    )


def read_icio_file(path: str | Path) -> IcioWorld:
    """Read one ``ICIO<year>.mat`` file from a path.

    Parameters
    ----------
    path : str or pathlib.Path
        A tariffwar ICIO file (MATLAB v7.3 / HDF5).

    Returns
    -------
    IcioWorld
        Flows and tariffs as stored (see the module docstring).

    Raises
    ------
    DataError
        The file is missing, damaged, not HDF5, or its arrays do not fit together.
    """
    return _copy(_parse(path), str(path))


def read_icio(year: int = 2022) -> IcioWorld:
    """Read the registered ICIO sector world of ``year``.

    Parameters
    ----------
    year : int, default 2022
        2011 … 2022 (the 2022 file carries the 2021 tariffs).

    Returns
    -------
    IcioWorld
        81 economies (``ROW`` last) × 28 sectors; flows in millions of current
        USD, [sector, importer, exporter], domestic on the diagonal; tariffs
        as stored (clean them with :func:`ftalab.data.icio_tariffs.clean_icio_tariffs`).

    Raises
    ------
    ValidationError
        No file for that year.
    DataError
        The file is damaged or not in the expected layout.
    """
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or int(year) not in ICIO_YEARS:
        raise ValidationError(
            f"read_icio: no ICIO file for year {year!r}; available years are "
            f"{ICIO_YEARS[0]}-{ICIO_YEARS[-1]}"
        )
    name = f"ICIO{int(year)}.mat"
    path = fetch_file(DATASET, name)
    world = _copy(_parse(path), f"{DATASET}/{name}")
    if world.year != int(year):
        raise DataError(f"{DATASET}/{name}: the file says year {world.year}, not {year}")
    return world
