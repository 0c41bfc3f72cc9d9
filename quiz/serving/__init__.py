"""The machinery under `quiz serve`: browser tabs, their quiz processes, and the limits on both.

- `limits`: what a browser may ask for (sizes, origins, how many tabs), pure.
- `fork`: the fork server that prepares the quiz once and forks one process per tab.
- `tabs`: one tab's quiz process behind textual-serve's protocol, started warm or cold.
- `spares`: tabs' quizzes forked before their tabs open, ready for a class arriving at once.
- `packets`: reading what a tab's quiz writes (textual-serve's packets), for `tabs` and `spares`.
- `web`: the web server itself: the page, the websocket, the class-is-full page.

`quiz.serve` drives it; only `tabs`, `spares` and `web` import textual-serve and aiohttp,
and only when a lesson starts.
"""
