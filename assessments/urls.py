from django.urls import path

from assessments.views import learner

app_name = "assessments"

urlpatterns = [
    path("start/<int:lesson_id>/<str:block_id>/", learner.quiz_start, name="start"),
    path("<int:attempt_id>/", learner.attempt_page, name="attempt"),
    path("<int:attempt_id>/save/", learner.attempt_save, name="save"),
    path("<int:attempt_id>/submit/", learner.attempt_submit, name="submit"),
]
