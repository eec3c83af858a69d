"""Who published each release, and whether it carries a provenance attestation, from registry answers."""
