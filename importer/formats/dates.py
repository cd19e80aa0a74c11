"""Dates as blogs print them, in the languages Blogger pages are seen in: "Freitag, 5. Juni 2015",
"Thursday, May 30, 2019", "Mai 03, 2017", "5 de junio de 2015", "2016-05-08".

Pure and small on purpose: a page's date is one of a handful of shapes, and a wrong guess is worse than none,
so anything that does not read as exactly one real date gives None.
"""

from __future__ import annotations

import re
from datetime import date

_MONTH_NAMES = {
    1: "january jan januar jänner janvier enero gennaio januari janeiro",
    2: "february feb februar février fevrier febrero febbraio februari fevereiro",
    3: "march mar märz maerz mär mars marzo maart março marco",
    4: "april apr avril abril aprile",
    5: "may mai mayo maggio mei maio",
    6: "june jun juni juin junio giugno junho",
    7: "july jul juli juillet julio luglio julho",
    8: "august aug août aout agosto augustus",
    9: "september sep sept septembre septiembre setiembre settembre setembro",
    10: "october oct oktober octobre octubre ottobre okt outubro",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember décembre decembre diciembre dicembre dez dezembro",
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
WEEKDAYS = set(
    """monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag
freitag samstag sonnabend sonntag lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles
jueves viernes sábado domingo lunedì martedì mercoledì giovedì venerdì sabato domenica maandag dinsdag woensdag
donderdag vrijdag zaterdag zondag segunda-feira terça-feira quarta-feira quinta-feira sexta-feira""".split()
)

_WORD = r"([^\W\d_]+)"
_PATTERNS = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), ("year", "month", "day")),  # 2016-05-08T00:55
    (re.compile(rf"\b(\d{{1,2}})\.?\s+(?:de\s+)?{_WORD}\.?,?\s+(?:de\s+)?(\d{{4}})\b"), ("day", "name", "year")),
    (re.compile(rf"\b{_WORD}\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b"), ("name", "day", "year")),  # May 30, 2019
)


def find_date(text: str) -> date | None:
    """The first real date written in the text, or None."""
    for pattern, fields in _PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(fields, match.groups(), strict=True))
            month = int(parts["month"]) if "month" in parts else MONTHS.get(parts["name"].lower())
            if month is None:
                continue
            try:
                return date(int(parts["year"]), month, int(parts["day"]))
            except ValueError:
                continue
    return None
