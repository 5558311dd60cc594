from django.urls import path

from . import views

app_name = "treatments"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.csv", views.export, name="export"),
    path("medications/new/", views.medication_new, name="medication_new"),
    path("medications/<int:pk>/", views.medication_detail, name="medication"),
    path("medications/<int:pk>/edit/", views.medication_edit, name="medication_edit"),
    path("medications/<int:pk>/dose/", views.medication_dose, name="medication_dose"),
    path("medications/<int:pk>/stop/", views.medication_stop, name="medication_stop"),
    path("medications/<int:pk>/delete/", views.medication_delete, name="medication_delete"),
]
for kind in views.RECORD_KINDS:
    urlpatterns += [
        path(f"{kind}/new/", views.item_new, {"kind": kind}, name=f"{kind}_new"),
        path(f"{kind}/<int:pk>/", views.item_detail, {"kind": kind}, name=kind),
        path(f"{kind}/<int:pk>/edit/", views.item_edit, {"kind": kind}, name=f"{kind}_edit"),
        path(f"{kind}/<int:pk>/delete/", views.item_delete, {"kind": kind}, name=f"{kind}_delete"),
    ]
for kind, child in views.CHILDREN:
    urlpatterns += [
        path(
            f"{kind}/<int:pk>/{child}/new/", views.child_new, {"kind": kind, "child": child}, name=f"{kind}_{child}_new"
        ),
        path(
            f"{kind}/<int:pk>/{child}/<int:child_pk>/delete/",
            views.child_delete,
            {"kind": kind, "child": child},
            name=f"{kind}_{child}_delete",
        ),
    ]
