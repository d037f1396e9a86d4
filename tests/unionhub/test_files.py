"""A deleted row takes its uploaded file with it, once the deletion commits: a cascade (deleting an activity
deletes its photos without calling their ``delete``) included; a rolled-back deletion keeps the file."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from stations.models import ActivityPhoto
from tests.factories import ensure_regions
from tests.stations.factories import ActivityFactory, ensure_catalogues

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_regions()
    ensure_catalogues()


def a_photo() -> ActivityPhoto:
    photo = ActivityPhoto(activity=ActivityFactory(), width=1, height=1, size=3)
    photo.file.save("p.jpg", ContentFile(b"jpg"), save=True)
    return photo


def test_deleting_an_activity_removes_its_photos_files_after_commit(django_capture_on_commit_callbacks):
    photo = a_photo()
    storage, name = photo.file.storage, photo.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        photo.activity.delete()  # the photo goes by cascade
    assert not ActivityPhoto.objects.exists() and not storage.exists(name)


def test_a_rolled_back_deletion_keeps_the_file(django_capture_on_commit_callbacks):
    photo = a_photo()
    storage, name, pk = photo.file.storage, photo.file.name, photo.pk
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                photo.delete()
                raise RuntimeError("the deletion fails")
        except RuntimeError:
            pass
    assert callbacks == []
    assert storage.exists(name) and ActivityPhoto.objects.filter(pk=pk).exists()
