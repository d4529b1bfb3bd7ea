"""The app's URLs plus a bare JSON view: the floor the SCORM commit endpoint is measured against."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from lms.urls import urlpatterns as app_urlpatterns


@csrf_exempt
def bare_json(request):
    return JsonResponse({"result": True, "errorCode": 0})


urlpatterns = [path("bench/bare/", bare_json), *app_urlpatterns]
