from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image, ImageDraw

from shared.forms.registry import builtin
from shared.services import forms, rooms, users
from shared.services.actor import Actor
from shared.services.errors import NotFound
from shared.store import Store


def lead_of(store: Store, org_path: str = "/HQ/GD/SZ/LH/", username: str = "lh_lead") -> Actor:
    """The unit's duty lead (值班长), who approves plans: made on first use."""
    with store.write() as cs:
        try:
            user = users.find_user(cs.session, username)
        except NotFound:
            made = users.add_user(cs, username, "password-123", org_path, ["duty_lead"])
            return Actor(made["id"], username, org_path, ("duty_lead",))
        return Actor(user.id, user.username, user.org_path, tuple(user.roles or ()))


def png(width: int = 240, height: int = 80, text: str = "") -> bytes:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(10, height - 20), (width // 3, 15), (width // 2, height - 25), (width - 15, 20)], fill="navy",
              width=4)
    if text:
        draw.text((12, 8), text, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def normal_sop06_values() -> dict[str, Any]:
    """Every required SOP-06 item filled with a normal value."""
    template = builtin("SOP-06")
    assert template is not None
    mids = {"A_TEMP": 23.0, "A_RH": 50.0, "B_MAINS_V": 221.0, "C_LOAD": 45.0, "E_RETURN_TEMP": 24.0,
            "E_RETURN_RH": 48.0}
    values: dict[str, Any] = {}
    for item in template.items():
        if not item.required or item.auto or item.type in ("SIG", "TXT", "DT"):
            continue
        if item.type == "CHK":
            value: Any = "ok"
        elif item.type == "SEL":
            value = item.normal_options[0] if item.normal_options else item.options[0].code
        else:
            normal = item.thresholds.normal[0] if item.thresholds.normal else None
            if item.code in mids:
                value = mids[item.code]
            elif normal is None:
                value = 2.0
            elif normal.low != float("-inf") and normal.high != float("inf"):
                value = (normal.low + normal.high) / 2
            else:
                value = normal.high - 1 if normal.low == float("-inf") else normal.low + 1
        values[item.code] = {p: value for p in item.points} if item.per_point else value
    values["F_CONCLUSION"] = None
    values.pop("F_CONCLUSION")
    return values


@pytest.fixture
def room(county: tuple[Store, Actor]) -> dict[str, Any]:
    store, actor = county
    with store.write(actor.user_id) as cs:
        return rooms.create_room(cs, actor, "LH-JF01", "龙华信息机房", "B", {"address": "龙华区人民路1号"})


def completed_sop06(store: Store, actor: Actor, room_id: str, values: dict[str, Any],
                    remarks: dict[str, str] | None = None, photos: tuple[str, ...] = ()) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        record = forms.create_record(cs, actor, "SOP-06", room_id=room_id)
        forms.fill_record(cs, actor, record["id"], values, remarks)
        for code in photos:
            forms.add_photo(cs, actor, record["id"], code, "现场.png", png(text="photo"), "image/png")
        forms.sign(cs, actor, record["id"], "executor", png())
        return forms.complete_record(cs, actor, record["id"])
