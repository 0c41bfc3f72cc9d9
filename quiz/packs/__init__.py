"""Question packs: reading, validating and finding them.

The public face of the packs layer, in plain Python (no Textual):

- `load_pack(path)` and `load_pack_text(text)` give a `Pack` or raise
  `PackError`, whose `problems` list every error of the file at once;
- `check_file(path)` gives `(pack or None, problems)` and never raises for
  bad input: this is what `quiz validate` prints, one `path:line:col: message`
  line per problem;
- `discover()` finds the bundled, user, $QUIZ_PACKS and command-line packs,
  and `find_pack(name)` picks one by id or path.

The pack format itself is described for teachers in docs/packs.md.
"""

from __future__ import annotations

from quiz.packs.discovery import Catalog, Found, discover, find_pack
from quiz.packs.loader import check_file, check_text, load_pack, load_pack_text
from quiz.packs.problems import PackError, Problem


__all__ = [
    "Catalog",
    "Found",
    "PackError",
    "Problem",
    "check_file",
    "check_text",
    "discover",
    "find_pack",
    "load_pack",
    "load_pack_text",
]
