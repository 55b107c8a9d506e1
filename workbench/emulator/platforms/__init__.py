"""The platforms' wires (Bedrock, Vertex AI, Foundry) served beside the direct API, each under
its own prefix, by re-entering the same Messages handlers: the official SDK's platform clients
work against the emulator unchanged (`AnthropicBedrock(base_url=EMU + "/bedrock")`, ...)."""

from __future__ import annotations

from starlette.routing import Route

PREFIXES = {"bedrock": "/bedrock", "vertex": "/vertex/v1", "foundry": "/foundry/anthropic"}


def routes(first_party: list[Route]) -> list[Route]:
    from workbench.emulator.platforms import bedrock, foundry, vertex

    return [*bedrock.routes(), *vertex.routes(), *foundry.routes(first_party)]
