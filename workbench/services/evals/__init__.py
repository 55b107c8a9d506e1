"""Evaluations: suites of test cases run against prompt versions or models, scored by assertions.

`suite` loads a TOML suite (errors name the line), `assertions` and `grading` score one reply,
`runner` sends the requests live (following the rate-limit headers) or as a batch, `cache` keeps
replies by request hash, `runstore` keeps runs and grades, `report` writes JSON/JUnit/CSV.
Headless: the CLI and the Evaluate pane share all of it.
"""
