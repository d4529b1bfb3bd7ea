from django.urls import path

from certificates.views import learner, public

app_name = "certificates"

urlpatterns = [
    path("verify/", public.verify_start, name="verify-start"),
    path("verify/file/", public.pdf_check, name="pdf-check"),
    path("mine/", learner.my_certificates_page, name="mine"),
    path("issuer/", public.issuer, name="issuer"),
    path("status/<str:purpose>/<int:number>/", public.status_list, name="status-list"),
    path("<str:public_id>/", public.certificate_verify, name="verify"),
    path("<str:public_id>/certificate.pdf", public.certificate_pdf, name="pdf"),
    path("<str:public_id>/credential.json", public.certificate_credential, name="credential"),
    path("<str:public_id>/name/", learner.holder_name_choose, name="holder-name"),
]
