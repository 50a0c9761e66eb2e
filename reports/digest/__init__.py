"""The weekly e-mail digest: what one user's week brought (``week``), and sending it
(``sending``)."""
