"""The console's base map, built with folium and served without any CDN.

folium writes a Leaflet map that would load Leaflet, jQuery, Bootstrap and
Font Awesome from CDNs; we point its ``default_js``/``default_css`` at the
pinned copies the app serves and render only its header, map element and
script into our own template. Tiles come from ``Settings.tile_url``
(``IOC_TILE_URL``; the attribution text from ``IOC_TILE_ATTRIBUTION``); with
none set, or none reachable, the map shows a plain background with the wards
outlined, and the markers still show.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import folium

from ioc.geo import City
from web.context import core

LEAFLET_JS = "vendor/leaflet-1.9.4/leaflet.js"
LEAFLET_CSS = "vendor/leaflet-1.9.4/leaflet.css"
DEFAULT_ATTRIBUTION = "© OpenStreetMap"


def tile_url() -> str:
    """The configured tile URL template (``{z}/{x}/{y}``), or '' for a plain background."""
    return core().settings.tile_url.strip()


def tile_attribution() -> str:
    """The attribution text the tile provider requires."""
    return core().settings.tile_attribution.strip() or DEFAULT_ATTRIBUTION


@dataclass(frozen=True)
class BaseMap:
    """The pieces of folium's output our template embeds."""

    name: str  # the JS variable holding the L.Map
    header: str
    html: str
    script: str


@lru_cache(maxsize=16)
def build_basemap(city: City, static_prefix: str, tiles: str, attribution: str) -> BaseMap:
    """Render the folium map for ``city`` with local Leaflet files under ``static_prefix``."""
    fmap = folium.Map(location=[city.lat, city.lon], zoom_start=city.zoom, tiles=None,
                      control_scale=True, max_zoom=19)
    fmap.default_js = [("leaflet", f"{static_prefix}/{LEAFLET_JS}")]
    fmap.default_css = [("leaflet_css", f"{static_prefix}/{LEAFLET_CSS}")]
    if tiles:
        folium.TileLayer(tiles=tiles, attr=attribution, name="base", max_zoom=19,
                         max_native_zoom=19).add_to(fmap)
    for ward in city.wards:
        folium.Circle([ward.lat, ward.lon], radius=ward.radius_m, color="#78909c", weight=1,
                      fill=True, fill_opacity=0.04, dash_array="4 4", interactive=False,
                      tooltip=folium.Tooltip(ward.name, permanent=True, direction="center",
                                             class_name="ward-label")).add_to(fmap)
    root = fmap.get_root()
    root.render()
    return BaseMap(fmap.get_name(), root.header.render(), root.html.render(),
                   root.script.render())
