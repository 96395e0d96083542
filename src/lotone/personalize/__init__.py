"""Personalization: consented profiles, fit models, and recommendations valid by construction.

* :mod:`~lotone.personalize.profile`: zero-party data with a consent per purpose.
* :mod:`~lotone.personalize.fit`: size grids and size prediction learned from ANSUR II.
* :mod:`~lotone.personalize.neighbours`: value probabilities from similar past orders.
* :mod:`~lotone.personalize.recommend`: the best valid configuration under those
  probabilities, decoded by the engine.
* :mod:`~lotone.personalize.evaluate`: the held-out evaluation on real sales histories.
"""

from lotone.personalize.evaluate import Evaluation as Evaluation
from lotone.personalize.evaluate import Score as Score
from lotone.personalize.evaluate import evaluate as evaluate
from lotone.personalize.fit import Anthropometry as Anthropometry
from lotone.personalize.fit import SizeGrid as SizeGrid
from lotone.personalize.fit import SizePredictor as SizePredictor
from lotone.personalize.fit import held_out_error as held_out_error
from lotone.personalize.fit import insole_fit as insole_fit
from lotone.personalize.fit import load_ansur as load_ansur
from lotone.personalize.fit import size_grid as size_grid
from lotone.personalize.history import Folds as Folds
from lotone.personalize.history import History as History
from lotone.personalize.history import read_folds as read_folds
from lotone.personalize.history import read_orders as read_orders
from lotone.personalize.history import read_sales as read_sales
from lotone.personalize.neighbours import Neighbours as Neighbours
from lotone.personalize.profile import PURPOSES as PURPOSES
from lotone.personalize.profile import ConsentRequired as ConsentRequired
from lotone.personalize.profile import Profile as Profile
from lotone.personalize.profile import Purpose as Purpose
from lotone.personalize.profile import load_profile as load_profile
from lotone.personalize.profile import require as require
from lotone.personalize.recommend import Recommendation as Recommendation
from lotone.personalize.recommend import recommend_family as recommend_family
from lotone.personalize.recommend import recommend_finite as recommend_finite

__all__ = [
    "PURPOSES",
    "Anthropometry",
    "ConsentRequired",
    "Evaluation",
    "Folds",
    "History",
    "Neighbours",
    "Profile",
    "Purpose",
    "Recommendation",
    "Score",
    "SizeGrid",
    "SizePredictor",
    "evaluate",
    "held_out_error",
    "insole_fit",
    "load_ansur",
    "load_profile",
    "read_folds",
    "read_orders",
    "read_sales",
    "recommend_family",
    "recommend_finite",
    "require",
    "size_grid",
]
