"""What the Rasa server loads: the domain (bot/domain/), the custom NLU component
(bot/nlu/), the stores of conversations (bot/ops/, bot/prod/). Runs in Rasa's
environment; never imports actions, console, progress_service or tooling.
"""
