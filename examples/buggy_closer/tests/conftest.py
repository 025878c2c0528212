import sys
from pathlib import Path

# The example client lives one folder up, the sound client whose pieces it reuses beside it;
# a real project would install them.
EXAMPLES = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(EXAMPLES / "buggy_closer"), str(EXAMPLES / "campaign_closer")]
