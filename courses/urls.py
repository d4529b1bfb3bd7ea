from django.urls import path

from courses.views import my_learning

app_name = "learning"

urlpatterns = [
    path("", my_learning.my_learning_page, name="my-learning"),
    path("transcript/", my_learning.transcript_page, name="transcript"),
]
