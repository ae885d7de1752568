"""One module per layer of the agreement report.

Each takes the ``Corpus`` of ``corpus.collect`` and returns its section of the report,
its figures per annotator pair, and each document's disagreement on that layer (NaN
where the layer does not apply to a document).
"""
