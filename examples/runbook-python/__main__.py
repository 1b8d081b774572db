"""The runbook of Pulumi.dev.yaml (munyakazi.org: SSPR for All, two methods, email and mobile phone, register at
sign-in and re-confirm every 180 days, users and all admins notified) through the entra-sspr component.

Every closed set is one of the schema's named enums (Enablement, MethodChoice, OnDestroy): a value outside it does
not exist in the SDK. A method is offered, left as the tenant has it, or disabled: the same words as in a stack file.
"""

import pulumi
import pulumi_entra_sspr as entra_sspr

config = pulumi.Config()

sspr = entra_sspr.SelfServicePasswordReset(
    "sspr",
    tenant_id=config.require("tenantId"),
    scope=entra_sspr.Enablement.ALL,
    methods_required=2,
    methods=entra_sspr.MethodsArgs(
        email=entra_sspr.MethodChoice.OFFER,
        mobile_phone=entra_sspr.MethodChoice.OFFER,  # SMS and voice calls to a mobile number
        office_phone=entra_sspr.MethodChoice.LEAVE,
        authenticator_app=entra_sspr.MethodChoice.LEAVE,
        security_questions=entra_sspr.SecurityQuestionsArgs(enabled=False),
    ),
    registration=entra_sspr.RegistrationArgs(require_on_sign_in=True, reconfirm_days=180),
    notifications=entra_sspr.NotificationsArgs(users=True, admins=True),
    on_destroy=entra_sspr.OnDestroy.RESTORE,
)

pulumi.export("resetUrl", sspr.reset_url)
pulumi.export("registrationUrl", sspr.registration_url)
