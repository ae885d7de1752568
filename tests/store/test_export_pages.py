"""A page of export items holds exactly its documents' labels, whether the page is a
dense run of ids (read by range) or sparse (read by an ``IN`` list)."""

from __future__ import annotations

from annotator.store import export_queries as q
from tests.store.test_export import _docs


def test_dense_and_sparse_pages_hold_only_their_documents_labels(project) -> None:  # type: ignore[no-untyped-def]
    with project.session() as session:
        q.bulk_insert(session, _docs(12))
    with project.sessions() as session:
        ids = q.annotators(session)
        chosen = {ids["alice"]: "alice", ids["bob"]: "bob"}
        # Dense: done documents, with not-done ones inside the id range.
        # Sparse: in-progress documents only (every third), read by IN.
        for statuses, expected in ((("done",), 12), (("in_progress",), 6)):
            for page in (2, 3, 500):
                items = list(q.iter_items(session, chosen, statuses, page=page))
                assert len(items) == expected
                for item in items:
                    number = item.document.meta["n"]
                    prefix = item.annotator[0]
                    assert item.labels.status == statuses[0]
                    assert [s.uid for s in item.labels.spans] == [f"{prefix}s{number}",
                                                                  f"{prefix}c{number}"]
                    assert [r.uid for r in item.labels.relations] == [f"{prefix}r{number}"]
                    assert item.labels.relations[0].head == f"{prefix}s{number}"
                    assert item.document.blocks and item.labels.blocks == {
                        0: "metadata", 1: "content"}
