"""Personal data: retention and deletion (`python -m bot privacy purge|forget`).

Personal data lives in three places: the tracker store (every conversation, user texts
included), the enquiries table, and the enquiry spool (var/spool/). Importing this package
connects to nothing; the command opens each store when it runs.
"""
