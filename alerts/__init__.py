"""Alerts (issue 24): rules that watch a user's income, and the channels that carry what
they find to where the person looks: e-mail, ntfy, Gotify and signed webhooks."""
