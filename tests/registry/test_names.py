from registry.names import name_pinyin


def test_names_read_as_names():
    assert name_pinyin("张三") == ("zhangsan", "zs")
    assert name_pinyin("单田芳") == ("shantianfang", "stf")  # 单 as a surname is Shan
    assert name_pinyin("曾国藩")[0] == "zengguofan"
    assert name_pinyin("欧阳 娜娜") == ("ouyangnana", "oynn")
    assert name_pinyin("Anna Li") == ("annali", "al")
    assert name_pinyin("") == ("", "")
