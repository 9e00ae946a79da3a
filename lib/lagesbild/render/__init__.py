"""Rendering: accessible HTML pieces, charts and maps for the notebooks.

``report``   display helpers used in notebooks: escaped text, accessible tables and figures, key figures
``charts``   matplotlib charts (colour-blind safe, Swedish labels): ``style`` and a module per kind of chart
``maps``     offline folium maps (Leaflet inlined from a registry package, no tiles)
``basemap``  the check of a kommun's own tile service
"""
