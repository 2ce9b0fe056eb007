"""The `./yuban` command line."""
