"""The routing taxonomy: departments, their SLAs and the channels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Sla:
    """Hours to acknowledge and to resolve, normal and urgent."""

    ack_h: float
    resolve_h: float
    urgent_ack_h: float
    urgent_resolve_h: float

    def hours(self, urgent: bool) -> tuple[float, float]:
        """(ack hours, resolve hours) for an incident of this urgency."""
        if urgent:
            return self.urgent_ack_h, self.urgent_resolve_h
        return self.ack_h, self.resolve_h


@dataclass(frozen=True)
class DepartmentSpec:
    """One department as the taxonomy file describes it."""

    code: str
    name_vi: str
    name_en: str
    covers: str
    sla: Sla


@dataclass(frozen=True)
class Taxonomy:
    """Departments by code, plus the channel names."""

    departments: tuple[DepartmentSpec, ...]
    channels: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """Department codes in file order."""
        return tuple(d.code for d in self.departments)

    def get(self, code: str) -> DepartmentSpec | None:
        """The department with this code, or None."""
        return self._by_code.get(code)

    @cached_property
    def _by_code(self) -> dict[str, DepartmentSpec]:
        return {d.code: d for d in self.departments}


def parse_taxonomy(text: str) -> Taxonomy:
    """Parse taxonomy YAML; raise ValueError with the reason when it is malformed."""
    data = yaml.safe_load(text) or {}
    deps = []
    for item in data.get("departments") or []:
        try:
            sla = Sla(**{k: float(v) for k, v in item["sla"].items()})
            deps.append(
                DepartmentSpec(
                    code=str(item["code"]),
                    name_vi=str(item["name_vi"]),
                    name_en=str(item["name_en"]),
                    covers=" ".join(str(item.get("covers", "")).split()),
                    sla=sla,
                )
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"taxonomy department entry is malformed: {item!r} ({exc})") from exc
    if not deps:
        raise ValueError("taxonomy lists no departments")
    channels = tuple(str(c) for c in data.get("channels") or ())
    return Taxonomy(departments=tuple(deps), channels=channels)


@lru_cache(maxsize=8)
def load_taxonomy(path: Path) -> Taxonomy:
    """Read and parse the taxonomy file (cached per path)."""
    return parse_taxonomy(Path(path).read_text(encoding="utf-8"))
