"""Progress reminders (办件进度提醒, issue #14): subscriptions, the change-feed follower and
the senders (WeChat subscribe messages, the app backend's callback).

`store` is shared by the action server (which subscribes, lists and cancels) and the
notifier process (`python -m reminders`), which follows the progress API's change feed
and sends each change of a subscribed application exactly once, however many notifiers
run. Runs in the action-server environment; imports `core`, `monitoring`, `answers`
(wording) and `progress_api` (the feed's records), nothing else of ours.
"""
