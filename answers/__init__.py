"""The assistant's answers: guide, bundle and card rendering shared by every runtime.

The action server (WeChat, app, REST) and the agents' console say the same thing about
an item, so the wording lives here, in neither of them. This package imports only the
standard library, yaml and `knowledge`; the words themselves are in templates.yml.
"""
