"""Request validation with the real API's error types and field-naming messages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from workbench.api.request_rules import request_problems
from workbench.api.rules import TOOL_NAME_PATTERN, tool_name_ok
from workbench.api.versions import API_VERSIONS, version_problems
from workbench.emulator.catalogue import find_model
from workbench.emulator.errors import APIProblem

if TYPE_CHECKING:
    from workbench.emulator.state import Skill, State, StoredFile

_BLOCK_TYPES = {
    "text", "image", "document", "search_result", "tool_use", "tool_result", "thinking",
    "redacted_thinking", "server_tool_use", "container_upload", "web_search_tool_result",
    "web_fetch_tool_result", "code_execution_tool_result", "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result", "tool_search_tool_result", "tool_reference",
}


def bad(message: str) -> APIProblem:
    return APIProblem("invalid_request_error", message)


def check_version(version: str | None) -> str:
    if not version:
        raise bad("anthropic-version: header is required")
    if version not in API_VERSIONS:
        raise bad(f"anthropic-version: unknown version {version!r}; "
                  f"supported: {', '.join(API_VERSIONS)}")
    return version


def check_model(body: dict[str, Any]) -> dict[str, Any]:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise bad("model: Field required")
    info = find_model(model)
    if info is None or info["lifecycle"] == "retired":
        raise APIProblem("not_found_error", f"model: {model}")
    return info


def check_messages_body(body: Any, version: str, *, count_only: bool = False) -> dict[str, Any]:
    """Validate a create (or count_tokens) body; returns the model info."""
    if not isinstance(body, dict):
        raise bad("request body must be a JSON object")
    info = check_model(body)
    if not count_only:
        max_tokens = body.get("max_tokens")
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int):
            raise bad("max_tokens: Field required" if max_tokens is None
                      else "max_tokens: Input should be a valid integer")
        if max_tokens < 0:
            raise bad("max_tokens: Input should be greater than or equal to 0")
        if info["max_tokens"] and max_tokens > info["max_tokens"]:
            raise bad(f"max_tokens: {max_tokens} > {info['max_tokens']}, which is the maximum "
                      f"allowed number of output tokens for {info['id']}")
        stops = body.get("stop_sequences")
        if stops is not None and (not isinstance(stops, list) or
                                  not all(isinstance(s, str) for s in stops)):
            raise bad("stop_sequences: Input should be a valid list of strings")
    messages = body.get("messages")
    if messages is None:
        raise bad("messages: Field required")
    if not isinstance(messages, list):
        raise bad("messages: Input should be a valid list")
    if not messages and not count_only:
        raise bad("messages: at least one message is required")
    for i, message in enumerate(messages):
        check_message(message, i)
    check_system(body.get("system"))
    for name, low, high in (("temperature", 0.0, 1.0), ("top_p", 0.0, 1.0)):
        if name in body:
            value = body[name]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise bad(f"{name}: Input should be a valid number")
            if not low <= value <= high:
                raise bad(f"{name}: Input should be between {low:g} and {high:g}")
    if "top_k" in body and (not isinstance(body["top_k"], int) or body["top_k"] < 0):
        raise bad("top_k: Input should be a non-negative integer")
    check_thinking(body.get("thinking"), body.get("max_tokens"), count_only)
    names = check_tools(body.get("tools"))
    check_tool_choice(body.get("tool_choice"), names)
    problems = version_problems(body, version)
    if problems:
        raise bad("; ".join(problems))
    for problem in request_problems(body):  # the rules between fields (api/request_rules.py)
        raise bad(problem.message)
    return info


def check_message(message: Any, i: int) -> None:
    where = f"messages.{i}"
    if not isinstance(message, dict):
        raise bad(f"{where}: Input should be a valid object")
    role = message.get("role")
    if role not in ("user", "assistant"):
        raise bad(f"{where}.role: Input should be 'user' or 'assistant'")
    if "content" not in message:
        raise bad(f"{where}.content: Field required")
    content = message["content"]
    if isinstance(content, str):
        return
    if not isinstance(content, list):
        raise bad(f"{where}.content: Input should be a valid string or list of content blocks")
    for j, block in enumerate(content):
        check_block(block, f"{where}.content.{j}")


def check_block(block: Any, where: str) -> None:
    if not isinstance(block, dict):
        raise bad(f"{where}: Input should be a valid object")
    kind = block.get("type")
    if kind not in _BLOCK_TYPES:
        raise bad(f"{where}.type: Input tag {kind!r} found using 'type' does not match any of "
                  f"the expected tags")
    if kind == "text" and not isinstance(block.get("text"), str):
        raise bad(f"{where}.text: Field required")
    if kind in ("image", "document"):
        source = block.get("source")
        if not isinstance(source, dict) or "type" not in source:
            raise bad(f"{where}.source: Field required")
        stype = source["type"]
        if stype == "base64":
            if not isinstance(source.get("data"), str) or not source.get("media_type"):
                raise bad(f"{where}.source: base64 sources need media_type and data")
            allowed = (("image/jpeg", "image/png", "image/gif", "image/webp") if kind == "image"
                       else ("application/pdf",))
            if source["media_type"] not in allowed:
                raise bad(f"{where}.source.media_type: Input should be one of {', '.join(allowed)}")
        elif stype == "file":
            if not isinstance(source.get("file_id"), str):
                raise bad(f"{where}.source.file_id: Field required")
        elif stype not in ("url", "text", "content"):
            raise bad(f"{where}.source.type: unknown source type {stype!r}")
    if kind == "tool_use" and not (isinstance(block.get("id"), str) and
                                   isinstance(block.get("name"), str) and
                                   isinstance(block.get("input"), dict)):
        raise bad(f"{where}: tool_use blocks need id, name and an input object")
    if kind == "container_upload" and not isinstance(block.get("file_id"), str):
        raise bad(f"{where}.file_id: Field required")
    if kind == "tool_result" and not isinstance(block.get("tool_use_id"), str):
        raise bad(f"{where}.tool_use_id: Field required")
    if kind == "thinking" and not isinstance(block.get("signature"), str):
        raise bad(f"{where}.signature: Field required")


def check_system(system: Any) -> None:
    if system is None or isinstance(system, str):
        return
    if not isinstance(system, list):
        raise bad("system: Input should be a valid string or list of text blocks")
    for i, block in enumerate(system):
        if not isinstance(block, dict) or block.get("type") != "text" or \
                not isinstance(block.get("text"), str):
            raise bad(f"system.{i}: Input should be a text block")


def check_thinking(thinking: Any, max_tokens: Any, count_only: bool) -> None:
    if thinking is None:
        return
    if not isinstance(thinking, dict):
        raise bad("thinking: Input should be a valid object")
    kind = thinking.get("type")
    if kind not in ("enabled", "disabled", "adaptive", "between_tools"):
        raise bad(f"thinking.type: unknown type {kind!r}")
    if kind == "enabled":
        budget = thinking.get("budget_tokens")
        if not isinstance(budget, int):
            raise bad("thinking.enabled.budget_tokens: Field required")
        if budget < 1024:
            raise bad("thinking.enabled.budget_tokens: Input should be greater than or equal "
                      "to 1024")
        if not count_only and isinstance(max_tokens, int) and budget >= max_tokens:
            raise bad("max_tokens must be greater than thinking.budget_tokens")


def check_tools(tools: Any) -> set[str]:
    if tools is None:
        return set()
    if not isinstance(tools, list):
        raise bad("tools: Input should be a valid list")
    names: set[str] = set()
    for i, tool in enumerate(tools):
        where = f"tools.{i}"
        if not isinstance(tool, dict):
            raise bad(f"{where}: Input should be a valid object")
        name = tool.get("name")
        if not isinstance(name, str) or not name:
            raise bad(f"{where}.name: Field required")
        if tool.get("type") in (None, "custom"):
            if not tool_name_ok(name):
                raise bad(f"{where}.name: String should match pattern '{TOOL_NAME_PATTERN}'")
            schema = tool.get("input_schema")
            if not isinstance(schema, dict):
                raise bad(f"{where}.input_schema: Field required")
            if schema.get("type") != "object":
                raise bad(f"{where}.input_schema.type: Input should be 'object'")
        if name in names:
            raise bad(f"tools: tool names must be unique ({name!r} repeats)")
        names.add(name)
    return names


def check_tool_choice(choice: Any, names: set[str]) -> None:
    if choice is None:
        return
    if not isinstance(choice, dict) or choice.get("type") not in ("auto", "any", "tool", "none"):
        raise bad("tool_choice: Input should be {type: auto|any|tool|none}")
    if choice["type"] == "tool" and choice.get("name") not in names:
        raise bad(f"tool_choice.name: no tool named {choice.get('name')!r} in tools")
    if choice["type"] in ("any", "tool") and not names:
        raise bad("tool_choice: requires tools")


# references to what the emulator stores ------------------------------------------------------
def find_file(state: State, file_id: str) -> StoredFile:
    """The stored file, or the API's 404 (`file_expired` past its expiry)."""
    stored = state.files.get(file_id)
    if stored is None:
        raise APIProblem("not_found_error", f"File not found: {file_id}")
    if stored.expires_at is not None and stored.expires_at < time.time():
        raise APIProblem("not_found_error", f"File {file_id} has expired",
                         error_code="file_expired")
    return stored


