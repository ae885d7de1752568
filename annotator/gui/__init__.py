"""The PySide6 user interface. Qt is imported only inside this package."""

from annotator.gui.main_window import create_window

__all__ = ["create_window"]
