class OutcomeError(ValueError):
    """A change the rules do not allow; the message is translated and meant for the organiser."""
