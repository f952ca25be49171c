"""Figures and tables: shared chart helpers, the canvas figure and the case charts."""
