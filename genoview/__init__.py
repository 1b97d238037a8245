"""GenoView: open genomes, look at what DNA language models predict along them, evaluate and fine-tune them."""

__version__ = "0.1.0"
