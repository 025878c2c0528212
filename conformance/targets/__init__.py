"""The target a run talks to: the embedded emulator or a tenant, the preflight that decides
whether it can be used, and the plan of what a run will cost it.
"""
