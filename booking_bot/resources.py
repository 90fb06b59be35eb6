"""Where the folders the program reads at run time are: the gettext catalogs (locales/) and the staff QR page
(qr_page/).

Both live at the repository's root. Run from a checkout (an editable install runs from one) they are read there, so
an edit shows at once. A wheel (`pip install .`) installs a copy of them as data files under
`<prefix>/share/booking-bot/` (pyproject.toml, `[tool.setuptools.data-files]`); that copy is found through the
installed distribution's list of files, which names it wherever the install scheme put it (a venv, `--user`, a
system prefix).
"""

from __future__ import annotations

import functools
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "booking-bot"
CHECKOUT = Path(__file__).resolve().parent.parent
SHARED = ("share", "booking-bot")


def resource_dir(name: str) -> Path:
    """The folder `name` ("locales", "qr_page"): the checkout's when the package runs from one, else the copy
    installed with it (the checkout's path when there is neither, so that the error names it)."""
    if (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / name).is_dir():
        return CHECKOUT / name
    installed = installed_share()
    return CHECKOUT / name if installed is None else installed / name


@functools.cache
def installed_share() -> Path | None:
    """`<prefix>/share/booking-bot` of the installed distribution, or None when it installed no data files."""
    try:
        files = metadata.distribution(DISTRIBUTION).files or []
    except metadata.PackageNotFoundError:
        return None
    for file in files:
        parts = file.parts
        for i in range(len(parts) - len(SHARED)):
            if parts[i : i + len(SHARED)] == SHARED:
                located = Path(str(file.locate()))
                return located.parents[len(parts) - i - len(SHARED) - 1].resolve()
    return None
