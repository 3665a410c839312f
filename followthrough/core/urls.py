from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("sign-in/authenticator/", views.second_factor_setup, name="second-factor-setup"),
    path("sign-in/code/", views.second_factor_code, name="second-factor"),
    path("session/keep-alive/", views.session_keepalive, name="session-keepalive"),
]
