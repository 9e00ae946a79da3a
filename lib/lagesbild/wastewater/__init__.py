"""Wastewater narcotics trends (``notebooks/wastewater.ipynb``).

``labresults``  a kommun's own lab results: template, loader, units, LOQ rule, loads, campaigns
``trends``      year-over-year change and multi-year trend with uncertainty
``text``        the report's kommun sites, comparisons and texts
"""
