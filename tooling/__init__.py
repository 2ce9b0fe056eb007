"""Tools run in the action-server environment: the `./yuban` command line (`cli`), the
table of process commands (`processes`), the embedded profile's stack (`services`) and
the production profile's settings check, launcher and stack (`prod`). Nothing a server
process loads imports from here.
"""
