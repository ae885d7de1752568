"""Pure logic: no Qt, no SQLAlchemy. Everything here is testable with plain data."""
