"""Custom Rasa NLU components (they run in the Rasa environment)."""
