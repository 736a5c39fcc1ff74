"""Who may do what, where: roles grant permissions inside a department and a region scope."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.kit.i18n import N_

ROLE_LABELS: dict[str, str] = {
    "clerk": N_("Counter clerk"),
    "reviewer": N_("Reviewer"),
    "head": N_("Department head (sign-off)"),
    "inspector": N_("Inspector"),
    "hotline_operator": N_("Hotline operator"),
    "grid_worker": N_("Grid worker"),
    "admin": N_("Administrator"),
}

ROLE_GRANTS: dict[str, tuple[str, ...]] = {
    "clerk": ("workbench", "applications.accept"),
    "reviewer": ("workbench", "applications.review"),
    "head": ("workbench", "applications.review", "applications.decide"),
    "inspector": ("workbench", "licences.inspect"),
    "hotline_operator": ("workbench", "hotline.intake"),
    "grid_worker": ("workbench", "hotline.report"),
    "admin": ("workbench", "admin.access", "admin.accounts"),
}

LEVEL_PREFIX = {"city": 4, "district": 6, "street": 9, "community": 12}


def scope_prefix(code: str) -> str:
    """The leading digits every code inside this region shares (370200 → 3702)."""
    if len(code) == 6 and code.endswith("00"):
        return code[:4] if not code.endswith("0000") else code[:2]
    return code


def region_contains(scope_code: str, code: str) -> bool:
    return code.startswith(scope_prefix(scope_code))


@dataclass(frozen=True)
class Grant:
    role: str
    department_id: int
    department_code: str
    region_code: str
    permissions: frozenset[str]


@dataclass(frozen=True)
class Principal:
    """The person behind a request, with the session's trust level and their staff grants."""

    person_id: int
    name: str
    trust_level: int
    session_id: int
    grants: tuple[Grant, ...] = ()
    acting_enterprise_id: int | None = None
    # What an agent may do for the enterprise, from an authorisation still in force.
    acting_actions: frozenset[str] = frozenset()

    @property
    def actor(self) -> str:
        return f"person:{self.person_id}"

    def may_act_for(self, enterprise_id: int, action: str) -> bool:
        return self.acting_enterprise_id == enterprise_id and action in self.acting_actions

    @property
    def is_staff(self) -> bool:
        return bool(self.grants)

    def can(
        self, permission: str, *, department_id: int | None = None, region_code: str | None = None
    ) -> bool:
        return any(
            self.grants_for(permission, department_id=department_id, region_code=region_code)
        )

    def grants_for(
        self, permission: str, *, department_id: int | None = None, region_code: str | None = None
    ) -> list[Grant]:
        out = []
        for g in self.grants:
            if permission not in g.permissions:
                continue
            # Administrators act on every department inside their region; others only on their own.
            if department_id is not None and g.department_id != department_id and g.role != "admin":
                continue
            if region_code is not None and not region_contains(g.region_code, region_code):
                continue
            out.append(g)
        return out
