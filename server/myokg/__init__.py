"""MyoKG: a knowledge graph of human skeletal muscles, their nerves and trigger points."""

__version__ = "0.1.0"
