"""Handwritten digits for the case studies: data, networks, training, figures, drawing."""
