"""The canvas and what the kit knows: model, knowledge, files, languages, cases, metrics."""
