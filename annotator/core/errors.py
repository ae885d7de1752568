"""Errors that reach the user as one clear line.

Why a dedicated type: the CLI maps ``InputError`` to exit code 2 and prints only its
message, while anything else is an internal error (exit 1). Messages name the file,
line or record first so a lead can find the culprit in a batch.
"""


class InputError(Exception):
    """Bad input or usage: the message is shown to the user as is."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)
