"""What the funded companies became: six-monthly follow-up reports.

``models`` (the requests and the reports), ``periods`` (when a period is
due: pure date arithmetic), ``access`` (who sees and who files),
``services`` (the rules, the history, the requests), ``notifications``
(the e-mails), ``forms``, ``views`` (the pages) and ``cli``
(``flask --app wsgi results request``).

Importing this package registers every route on :data:`bp` (one way: this
module imports the views; they import ``blueprint``, not this).
"""

from matchmaking.results import views as _views  # noqa: F401
from matchmaking.results.blueprint import bp

__all__ = ["bp"]
