"""Every Altair chart and the palette: the only place Altair is imported."""
