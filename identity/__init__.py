"""Identity claims bound to the channel that made them (issue #16, finding 1).

A channel that authenticates its users (the 渝快办 app backend's signature or token)
attaches `metadata.verified_identity` to the user message. Rasa keeps metadata as the
caller sent it, so a claim is only believed when it carries an HMAC over channel,
subject and sender made with a key that the Rasa processes and the action servers share
(`YUBAN_IDENTITY_KEY`; the embedded profile creates var/identity.key once). Standard
library only: the channels (Rasa environment) and the actions (action-server
environment) both import it.
"""
from identity.binding import IdentityKeyError, bind, load_key, verify

__all__ = ["IdentityKeyError", "bind", "load_key", "verify"]
