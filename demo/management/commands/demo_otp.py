from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.builder import DEVICE_NAME


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user (demo devices only)."

    def add_arguments(self, parser):
        parser.add_argument("phone")

    def handle(self, *args, phone, **options):
        device = TOTPDevice.objects.filter(user__phone=phone, name=DEVICE_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(f"No demo TOTP device for {phone}. Only demo users from load_demo have one.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
