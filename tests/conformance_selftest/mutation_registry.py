"""Every mutation by name: the launcher serves one, the self-test runs them all."""

from __future__ import annotations

import broken_collections
import broken_lifecycle
import broken_protocol
import broken_templates
from mutation_kit import Mutation, registry

MUTATIONS: dict[str, Mutation] = registry(
    broken_protocol.MUTATIONS,
    broken_lifecycle.MUTATIONS,
    broken_collections.MUTATIONS,
    broken_templates.MUTATIONS,
)
