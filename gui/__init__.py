"""The desktop program: windows and dialogs over the core. The only package importing PySide6."""
