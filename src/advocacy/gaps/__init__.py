"""Gaps: expectation vs perception, current vs target, culture and CX maturity."""
