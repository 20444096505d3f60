"""``python -m sage_conslaws`` runs the command line ``sage-conslaws``."""
from sage_conslaws.interface.cli import entry_point

entry_point()
