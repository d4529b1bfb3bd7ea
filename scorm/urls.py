from django.urls import path

from scorm.views import player

app_name = "scorm"

urlpatterns = [
    path("launch/<int:lesson_id>/<str:block_id>/", player.scorm_launch, name="launch"),
    path("preview/<int:version_id>/", player.scorm_preview, name="preview"),
    path("player/<str:token>/", player.scorm_player, name="player"),
    path("content/<str:token>/<path:path>", player.scorm_content, name="content"),
    path("commit/<str:token>/", player.scorm_commit, name="commit"),
]
