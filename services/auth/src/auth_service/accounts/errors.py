"""Problem kinds of the accounts package (registered at import; Indonesian first)."""

from __future__ import annotations

from ppid_kit.problems import Text, register_kind

INVALID_CREDENTIALS = register_kind(
    "invalid-credentials",
    401,
    "Email atau kata sandi salah",
    "Wrong email or password",
)
ACCOUNT_LOCKED = register_kind(
    "account-locked",
    429,
    "Terlalu banyak percobaan masuk",
    "Too many login attempts",
    detail_id="Akun ini dikunci sementara; coba lagi setelah waktu pada Retry-After.",
    detail_en="This account is locked for a while; try again after the Retry-After time.",
)
MFA_REQUIRED = register_kind(
    "mfa-required",
    401,
    "Kode verifikasi dua langkah diperlukan",
    "A second-factor code is required",
    detail_id="Kirim ulang dengan `otp` dari aplikasi autentikator atau `recovery_code`.",
    detail_en="Send again with `otp` from the authenticator app or a `recovery_code`.",
)
INVALID_OTP = register_kind(
    "invalid-otp",
    401,
    "Kode verifikasi salah atau sudah dipakai",
    "Wrong or already used verification code",
)
OTP_REJECTED = register_kind(
    "otp-rejected",
    403,
    "Kode verifikasi ditolak",
    "Verification code refused",
    detail_id="Kode salah, sudah dipakai, atau sudah kedaluwarsa.",
    detail_en="The code is wrong, was used already, or has expired.",
)
MFA_ENROLLMENT_REQUIRED = register_kind(
    "mfa-enrollment-required",
    403,
    "Verifikasi dua langkah harus diaktifkan",
    "Two-step verification must be set up",
    detail_id=(
        "Peran Anda mewajibkan TOTP. Gunakan `enrollment_token` untuk "
        "POST /v1/auth/mfa/totp lalu /v1/auth/mfa/totp/confirm."
    ),
    detail_en=(
        "Your roles require TOTP. Use `enrollment_token` with "
        "POST /v1/auth/mfa/totp, then /v1/auth/mfa/totp/confirm."
    ),
)
EMAIL_NOT_VERIFIED = register_kind(
    "email-not-verified",
    403,
    "Email belum diverifikasi",
    "Email address not verified",
    detail_id="Buka tautan verifikasi yang dikirim ke email Anda.",
    detail_en="Open the verification link sent to your email.",
)
WRONG_PASSWORD = register_kind(
    "wrong-current-password",
    403,
    "Kata sandi saat ini salah",
    "The current password is wrong",
)
MFA_ALREADY_ENABLED = register_kind(
    "mfa-already-enabled",
    409,
    "Verifikasi dua langkah sudah aktif",
    "Two-step verification is already on",
)
MFA_NOT_ENABLED = register_kind(
    "mfa-not-enabled",
    409,
    "Verifikasi dua langkah belum aktif",
    "Two-step verification is not on",
)
MFA_NOT_STARTED = register_kind(
    "mfa-enrolment-not-started",
    409,
    "Pendaftaran TOTP belum dimulai",
    "TOTP enrolment has not been started",
    detail_id="Panggil POST /v1/auth/mfa/totp terlebih dahulu.",
    detail_en="Call POST /v1/auth/mfa/totp first.",
)
MFA_REQUIRED_BY_ROLE = register_kind(
    "mfa-required-by-role",
    403,
    "Peran Anda mewajibkan verifikasi dua langkah",
    "Your roles require two-step verification",
)
RESTRICTED_TOKEN = register_kind(
    "restricted-token",
    403,
    "Token hanya untuk pendaftaran verifikasi dua langkah",
    "This token only allows setting up two-step verification",
)
ACCOUNT_EXISTS = register_kind(
    "account-exists",
    409,
    "Sudah ada akun dengan email ini",
    "An account with this email exists",
)
SAME_PASSWORD = Text(
    "Kata sandi baru harus berbeda dari yang lama.",
    "The new password must differ from the current one.",
)
