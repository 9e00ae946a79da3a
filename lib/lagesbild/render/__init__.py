"""Rendering: accessible HTML pieces, charts and maps for the notebooks.

``report``      display helpers used in notebooks: escaped text, accessible tables and figures, key figures
``pngs``        a figure's PNG: drawn once, or in a process of its own beside the notebook's next cells
``charts``      matplotlib charts (colour-blind safe, Swedish labels): ``style`` and a module per kind of chart
``maps``        offline folium maps (Leaflet inlined from a registry package, no tiles): choropleth, category map,
                the map's HTML
``mapclasses``  the choropleth's class limits and colours
``mapref``      a map's reference layers: the kommun's outline, Polisen's utsatta områden, the kommun's basemap
``basemap``     the check of a kommun's own tile service
"""
