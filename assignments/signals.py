"""Reactions: people arriving in a unit get the assignments that cover them (to come)."""
