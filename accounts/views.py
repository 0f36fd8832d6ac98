# Placeholder: the accounts pages are being written (login, two-factor, settings).
from django.http import HttpResponse


def locked_out(request, credentials=None, *args, **kwargs):
    return HttpResponse("locked", status=429)


def login_view(request):
    return HttpResponse("login")


def logout_view(request):
    return HttpResponse("logout")


def two_factor(request):
    return HttpResponse("two-factor")


def settings_page(request):
    return HttpResponse("settings")


def toggle_elderly_mode(request):
    return HttpResponse("elderly")


def set_language(request):
    return HttpResponse("language")
