"""Fixtures only the admin tests need (the role fixtures are in tests/conftest.py)."""

import pytest

from tests.conftest import add_evidence


@pytest.fixture
def evidence(claim, editor):
    return add_evidence(claim, editor, url="https://evidence.example/report")


@pytest.fixture
def staff_reviewer(reviewer):
    reviewer.is_staff = True
    reviewer.save(update_fields=["is_staff"])
    return reviewer
