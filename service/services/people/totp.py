"""Time-based one-time codes (TOTP, RFC 6238) as the second factor, with pyotp."""
import pyotp

from ..runtime import runtime

#: Roles that must use a second factor when the policy sets TOTP_REQUIRED.
TOTP_ROLES = ("admin", "system_admin", "security_admin", "audit_admin", "policy_staff")
ISSUER = "征收审批"


def totp_required_for(user):
    """Whether this official must sign in with a code."""
    from .policy import policy_value
    return bool(policy_value("TOTP_REQUIRED")) and user.role in TOTP_ROLES


def new_secret():
    """A fresh base32 secret."""
    return pyotp.random_base32()


def provisioning_uri(secret, username):
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_png(secret, username):
    """The QR code of the otpauth:// link, as a PNG data URI (for an <img> or a file)."""
    import segno
    return segno.make(provisioning_uri(secret, username), error="m").png_data_uri(scale=4)


def verify_code(secret, code, last_step=None):
    """The 30-second step `code` is right for (one step of clock drift either way), or None;
    a step at or before `last_step` is refused, so an overheard code is good once."""
    code = "".join((code or "").split())
    if not secret or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = runtime().clock.now().timestamp()
    for drift in (0, -1, 1):
        step = int(now // 30) + drift
        if totp.at(step * 30) == code and (last_step is None or step > last_step):
            return step
    return None
