"""Geography: distances, the city's wards and the bounding box of the city."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

EARTH_RADIUS_M = 6_371_000.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bbox_around(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a square containing the circle."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


@dataclass(frozen=True)
class Ward:
    """A ward or commune with an approximate centre and radius."""

    code: str
    name: str
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class City:
    """The city the operations center serves, and its wards."""

    name: str
    lat: float
    lon: float
    zoom: int
    timezone: str
    wards: tuple[Ward, ...]

    def ward_at(self, lat: float, lon: float) -> Ward | None:
        """The ward whose centre is nearest, if the point is plausibly inside it."""
        best: tuple[float, Ward] | None = None
        for ward in self.wards:
            d = haversine_m(lat, lon, ward.lat, ward.lon)
            if d <= ward.radius_m * 1.5 and (best is None or d / ward.radius_m < best[0]):
                best = (d / ward.radius_m, ward)
        return best[1] if best else None


DEFAULT_CITY = City("Hồng Ngự", 10.807, 105.343, 13, "Asia/Ho_Chi_Minh", ())


@lru_cache(maxsize=8)
def load_city(path: Path) -> City:
    """Read ``wards.yaml``; a missing file gives the default centre with no wards."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return DEFAULT_CITY
    city = data.get("city") or {}
    wards = tuple(
        Ward(
            code=str(w["code"]),
            name=str(w["name"]),
            lat=float(w["lat"]),
            lon=float(w["lon"]),
            radius_m=float(w.get("radius_m", 1500)),
        )
        for w in data.get("wards") or ()
    )
    return City(
        name=str(city.get("name", DEFAULT_CITY.name)),
        lat=float(city.get("lat", DEFAULT_CITY.lat)),
        lon=float(city.get("lon", DEFAULT_CITY.lon)),
        zoom=int(city.get("zoom", DEFAULT_CITY.zoom)),
        timezone=str(city.get("timezone", DEFAULT_CITY.timezone)),
        wards=wards,
    )
