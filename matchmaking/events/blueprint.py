"""The one blueprint every Springbrett view registers on (``/events/...``)."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")
