from areas.models import Area


def test_subtree_is_one_query_on_the_path(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [a.name for a in Area.objects.subtree(tree.district)]
    assert "延长新村居委会" in names and "62号楼" in names
    assert "公交新村居委会" not in names


def test_paths_follow_codes(tree):
    assert tree.committee.path == "/3101/310106/310106019/310106019001/"
    assert tree.building.path == "/3101/310106/310106019/310106019001/W1/L62/B62/"
    assert [a.name for a in tree.building.ancestors()][:2] == ["上海市", "静安区"]


def test_saving_an_area_is_audited(tree):
    from audit.models import AuditEntry

    tree.committee.name = "延长新村居民委员会"
    tree.committee.save()
    entry = AuditEntry.objects.filter(action="update", object_id=str(tree.committee.pk)).get()
    assert entry.changes["name"] == ["延长新村居委会", "延长新村居民委员会"]
    assert entry.area_path == tree.committee.path
