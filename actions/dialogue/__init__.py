"""The dialogue core: conversation state and the follow-up interpreter (no Rasa imports).

`interpret(state, text)` says what a message does in the conversation it arrives in
(ask an aspect of the current item, switch district, pick a menu option, correct, name
a new item, a side intent); the actions in `actions.turn` carry that out.
"""
