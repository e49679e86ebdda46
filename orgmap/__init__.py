"""orgmap: map how influence really flows through an organization."""

__version__ = "0.1.0"
