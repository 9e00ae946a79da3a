"""Place assessment (``notebooks/place_assessment.ipynb``).

``data``      the place tables (places, inspections, incident log, citizen reports): templates, loaders
``factors``   the eight factors, the 1–5 scale, profiles, change, measures lookup, priority list
``analysis``  settings, periods and the analysis that ties the blocks together
``series``    each place's yearly factor score and events, publishable, for the åtgärdsplan's goals
``text``      the report's Swedish texts and tables, with small counts masked
"""
