"""plotly.js from the installed plotly package, served as static/vendor/plotly.min.js.

Pages must work on an intranet, so charts never load plotly.js from a CDN; taking the file
from the Python package keeps it the very version that drew the figures, with no 4.8 MB copy
in the repository.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PACKAGE_DATA = Path(plotly.__file__).parent / "package_data"
FILE_NAME = "plotly.min.js"
PREFIX = "vendor"


class PlotlyJsFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != f"{PREFIX}/{FILE_NAME}":
            return [] if find_all else None
        found = str(PACKAGE_DATA / FILE_NAME)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=PACKAGE_DATA)
        storage.prefix = PREFIX  # collectstatic writes it as vendor/plotly.min.js
        yield FILE_NAME, storage
