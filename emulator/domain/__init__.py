"""Pure domain logic for the Certification Campaigns emulator (no HTTP, no I/O)."""
