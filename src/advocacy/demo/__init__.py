"""A realistic demo workspace for Lumen & Oak, a fictional home-goods retailer."""
