"""Core helpers every layer uses; imports nothing else of lägesbild.

``paths``     where things live (repo root, data folders, notebooks, params) and the git commit
``errors``    the exceptions that name file, row, column and the fix
``fmt``       Swedish number, percent, p-value, date and list formatting
``privacy``   what place-level data may be published (never a count of 1 or 2)
``units``     the names of Brå's two units (counts, per 100 000 inhabitants)
``workbook``  deterministic xlsx workbooks (templates and downloads)
"""
