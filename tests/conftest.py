"""Settings for the project's own tests.

CI machines are small and busy (two cores, tests in parallel with servers), so generation
speed is not a property under test: no deadline, no too-slow health check.
"""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "project-tests", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("project-tests")
