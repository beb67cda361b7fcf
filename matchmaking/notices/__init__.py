"""The organisers' notices: new submissions, resubmissions and investor registrations.

Each organiser chooses (``User.notice_mode``, on their profile page) to hear of
them by e-mail as they happen, in a daily summary, or never. ``services`` holds
the rules and the e-mails; ``signals`` connects them to the lower features
(proposals' status changes, accounts' confirmations); ``cli`` is
``flask --app wsgi notices summary``, the daily summary for cron.
"""
