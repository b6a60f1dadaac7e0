"""Schemathesis hooks for the shop's fuzz run (tools/fuzz/run.sh): each one says what it works around and
until when. Nothing here hides a failure: a hook only keeps Schemathesis from sending a request that the
description cannot call wrong, or from misreading a description that is right."""

from __future__ import annotations

import hashlib
from typing import Any

import schemathesis

# batch_init creates up to 1 000 000 entities per call, as the description allows, and the embedded shop
# spends minutes and gigabytes on each such call: a run would do nothing else. Valid sizes above this are
# folded into 0..BATCH_CAP (still valid); sizes past 1 000 000 stay as they are, so the refusals are tested.
BATCH_CAP = 1000
MAX_BATCH = 1_000_000


def _tuples_as_items(node: Any) -> None:
    """Rewrites every `prefixItems` tuple into `items: {anyOf: [...]}`, in place.

    Schemathesis 4.32.5 turns `prefixItems` into draft 7's `items: [...]` inside response schemas and then
    refuses the 2020-12 schema it made ("Invalid Schema Object in response definition"), so it checks no
    response of /orders/find, addItem, removeItem, checkout or /replies. The description is right (OpenAPI
    3.1 speaks JSON Schema 2020-12); this looser form of the order line [item_id, quantity] lets the
    responses be checked at all. Drop it once Schemathesis reads `prefixItems` in responses.
    """
    if isinstance(node, list):
        for item in node:
            _tuples_as_items(item)
        return
    if not isinstance(node, dict):
        return
    prefix = node.get("prefixItems")
    if isinstance(prefix, list):
        del node["prefixItems"]
        node["items"] = {"anyOf": prefix}
    for value in node.values():
        _tuples_as_items(value)


@schemathesis.hook
def before_load_schema(context: schemathesis.HookContext, raw_schema: dict[str, Any]) -> None:
    _tuples_as_items(raw_schema.get("paths", {}))


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and (value == "0" or value[0] != "0"):
        return int(value)
    return None


def _positive(case: schemathesis.Case) -> bool:
    meta = case.meta
    return meta is None or meta.generation.mode.is_positive


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]) -> None:
    headers = case.headers or {}
    # OpenAPI cannot say that two optional headers exclude each other, so schema-valid requests carry
    # both and get 400. Keep the Idempotency-Key (the one with more behaviour behind it).
    if _positive(case) and "Idempotency-Key" in headers and "X-Correlation-ID" in headers:
        del headers["X-Correlation-ID"]
    # Generated keys repeat across operations ("0" for all of them), and the shop rightly refuses a key
    # reused for another request (422). Each request gets a key of its own, the same for the same request,
    # so positive data reaches the operation itself, and a repeat still replays.
    if _positive(case) and "Idempotency-Key" in headers:
        request = f"{case.method} {case.formatted_path}".encode()
        headers["Idempotency-Key"] = f"{headers['Idempotency-Key'][:200]}.{hashlib.sha256(request).hexdigest()[:16]}"
    if "/batch_init/" in case.path and "n" in case.path_parameters:
        n = _as_int(case.path_parameters["n"])
        if n is not None and BATCH_CAP < n <= MAX_BATCH:
            case.path_parameters["n"] = n % (BATCH_CAP + 1)
