"""The blueprint of the programme's pages (``/programme/...``)."""

from flask import Blueprint

bp = Blueprint("programme", __name__, url_prefix="/programme")
