"""Where demo halls go: points inside a district's boundary (the shipped GeoJSON), found by
seeded sampling so every run places them alike."""

from __future__ import annotations

import json
import random
from functools import cache
from typing import Any

from yiwang.accounts import reference

Ring = list[tuple[float, float]]


@cache
def districts() -> dict[str, tuple[list[list[Ring]], dict[str, Any]]]:
    """district code → (polygons as lists of rings, GeoJSON properties)."""
    out = {}
    for f in json.loads(reference.boundaries_geojson())["features"]:
        geometry = f["geometry"]
        polys = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polys = [polys]
        rings = [[[(float(x), float(y)) for x, y in ring] for ring in poly] for poly in polys]
        out[str(f["properties"]["adcode"])] = (rings, f["properties"])
    return out


def inside(district: str, lng: float, lat: float) -> bool:
    """Even-odd ray casting over each polygon's rings (holes included)."""
    for poly in districts()[district][0]:
        crossings = False
        for ring in poly:
            j = len(ring) - 1
            for i in range(len(ring)):
                xi, yi = ring[i]
                xj, yj = ring[j]
                if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                    crossings = not crossings
                j = i
        if crossings:
            return True
    return False


@cache
def _bbox(district: str) -> tuple[float, float, float, float]:
    points = [p for poly in districts()[district][0] for ring in poly for p in ring]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def place(
    district: str, seed: str, near: tuple[float, float] | None, spread: float
) -> tuple[float, float]:
    """A point inside the district: around `near` when given, else anywhere in it."""
    rng = random.Random(seed)  # noqa: S311 - demo geography, not secrets
    if near is not None:
        for _ in range(200):
            lng, lat = rng.gauss(near[0], spread), rng.gauss(near[1], spread * 0.8)
            if inside(district, lng, lat):
                return round(lng, 6), round(lat, 6)
    x0, y0, x1, y1 = _bbox(district)
    while True:
        lng, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if inside(district, lng, lat):
            return round(lng, 6), round(lat, 6)
