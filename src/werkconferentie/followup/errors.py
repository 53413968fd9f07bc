class FollowupError(Exception):
    """A change the follow-up rules refuse; the message says why, for the person who tried."""
