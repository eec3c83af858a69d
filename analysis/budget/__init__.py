"""Contribution budgets: methods, eligibility, the allocator, channels, proposals and their comparison."""
