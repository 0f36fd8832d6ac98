"""What a version and a signature say about themselves; templates and services ask these."""

import pytest

from conventions.models import ConventionVersion, Signature, SignatureVia, VersionState

V = VersionState


@pytest.mark.parametrize(
    ("state", "draft", "consultation", "final", "superseded", "final_text"),
    [
        (V.DRAFT, True, False, False, False, False),
        (V.CONSULTATION, False, True, False, False, False),
        (V.FINAL, False, False, True, False, True),
        (V.PUBLISHED, False, False, False, False, True),
        (V.SUPERSEDED, False, False, False, True, True),
    ],
)
def test_a_versions_state_answers(state, draft, consultation, final, superseded, final_text):
    version = ConventionVersion(state=state)
    assert (version.is_draft, version.is_in_consultation, version.is_final) == (draft, consultation, final)
    assert (version.is_superseded, version.has_final_text) == (superseded, final_text)


@pytest.mark.parametrize(
    ("via", "paper"), [(SignatureVia.PAPER, True), (SignatureVia.ONLINE, False), (SignatureVia.PROXY, False)]
)
def test_a_signature_knows_it_was_given_on_paper(via, paper):
    assert Signature(via=via).is_on_paper is paper
