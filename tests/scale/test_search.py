"""Full-text search: Chinese substrings through the trigram index, short queries, knowledge, the index in
step with writes (service writes, Core inserts, deletes), scope; PostgreSQL through pg_trgm."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from shared.search import count_matches, ensure_search_index, search_tickets
from shared.search.index import PG_HAYSTACK, drop_search_index
from shared.services import tickets
from shared.services.actor import Actor
from shared.store import Store

TICKETS = (
    ("办公室打印机卡纸", "三楼东侧打印机卡纸，已重启无效", {"data.solution": "更换硒鼓并清理搓纸轮"}),
    ("营销系统登录缓慢", "营业厅反映营销系统登录需要一分钟", {}),
    ("VPN 无法连接", "出差人员 VPN 拨号失败，错误 691", {"data.solution": "重置 VPN 账号密码"}),
)


def make(store: Store, actor: Actor, rows: tuple[tuple[str, str, dict[str, Any]], ...] = TICKETS) -> list[str]:
    with store.write(actor.user_id) as cs:
        return [tickets.create_ticket(cs, actor, "incident", title, {"description": desc, **extra})["number"]
                for title, desc, extra in rows]


def numbers(store: Store, actor: Actor, query: str, process: str | None = None) -> list[str]:
    with store.read() as session:
        return sorted(hit.number for hit in search_tickets(session, actor, query, process))


def titles(store: Store, actor: Actor, query: str) -> list[str]:
    with store.read() as session:
        return sorted(hit.title for hit in search_tickets(session, actor, query))


def test_chinese_substrings_are_found_through_the_trigram_index(county: tuple[Store, Actor]) -> None:
    store, actor = county
    ensure_search_index(store.engine)
    make(store, actor)
    assert titles(store, actor, "打印机") == ["办公室打印机卡纸"]
    assert titles(store, actor, "机卡纸") == ["办公室打印机卡纸"]  # inside a word: no segmentation needed
    assert titles(store, actor, "搓纸轮") == ["办公室打印机卡纸"]  # the solution is searched too
    assert titles(store, actor, "营销系统") == ["营销系统登录缓慢"]
    assert titles(store, actor, "vpn") == ["VPN 无法连接"]  # case-insensitive for Latin letters
    assert titles(store, actor, "扫描仪") == []
    with store.engine.connect() as conn:  # the ≥ 3 character query is answered by the FTS5 index
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT rowid FROM ticket_search WHERE ticket_search "
                                    "MATCH '\"打印机\"'").fetchall()
    assert any("VIRTUAL TABLE INDEX" in str(row[-1]) for row in plan), plan


def test_one_and_two_character_queries_and_several_terms(county: tuple[Store, Actor]) -> None:
    store, actor = county
    ensure_search_index(store.engine)
    make(store, actor)
    assert titles(store, actor, "打印") == ["办公室打印机卡纸"]
    assert titles(store, actor, "纸") == ["办公室打印机卡纸"]
    assert titles(store, actor, "系统 缓慢") == ["营销系统登录缓慢"]  # every term must occur
    assert titles(store, actor, "打印机 营销") == []
    assert titles(store, actor, '"VPN 无法"') == ["VPN 无法连接"]  # quotes keep a phrase
    assert titles(store, actor, "100%") == []  # LIKE wildcards are literal
    with store.read() as session:
        assert count_matches(session, actor, "系统") == 1
        assert search_tickets(session, actor, "   ") == []


def test_index_follows_updates_deletes_and_rows_written_without_the_orm(county: tuple[Store, Actor],
                                                                        write_csv: Callable[..., Path],
                                                                        tmp_path: Path) -> None:
    store, actor = county
    ensure_search_index(store.engine)
    first, *_ = make(store, actor)
    with store.write(actor.user_id) as cs:
        tickets.update_ticket(cs, actor, first, {"title": "会议室投影仪不亮", "data.solution": "更换灯泡"})
    assert titles(store, actor, "打印机") == ["会议室投影仪不亮"]  # still in the description
    assert titles(store, actor, "投影仪") == ["会议室投影仪不亮"]
    assert titles(store, actor, "搓纸轮") == []  # the old solution is gone from the index
    with store.write(actor.user_id) as cs:
        tickets.delete_ticket(cs, actor, first)
    assert titles(store, actor, "投影仪") == []  # tombstones are not found
    from shared.importers.servicenow import import_incidents  # multi-row Core INSERTs: the triggers see them

    source = write_csv([{"number": "INC0000042", "incident_state": "New", "sys_mod_count": 0,
                         "sys_updated_at": "1/3/2016 10:00", "u_symptom": "硬盘故障告警"}])
    import_incidents(store, source, actor.user_id, work_dir=tmp_path)
    assert numbers(store, actor, "硬盘故障") == ["INC0000042"]


def test_existing_tickets_are_indexed_when_the_index_is_created(county: tuple[Store, Actor]) -> None:
    store, actor = county
    drop_search_index(store.engine)
    make(store, actor)
    ensure_search_index(store.engine)
    assert titles(store, actor, "登录缓慢") == ["营销系统登录缓慢"]


def test_knowledge_articles_and_scope(county: tuple[Store, Actor]) -> None:
    store, actor = county
    ensure_search_index(store.engine)
    make(store, actor)
    with store.write(actor.user_id) as cs:
        tickets.create_ticket(cs, actor, "knowledge", "打印机卡纸处理方法",
                              {"data.steps": "打开后盖，取出卡住的纸张，清理搓纸轮", "data.keywords": "打印机"})
        other = Actor(actor.user_id, "x", "/HQ/GD/SZ/FT/", ("service_desk",))
        tickets.create_ticket(cs, other, "incident", "福田打印机卡纸", owner_path="/HQ/GD/SZ/FT/")
    assert titles(store, actor, "搓纸轮") == ["办公室打印机卡纸", "打印机卡纸处理方法"]
    assert titles(store, actor, "取出卡住") == ["打印机卡纸处理方法"]  # knowledge steps are searched
    with store.read() as session:
        hits = search_tickets(session, actor, "搓纸轮", process="knowledge")
    assert [h.title for h in hits] == ["打印机卡纸处理方法"]
    assert "福田打印机卡纸" not in titles(store, actor, "打印机")  # another county's ticket is out of scope


def test_postgres_search_uses_the_trigram_index(pg_db_url: str) -> None:
    store = Store(pg_db_url)
    store.init_node("province", "/HQ/GD/")
    from shared.services import org

    with store.write(None) as cs:
        org.add_org(cs, "/HQ/", "总部")
        org.add_org(cs, "/HQ/GD/", "广东")
    actor = Actor("00000000-0000-0000-0000-000000000001", "gd", "/HQ/GD/", ("admin",))
    try:
        make(store, actor)
        ensure_search_index(store.engine)
        assert titles(store, actor, "打印机") == ["办公室打印机卡纸"]
        assert titles(store, actor, "打印") == ["办公室打印机卡纸"]
        assert titles(store, actor, "搓纸轮") == ["办公室打印机卡纸"]
        with store.engine.connect() as conn:
            conn.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(r[0] for r in conn.execute(text(
                f"EXPLAIN SELECT id FROM tickets WHERE ({PG_HAYSTACK}) ILIKE '%打印机%'")))
        assert "ix_tickets_search_trgm" in plan, plan
    finally:
        store.close()

