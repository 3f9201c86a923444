"""The weekly review: sections, words and rendering to Markdown and HTML."""
