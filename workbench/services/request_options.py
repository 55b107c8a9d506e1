"""The rest of the request surface the composer sets: effort, adaptive thinking, structured
output (a JSON schema for the reply), metadata.user_id, service_tier and anthropic-beta.

They live in the draft as the body fields they are (`Draft.extra`, kept verbatim by every
path: history, curl import and export, prompt files), plus `Draft.betas`. The parameters
panel reads and fills them through `panel_values` / `to_extra`; which of them a model takes
comes from its Models API capabilities (`supports`). A schema is checked here before a run,
and a structured reply is validated against it (`reply_problem`). Stdlib + jsonschema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from workbench.api.request_rules import EFFORTS, SERVICE_TIERS

# the body fields these options own in `Draft.extra` (thinking: only a non-"enabled" one)
KEYS = ("output_config", "metadata", "service_tier", "thinking")


def _leaf(node: Any, name: str) -> Any:
    if node is None:
        return None
    if isinstance(node, Mapping):
        return node.get(name)
    value = getattr(node, name, None)
    if value is None and getattr(node, "model_extra", None):
        value = node.model_extra.get(name)
    return value


def _on(node: Any) -> bool:
    return bool(_leaf(node, "supported")) if node is not None else False


def supports(info: Any, what: str) -> bool | None:
    """Whether the model (a ModelInfo or its dict) takes `what`: "effort", "adaptive",
    "structured_outputs"; None when its capabilities are unknown (then nothing is hidden)."""
    caps = _leaf(info, "capabilities")
    if caps is None:
        return None
    if what == "adaptive":
        thinking = _leaf(caps, "thinking")
        return _on(_leaf(_leaf(thinking, "types"), "adaptive"))
    return _on(_leaf(caps, what))


def efforts(info: Any) -> list[str]:
    """The effort levels the model takes (all of them when unknown)."""
    node = _leaf(_leaf(info, "capabilities"), "effort")
    if node is None:
        return list(EFFORTS)
    return [e for e in EFFORTS if _on(_leaf(node, e))]


def schema_problem(text: str) -> str | None:
    """Why `text` is not a JSON schema the API takes for the reply (None when it is, or empty)."""
    if not text.strip():
        return None
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"schema JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
    if not isinstance(schema, dict):
        return "the schema must be a JSON object"
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return f"not a JSON schema: {exc.message}"
    return None


def reply_problem(text: str, schema: Mapping[str, Any]) -> str | None:
    """Why a structured reply does not match its schema (None when it does)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"the reply is not JSON: {exc.msg}"
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(dict(schema)).iter_errors(value), key=str)
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(the whole reply)"
        return f"the reply does not match the schema at {where}: {errors[0].message}"
    return None


def reply_schema(body: Mapping[str, Any]) -> dict[str, Any] | None:
    fmt = (body.get("output_config") or {}).get("format") if isinstance(
        body.get("output_config"), dict) else None
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        schema = fmt.get("schema")
        return schema if isinstance(schema, dict) else None
    return None


def panel_values(extra: Mapping[str, Any], betas: list[str]) -> dict[str, str]:
    """The options as the panel's fields show them."""
    config = extra.get("output_config") if isinstance(extra.get("output_config"), dict) else {}
    schema = reply_schema(extra)
    metadata = extra.get("metadata") if isinstance(extra.get("metadata"), dict) else {}
    thinking = extra.get("thinking") if isinstance(extra.get("thinking"), dict) else {}
    return {"effort": str(config.get("effort") or ""),
            "adaptive": "1" if thinking.get("type") == "adaptive" else "",
            "schema": json.dumps(schema, indent=2) if schema is not None else "",
            "user-id": str(metadata.get("user_id") or ""),
            "service-tier": str(extra.get("service_tier") or ""),
            "betas": ", ".join(betas)}


def to_extra(values: Mapping[str, str], extra: dict[str, Any]) -> list[str]:
    """The panel's fields into `extra` (fields left empty leave their key out, other keys of
    output_config and metadata are kept); returns the betas."""
    config = dict(extra.get("output_config") or {}) if isinstance(
        extra.get("output_config"), dict) else {}
    config.pop("effort", None)
    config.pop("format", None)
    if values.get("effort") in EFFORTS:
        config["effort"] = values["effort"]
    text = values.get("schema", "")
    if text.strip() and schema_problem(text) is None:
        config["format"] = {"type": "json_schema", "schema": json.loads(text)}
    _put(extra, "output_config", config or None)
    metadata = dict(extra.get("metadata") or {}) if isinstance(extra.get("metadata"),
                                                               dict) else {}
    metadata.pop("user_id", None)
    if values.get("user-id", "").strip():
        metadata["user_id"] = values["user-id"].strip()
    _put(extra, "metadata", metadata or None)
    tier = values.get("service-tier", "")
    _put(extra, "service_tier", tier if tier in SERVICE_TIERS else None)
    thinking = extra.get("thinking")
    if values.get("adaptive"):
        extra["thinking"] = {"type": "adaptive"}
    elif isinstance(thinking, dict) and thinking.get("type") == "adaptive":
        del extra["thinking"]
    return [b.strip() for b in values.get("betas", "").split(",") if b.strip()]


def _put(extra: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        extra.pop(key, None)
    else:
        extra[key] = value


def merge(target: dict[str, Any], source: Mapping[str, Any]) -> None:
    """The options' keys of `source` (the panel's draft) into `target` (the session's)."""
    for key in KEYS:
        if key in source:
            target[key] = source[key]
        else:
            target.pop(key, None)


# --- a stored run's betas (History) ---------------------------------------------------------
def reopened_betas(run: Mapping[str, Any], profile_betas: list[str] | tuple[str, ...]
                   ) -> list[str]:
    """The draft's betas for a run reopened from History: the request's own, and those its
    profile sent that the current profile does not (a re-run sends the same header again)."""
    own = list(run.get("betas") or [])
    sent = [*own, *(run.get("profile_betas") or [])]
    return [b for b in dict.fromkeys(sent) if b in own or b not in profile_betas]


def betas_summary(run: Mapping[str, Any]) -> str:
    """'a, b · profile: c' for the History detail ('' when the run was sent without betas)."""
    own = list(run.get("betas") or [])
    profile = [b for b in run.get("profile_betas") or [] if b not in own]
    parts = [", ".join(own)] if own else []
    if profile:
        parts.append("profile: " + ", ".join(profile))
    return " · ".join(parts)
