"""Every user-facing message of the months import that the daily import does not already have
(stores.imports.messages holds those, and this import uses them: a cell that is not a number, a
duplicate, a file that cannot be read…). Translated when made, in the active language."""

from django.utils.translation import gettext


def at_cell(file_name: str, sheet: str, row: int, column: str, problem: str) -> str:
    return gettext("%(file)s, sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(problem)s") % {
        "file": file_name,
        "sheet": sheet,
        "row": row,
        "column": column,
        "problem": problem,
    }


def of_store(store: str, problem: str) -> str:
    return gettext("“%(store)s”: %(problem)s") % {"store": store, "problem": problem}


def not_xlsx() -> str:
    return gettext("this is a text file, not an .xlsx workbook: upload the plan's .xlsx with its 月 sheet")


def no_header(rows: int) -> str:
    return gettext(
        "no header row in the first %(rows)s rows: expected the columns 期间 and 目标, and 店铺代码 or 店铺"
    ) % {"rows": rows}


def not_month(value: str) -> str:
    return gettext("“%(value)s” is not a month (2027-05)") % {"value": value}


def month_missing() -> str:
    return gettext("the month is missing")


def target_missing() -> str:
    return gettext("the target is missing")


def unknown_store(store: str) -> str:
    return gettext("there is no store “%(store)s” that you may import into") % {"store": store}


def ambiguous_store(store: str) -> str:
    return gettext("“%(store)s” is the name of several stores: give their 店铺代码 instead") % {
        "store": store
    }


def may_not_change(store: str) -> str:
    return gettext("you may not change the targets of “%(store)s”: only the operations lead may") % {
        "store": store
    }


def several_companies(file_name: str) -> str:
    return gettext("%(file)s holds stores of several companies; import one company per file.") % {
        "file": file_name
    }


def no_plan(store: str, year: int) -> str:
    return gettext("“%(store)s” has no plan for %(year)s: set its annual target first") % {
        "store": store,
        "year": year,
    }


def not_in_year(month: str, year: str, first: str, last: str) -> str:
    return gettext("%(month)s is not in the financial year %(year)s (%(first)s – %(last)s)") % {
        "month": month,
        "year": year,
        "first": first,
        "last": last,
    }


def several_years(years: list[str]) -> str:
    return gettext("the months lie in several financial years (%(years)s): choose the year") % {
        "years": ", ".join(years)
    }


def too_large(file_name: str, limit_mb: int) -> str:
    return gettext("%(file)s is larger than %(limit)s MB.") % {"file": file_name, "limit": limit_mb}


def reason(file_name: str) -> str:
    """The reason recorded with the change."""
    return gettext("imported from %(file)s") % {"file": file_name}


def plan_changed() -> str:
    return gettext("the plan changed since you opened it: check the file again to see what it does now")


def preview_expired() -> str:
    return gettext("This check has expired or is not valid: upload the file again.")
