"""Each person's home at ``/``: one module per role, each with ``page()``.

Visitors get the marketing page (``templates/main/index.html``).
"""
