"""JSON columns decode with orjson where it gives the same values, and with json.loads where it would not
(NaN, which orjson refuses; integers beyond 64 bits, which it would turn into floats) — on SQLite and on
PostgreSQL (whose driver hands the document over as bytes)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from sqlalchemy import JSON, literal_column, select, type_coerce

from shared.db.engine import loads_json, make_engine

BIG = 2**70 + 1  # 1180591620717411303425: past what a 64-bit integer holds (a float would round it)
DOCUMENTS = {
    '{"title": "办公室打印机卡纸", "n": 5, "x": 1.5, "ok": true, "none": null}':
        {"title": "办公室打印机卡纸", "n": 5, "x": 1.5, "ok": True, "none": None},
    f'{{"asset": {BIG}, "list": [1, 2]}}': {"asset": BIG, "list": [1, 2]},
}


@pytest.mark.parametrize("as_bytes", [False, True])
def test_loads_json_keeps_every_value_json_loads_gives(as_bytes: bool) -> None:
    for text, expected in DOCUMENTS.items():
        value = loads_json(text.encode() if as_bytes else text)
        assert value == expected and type(value.get("asset", 0)) is int
    nan = loads_json(b'{"reading": NaN}' if as_bytes else '{"reading": NaN}')
    assert math.isnan(nan["reading"])


def _decoded(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [conn.scalar(select(type_coerce(literal_column("'" + text + "'"), JSON)))
                    for text in DOCUMENTS]
    finally:
        engine.dispose()


def test_sqlite_json_columns_decode_exactly(tmp_path: Path) -> None:
    assert _decoded(f"sqlite:///{tmp_path / 'j.db'}") == list(DOCUMENTS.values())


def test_postgres_json_columns_decode_exactly(pg_db_url: str) -> None:
    engine = make_engine(pg_db_url)
    try:
        with engine.connect() as conn:
            found = [conn.scalar(select(type_coerce(literal_column("CAST('" + text + "' AS jsonb)"), JSON)))
                     for text in DOCUMENTS]
    finally:
        engine.dispose()
    assert found == list(DOCUMENTS.values())
    assert type(found[1]["asset"]) is int  # type: ignore[index]
