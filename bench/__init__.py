"""A benchmark of the server against its targets (issue #4): run ``python -m bench``."""
