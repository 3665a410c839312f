"""Our GOV.UK markup against the official component fixtures (govuk-frontend 5.14.0).

Compared as structure: the same elements in the same order, the same component classes and
attributes, the same text. Ids may differ (Django names them `id_<field>`), so instead every
`for` and `aria-describedby` must point at an element that exists. Our labels are bold
(`govuk-label--s`), a documented modifier, so modifiers are allowed on labels.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from lxml import html as lxml_html

from followthrough.govuk.templatetags.govuk import govuk_tag

FIXTURES = json.loads(
    (Path(__file__).parent / "fixtures" / "govuk-frontend-5.14.0.json").read_text()
)
# Ids and names are Django's; aria-invalid is an extra Django adds to invalid fields (good for
# screen readers); links in the error summary point at our own fields (checked separately).
IGNORED_ATTRS = {"id", "for", "aria-describedby", "aria-invalid", "name", "rows", "cols", "href"}
ALLOWED_EXTRA_CLASSES = {"govuk-label--s"}


def fixture(component: str, name: str) -> dict:
    return next(f for f in FIXTURES[component] if f["name"] == name)


def shape(markup: str) -> list:
    root = lxml_html.fragment_fromstring(markup, create_parent="div")

    def walk(node) -> list:
        classes = set((node.get("class") or "").split()) - ALLOWED_EXTRA_CLASSES
        attrs = {k: v for k, v in node.attrib.items() if k not in IGNORED_ATTRS and k != "class"}
        text = " ".join(" ".join([node.text or "", *(child.tail or "" for child in node)]).split())
        return [
            node.tag,
            sorted(classes),
            sorted(attrs.items()),
            text,
            [walk(child) for child in node],
        ]

    return [walk(child) for child in root]


def references_resolve(markup: str) -> None:
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    ids = {node.get("id") for node in root.iter() if node.get("id")}
    for node in root.iter():
        refs = (node.get("aria-describedby") or "").split() + (
            [node.get("for")] if node.get("for") else []
        )
        for ref in refs:
            assert ref in ids, f"{node.tag} points at #{ref}, which is not on the page"


@pytest.mark.parametrize("name", ["default", "grey"])
def test_tag_matches_the_fixture(name):
    options = fixture("tag", name)["options"]
    css = options.get("classes", "")
    colour = css.removeprefix("govuk-tag--") if css else None
    ours = govuk_tag({"grey": "no_update"}.get(colour or "", "unknown"), options["text"])
    assert shape(ours) == shape(fixture("tag", name)["html"])


def test_error_summary_matches_the_fixture():
    spec = fixture("error-summary", "default")

    class TwoErrors(forms.Form):
        issued = forms.CharField()
        postcode = forms.CharField()

    form = TwoErrors(data={})
    form.errors.clear()
    form.add_error("issued", spec["options"]["errorList"][0]["text"])
    form.add_error("postcode", spec["options"]["errorList"][1]["text"])
    ours = Template('{% include "govuk/_error_summary.html" %}').render(Context({"form": form}))
    assert shape(ours) == shape(spec["html"])
    # Each link goes to the field with the problem.
    assert 'href="#id_issued"' in ours and 'href="#id_postcode"' in ours


@pytest.mark.parametrize(
    ("component", "name", "widget"),
    [
        ("input", "with error and hint", forms.TextInput),
        ("textarea", "with error message", forms.Textarea),
    ],
)
def test_form_field_matches_the_fixture(component, name, widget):
    spec = fixture(component, name)
    options = spec["options"]

    class OneField(forms.Form):
        answer = forms.CharField(
            label=options["label"]["text"],
            help_text=options.get("hint", {}).get("text", ""),
            widget=widget,
            required=False,
        )

    form = OneField(data={"answer": ""})
    form.is_valid()
    form.add_error("answer", options["errorMessage"]["text"])
    ours = form["answer"].as_field_group()
    references_resolve(ours)
    assert shape(ours) == shape(spec["html"])
