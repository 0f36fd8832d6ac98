/*
 * Passkeys: django-otp-webauthn's own script does the ceremony; this one only goes on to the
 * page the user was going to once a passkey is set up (its verification already does).
 * A static file, not inline, for the Content-Security-Policy.
 */
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    var next = document.getElementById("passkey-next");
    window.location.assign((next && next.value) || "/");
  });
})();
