"""Swedish sentences shared by several reports.

``narrative``  a finding stated with its uncertainty
``opening``    every report's first paragraph: the law it serves, then what it shows
"""
