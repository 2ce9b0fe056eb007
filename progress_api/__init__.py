"""The progress API's contract (docs/progress-api.yaml), shared by its client and its stand-in.

The action server's client (actions/progress_client.py) and the local progress service
(progress_service/) both speak this contract, so it belongs to neither: application
number rules (`numbers`), masking of personal data (`masking`) and the records the
client hands to the actions (`records`). Standard library only: every environment of
the project can import it.
"""
