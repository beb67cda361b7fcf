"""The blueprint of the follow-up reports (``/proposals/<id>/results...``)."""

from flask import Blueprint

bp = Blueprint("results", __name__)
