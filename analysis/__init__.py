"""socle analyses: scores with reasons, budgets, reports, and the command line."""
