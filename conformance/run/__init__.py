"""One run of the suite: the command, its options (command line and settings file), the pytest
entry point, and the collector that turns pytest's reports into the run's results.
"""
