"""Swedish sentences shared by several reports.

``narrative``  a finding stated with its uncertainty
"""
