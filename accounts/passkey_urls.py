"""The passkey ceremony's URLs, under /accounts/two-factor/passkey/ so the two-factor gate
lets them through before the second factor. The package's own, in its namespace (its
template tags reverse them there), with registration completed by Mulin's view (audited)."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views

from accounts.passkeys import CompleteRegistration

app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        views.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path("registration/complete/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path(
        "authentication/begin/",
        views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        views.CompleteCredentialAuthenticationView.as_view(),
        name="credential-authentication-complete",
    ),
    # The package's script reads its messages from here (a script file, not inline).
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
