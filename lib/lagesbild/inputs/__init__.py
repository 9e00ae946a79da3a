"""The kommun's own tables: templates (CSV, XLSX, documentation), loaders and row/column errors.

``places``  places, inspections, incident logs, citizen reports (and the shared template framework)
"""
