"""Personal data in what Rasa stores (docs/operations.md): the tracker store that masks
and seals events (`tracker_store`), the masking rules for events (`privacy`) and the
sealing of slots that must survive a turn (`sealing`). Logs, masking of text and the
health/metrics endpoints every process shares are in core/ and monitoring/.
"""
