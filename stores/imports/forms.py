from django import forms
from django.utils.translation import gettext_lazy as _

from stores import access


class ImportUploadForm(forms.Form):
    store = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Store"),
        empty_label=_("— the file has a 店铺名称 column —"),
    )
    file = forms.FileField(label=_("生意参谋 export (.xlsx or .csv)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = access.stores_importable_by(user).order_by("name")
