"""The conformance suite: pytest tests that run against a target (the emulator or a tenant)."""