def find_skill(state: State, skill_id: str) -> Skill:
    skill = state.skills.get(skill_id)
    if skill is None:
        raise APIProblem("not_found_error", f"skill {skill_id} not found")
    return skill


IMAGE_MIME_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
DOCUMENT_MIME_TYPES = ("application/pdf", "text/plain")


def file_references(body: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(where, file_id, block type) of every file a request's messages name, nested included."""
    for i, message in enumerate(body.get("messages") or []):
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            yield from _block_files(content, f"messages.{i}.content")


def _block_files(blocks: list[Any], where: str) -> Iterator[tuple[str, str]]:
    for j, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        here = f"{where}.{j}"
        source = block.get("source")
        if isinstance(source, dict):
            if source.get("type") == "file" and isinstance(source.get("file_id"), str):
                yield f"{here}.source.file_id", source["file_id"], str(block.get("type"))
            if isinstance(source.get("content"), list):  # a document made of blocks
                yield from _block_files(source["content"], f"{here}.source.content")
        if block.get("type") == "container_upload" and isinstance(block.get("file_id"), str):
            yield f"{here}.file_id", block["file_id"], "container_upload"
        if isinstance(block.get("content"), list):  # tool_result, search_result
            yield from _block_files(block["content"], f"{here}.content")


def check_references(body: dict[str, Any], state: State) -> None:
    """Every file and container skill a (valid) request names must exist: else the API's 404,
    naming the id and where it was given. Run after `check_messages_body`."""
    for where, file_id, block_type in file_references(body):
        try:
            stored = find_file(state, file_id)
        except APIProblem as problem:
            raise APIProblem(problem.error_type, f"{where}: {problem.message}",
                             error_code=problem.error_code) from None
        mime = stored.mime_type.split(";")[0].strip().lower()
        allowed = {"image": IMAGE_MIME_TYPES, "document": DOCUMENT_MIME_TYPES}.get(block_type)
        if allowed is not None and mime not in allowed:
            raise bad(f"{where}: file {file_id} is {mime}, which a {block_type} block does not "
                      f"take (it takes {', '.join(allowed)})")
    container = body.get("container")
    skills = container.get("skills") if isinstance(container, dict) else None
    if skills is None:
        return
    if not isinstance(skills, list):
        raise bad("container.skills: Input should be a valid list")
    for i, entry in enumerate(skills):
        where = f"container.skills.{i}"
        if not isinstance(entry, dict) or not isinstance(entry.get("skill_id"), str):
            raise bad(f"{where}.skill_id: Field required")
        try:
            skill = find_skill(state, entry["skill_id"])
        except APIProblem as problem:
            raise APIProblem(problem.error_type, f"{where}.skill_id: {problem.message}") from None
        kind = entry.get("type")
        expected = "anthropic" if skill.source == "anthropic" else "custom"
        if kind is None:
            raise bad(f"{where}.type: Field required")
        if kind not in ("anthropic", "custom"):
            raise bad(f"{where}.type: Input should be 'anthropic' or 'custom'")
        if kind != expected:
            raise bad(f"{where}.type: skill {skill.id} is a {expected} skill, not {kind}")
        version = entry.get("version")
        if version is None or version == "latest":
            continue
        if not isinstance(version, str):
            raise bad(f"{where}.version: Input should be a valid string")
        if all(v.id != version for v in skill.versions):
            raise APIProblem("not_found_error",
                             f"{where}.version: version {version} of skill {skill.id} not found")
