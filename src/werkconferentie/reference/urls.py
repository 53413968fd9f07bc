from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("kinderrechten/", views.index, name="index"),
    path("kinderrechten/artikel/<int:number>/", views.crc_article, name="crc_article"),
    path("kinderrechten/sdg/<int:number>/", views.sdg_goal, name="sdg_goal"),
    path("kinderrechten/gemeenten/", views.municipalities, name="municipalities"),
    path("kinderrechten/gemeenten.json", views.municipalities_json, name="municipalities_json"),
]
