"""werkconferentie: run a children's-rights work conference for municipalities, from invitation to kept promises."""

__version__ = "0.1.0"
