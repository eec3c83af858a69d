"""socle collectors: inventory import, registry and git collectors, and the store they write to."""
