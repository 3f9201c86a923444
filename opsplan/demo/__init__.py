"""The demo data set and its simulation mechanics."""
