import sys
from pathlib import Path

# The example client lives one folder up; a real project would install it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
