"""Field sensors of the simulated city and how their readings behave.

Water-level gauges stand on the Tiền river bank and on the Sở Thượng canal
(the river floods from August to November), flood-depth probes in low
streets, air-quality, noise and smoke/gas detectors in busy places.
Thresholds are the alert levels the operations room would set, not official
flood-warning levels.
"""

from __future__ import annotations

from typing import NamedTuple


class Station(NamedTuple):
    """One sensor: its identity, place, value range and alert threshold."""

    sensor_id: str
    kind: str
    unit: str
    lat: float
    lon: float
    low: float
    high: float
    threshold: float
    step: float
    decimals: int
    weight: int


STATIONS: tuple[Station, ...] = (
    Station("HN-WL-01", "water_level", "m", 10.8015, 105.3405, 0.5, 5.5, 4.0, 0.05, 2, 6),
    Station("HN-WL-02", "water_level", "m", 10.7985, 105.3560, 0.5, 5.5, 4.0, 0.05, 2, 5),
    Station("HN-WL-03", "water_level", "m", 10.8060, 105.3150, 0.5, 5.5, 4.0, 0.05, 2, 4),
    Station("HN-WL-04", "water_level", "m", 10.8280, 105.3400, 0.4, 5.0, 3.6, 0.05, 2, 3),
    Station("HN-FD-01", "flood_depth", "cm", 10.8090, 105.3445, 0.0, 60.0, 20.0, 4.0, 0, 4),
    Station("HN-FD-02", "flood_depth", "cm", 10.8150, 105.3260, 0.0, 60.0, 20.0, 4.0, 0, 3),
    Station("HN-FD-03", "flood_depth", "cm", 10.8010, 105.3680, 0.0, 60.0, 20.0, 4.0, 0, 2),
    Station("HN-RF-01", "rainfall", "mm/h", 10.8075, 105.3420, 0.0, 90.0, 50.0, 8.0, 1, 3),
    Station("HN-AQ-01", "air_quality", "AQI", 10.8068, 105.3437, 20.0, 230.0, 150.0, 12.0, 0, 4),
    Station("HN-AQ-02", "air_quality", "AQI", 10.7960, 105.3880, 20.0, 230.0, 150.0, 12.0, 0, 3),
    Station("HN-PM-01", "pm25", "µg/m³", 10.8130, 105.3235, 5.0, 140.0, 50.0, 6.0, 1, 3),
    Station("HN-NS-01", "noise", "dBA", 10.8045, 105.3470, 40.0, 105.0, 70.0, 5.0, 1, 3),
    Station("HN-NS-02", "noise", "dBA", 10.8330, 105.3455, 40.0, 105.0, 70.0, 5.0, 1, 2),
    Station("HN-SM-01", "smoke", "%obs/m", 10.8072, 105.3433, 0.0, 15.0, 4.0, 1.5, 1, 2),
    Station("HN-SM-02", "smoke", "%obs/m", 10.8010, 105.3600, 0.0, 15.0, 4.0, 1.5, 1, 1),
    Station("HN-GS-01", "gas", "%LEL", 10.8105, 105.3410, 0.0, 60.0, 20.0, 5.0, 1, 1),
)

#: Typical Tiền river level at Hồng Ngự by month (metres), peak of the flood season in October.
RIVER_LEVEL_BY_MONTH: dict[int, float] = {
    1: 1.6, 2: 1.3, 3: 1.1, 4: 1.0, 5: 1.1, 6: 1.4,
    7: 2.2, 8: 3.0, 9: 3.7, 10: 4.1, 11: 3.4, 12: 2.4,
}
