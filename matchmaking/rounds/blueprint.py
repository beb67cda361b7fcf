"""The one blueprint every round view registers on (``/proposals/<id>/round...``,
``/investor/portfolio``)."""

from flask import Blueprint

bp = Blueprint("rounds", __name__)
