"""The PySide6 user interface. Qt is imported only inside this package."""

from annotator.gui.main_window import MainWindow, create_window

__all__ = ["MainWindow", "create_window"]
