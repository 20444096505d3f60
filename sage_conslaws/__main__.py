"""``python -m sage_conslaws`` runs the command line ``sage-conslaws``."""
from .cli import entry_point

entry_point()
