"""The Textual app: the only part of the quiz that imports textual."""
