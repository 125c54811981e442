import pytest

from stores.templatetags.people import person
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [("思雨", "李", "李思雨"), ("Amy", "Li", "Amy Li"), ("", "", "someone"), ("伟", "", "伟")],
)
def test_names_read_as_colleagues_say_them(first, last, shown):
    assert person(UserFactory.build(username="someone", first_name=first, last_name=last)) == shown
