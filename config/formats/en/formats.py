"""English dates a European can read: day before month, the month in letters.

Django's English formats are American (12/05/2026 is 5 December there and 12 May to
everyone else), which in a euro-first product makes every English date ambiguous. Only
what differs from Django's English is set here; Django fills in the rest (numbers).
Input keeps ISO first (what ``<input type="date">`` sends) and reads typed dates day
first, the same sense the pages write them.
"""

DATE_FORMAT = "j F Y"  # 5 December 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"  # 5 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-05
    "%d/%m/%Y",  # 05/12/2026
    "%d/%m/%y",  # 05/12/26
    "%d.%m.%Y",  # 05.12.2026
    "%d %b %Y",  # 5 Dec 2026
    "%d %B %Y",  # 5 December 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
