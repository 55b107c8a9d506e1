"""Our thin async client for the Claude API (httpx + pydantic).

Import what you need from the submodules (`workbench.api.client.ClaudeClient`, `.errors`,
`.types`); this package itself imports nothing, so `workbench.api.versions` stays light.
"""
