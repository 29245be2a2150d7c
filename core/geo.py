"""Province boundaries for display: simplified once (Douglas-Peucker) and reduced to what a map needs."""

from __future__ import annotations

import json
from pathlib import Path

# ~0.006 degrees is ~650 m: under a pixel on a country-wide map, so neighbours never show gaps.
DISPLAY_TOLERANCE_DEG = 0.006
DISPLAY_DECIMALS = 3
KEEP_PROPERTIES = ("shapeISO", "shapeName", "name_nis2019", "nis_code")


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify_line(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on one ring or line (iterative, so long borders cannot overflow the stack)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            distance = _perpendicular(points[i], points[first], points[last])
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]] | None:
    """A closed ring simplified; None when it collapses below a triangle (tiny islets are dropped)."""
    out = simplify_line(ring, tolerance)
    out = [[round(x, DISPLAY_DECIMALS), round(y, DISPLAY_DECIMALS)] for x, y in out]
    deduped = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    return deduped if len(deduped) >= 4 else None


def simplify_geometry(geometry: dict, tolerance: float) -> dict | None:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    kept = []
    for polygon in polygons:
        outer = simplify_ring(polygon[0], tolerance)
        if outer is None:
            continue
        holes = [h for h in (simplify_ring(r, tolerance) for r in polygon[1:]) if h]
        kept.append([outer, *holes])
    if not kept:
        return None
    return {"type": "Polygon", "coordinates": kept[0]} if len(kept) == 1 else \
        {"type": "MultiPolygon", "coordinates": kept}


def display_boundaries(source: Path, tolerance: float = DISPLAY_TOLERANCE_DEG) -> dict:
    """The boundary FeatureCollection, simplified, with only the properties a map needs."""
    collection = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for feature in collection["features"]:
        geometry = simplify_geometry(feature["geometry"], tolerance)
        if geometry is None:
            raise ValueError(f"{source.name}: {feature['properties'].get('shapeISO')} vanished when simplified")
        props = {k: feature["properties"][k] for k in KEEP_PROPERTIES if k in feature["properties"]}
        features.append({"type": "Feature", "id": props["shapeISO"], "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}
