"""The `pengaduan` command: thin click commands over the library."""
from .main import cli, main

__all__ = ["cli", "main"]
