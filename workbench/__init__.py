"""Claude Workbench for the terminal.

Kept import-free on purpose: start-up time matters and this module is loaded first.
"""

__version__ = "0.1.0"
