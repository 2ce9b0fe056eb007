"""Custom actions of the assistant, one module per capability.

rasa_sdk imports every module of this package and registers the actions in it.
"""
from actions.lifecycle import attach_to_action_server

attach_to_action_server()
