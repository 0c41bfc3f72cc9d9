"""A terminal quiz that teaches students to read the news critically."""

__version__ = "0.1.0"
