"""Great-circle distances and the lat/lng boxes that bound them. Coordinates are WGS-84 degrees."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG); the WGS-84 ellipsoid differs by < 0.5 %


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(
    lat: float, lng: float, radius_m: float
) -> tuple[float, float, float | None, float | None]:
    """A box holding every point within radius_m of (lat, lng); no longitude bounds when the
    circle reaches a pole or crosses the antimeridian (a superset is still correct)."""
    angle = radius_m / EARTH_RADIUS_M
    dlat = math.degrees(angle)
    min_lat, max_lat = lat - dlat, lat + dlat
    if min_lat <= -90 or max_lat >= 90:
        return max(min_lat, -90.0), min(max_lat, 90.0), None, None
    ratio = math.sin(angle) / math.cos(math.radians(lat))
    if ratio >= 1:
        return min_lat, max_lat, None, None
    dlng = math.degrees(math.asin(ratio))
    if lng - dlng < -180 or lng + dlng > 180:
        return min_lat, max_lat, None, None
    return min_lat, max_lat, lng - dlng, lng + dlng
