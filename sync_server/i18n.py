"""The server's translation table.

Every message a person may read (error messages, mostly) goes through :func:`t`. Simplified Chinese is
the default; English is chosen when the client's ``Accept-Language`` prefers it. Keys missing from the
table come back unchanged, so a typo shows up as the key rather than as an exception.
"""

from __future__ import annotations

from flask import has_request_context, request

DEFAULT_LANGUAGE = "zh"
LANGUAGES = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "bad_request": {"zh": "请求有误", "en": "Bad request"},
    "unauthorized": {"zh": "未认证或认证已失效", "en": "Not authenticated"},
    "forbidden": {"zh": "无权执行此操作", "en": "Forbidden"},
    "not_found": {"zh": "未找到", "en": "Not found"},
    "method_not_allowed": {"zh": "不支持该请求方法", "en": "Method not allowed"},
    "not_acceptable": {"zh": "无法提供所请求的格式", "en": "Not acceptable"},
    "conflict": {"zh": "数据冲突", "en": "Conflict"},
    "gone": {"zh": "资源已不存在", "en": "Gone"},
    "precondition_failed": {"zh": "前置条件不满足", "en": "Precondition failed"},
    "payload_too_large": {
        "zh": "请求内容过大（上限 {limit} 字节）",
        "en": "Request body too large (limit {limit} bytes)",
    },
    "unsupported_media_type": {"zh": "不支持的内容类型", "en": "Unsupported media type"},
    "validation_failed": {"zh": "数据校验未通过", "en": "Validation failed"},
    "too_many_requests": {"zh": "请求过于频繁，请稍后再试", "en": "Too many requests"},
    "internal_error": {"zh": "服务器内部错误", "en": "internal error"},
    "not_implemented": {"zh": "功能尚未实现", "en": "Not implemented"},
    "service_unavailable": {"zh": "服务暂不可用", "en": "Service unavailable"},
    "http_error": {"zh": "请求失败", "en": "Request failed"},
}


def request_language() -> str:
    """The best language for the current request (``zh`` outside a request or when nothing matches)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    # werkzeug falls back from "zh-CN" / "en-US" to the primary tag.
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **params: object) -> str:
    """Translate ``key`` into ``lang`` (default: from the request's Accept-Language), formatting params."""
    lang = lang or request_language()
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text
