"""Wastewater narcotics trends (``notebooks/wastewater.ipynb``).

``loads``       concentration units, the load per 1 000 inhabitants, the LOQ rule
``templates``   the lab-results table: columns, rules and programme advice in Swedish; writing the templates
``labresults``  a kommun's own lab results: loader, sites, campaigns, the DAILY and SUMMARY tables, the folder
``trends``      year-over-year change and multi-year trend with uncertainty
``text``        the report's kommun sites, comparisons and texts
"""
