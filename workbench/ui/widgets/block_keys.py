"""The keys a reply's blocks name in their hints (alone: the composer's keys import them
before the first frame, the block renderer only when a reply is drawn)."""

CONTINUE_KEY = "alt+g"  # continue a turn that paused
DOWNLOAD_KEY = "alt+o"  # save a file code execution created
