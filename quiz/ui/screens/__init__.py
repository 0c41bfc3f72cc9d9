"""The quiz's screens."""
