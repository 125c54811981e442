"""The layout's inputs: the dashboard is kept whole under layout.layout_inputs, so whatever
templates/base.html shows must be among them. This test names what it shows today; a change to
the layout fails it until layout_inputs (and then this list) are brought up to date."""

from django.template import loader
from django.template.base import Node, VariableNode
from django.template.loader_tags import IncludeNode

# What base.html and its includes read, each covered by layout_inputs as noted.
SHOWN = {
    "user.is_authenticated",  # logged in: the pages kept whole are
    "user|person",  # the user's pk, username, first and last name
    "request.get_full_path",  # the address
    "message",  # a page is never kept while a message waits
    "message.tags",
    "LANGUAGE_CODE",  # the language
    "code",
    "language.name_local",
}
TAGS = {
    "LoadNode",
    "GetCurrentLanguageNode",  # the language
    "GetAvailableLanguagesNode",
    "GetLanguageInfoNode",
    "TranslateNode",  # the language
    "StaticNode",  # the stylesheet
    "URLNode",  # the script prefix
    "CsrfTokenNode",  # the CSRF cookie
    "SimpleNode",  # {% navigation %}: the links the user gets
    "IncludeNode",
    "BlockNode",  # the page's own blocks
    "IfNode",
    "ForNode",
    "CommentNode",
    "TextNode",
    "VariableNode",
}


def _nodes(nodelist):
    for node in nodelist:
        yield node
        if isinstance(node, IncludeNode):
            yield from _nodes(loader.get_template(node.template.var).template.nodelist)
        for attribute in node.child_nodelists:
            yield from _nodes(getattr(node, attribute, None) or [])
        for condition, branch in getattr(node, "conditions_nodelists", []):
            yield condition
            yield from _nodes(branch)


def test_the_layout_shows_nothing_the_kept_dashboard_does_not_follow():
    nodes = list(_nodes(loader.get_template("base.html").template.nodelist))
    variables = {node.filter_expression.token for node in nodes if isinstance(node, VariableNode)}
    variables |= {node.text for node in nodes if hasattr(node, "text") and not isinstance(node, Node)}
    tags = {type(node).__name__ for node in nodes if isinstance(node, Node)}
    assert variables == SHOWN, "base.html shows something new: add it to layout.layout_inputs"
    assert tags == TAGS, "base.html uses a new tag: add what it shows to layout.layout_inputs"
