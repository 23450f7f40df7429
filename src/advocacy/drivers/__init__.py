"""Key drivers: relative importance and importance-performance analysis."""
