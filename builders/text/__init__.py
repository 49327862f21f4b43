"""Text steps of the corpus builders: markup cleaning, normalisation, sentence splitting, language id."""
