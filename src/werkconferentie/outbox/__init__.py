"""A persistent outbox: mail is written to the database with the change that causes it, and sent by a worker."""
