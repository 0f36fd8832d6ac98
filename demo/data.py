"""The neighbourhoods of the seed reports, on their real division codes.

Each committee lists its grids and building groups; a building group is
(name, [building names]). Figures follow the seeds where they give one: 慧芝湖花园
has 37 building groups (seed 000); 延长新村 has building 62's group (seed 000);
江秋新苑 numbers its buildings 幢 (seed 004).
"""

from __future__ import annotations


def numbered_groups(count: int, per_group: int = 1, unit: str = "号楼", start: int = 1):
    """``count`` building groups named N号楼组, each with ``per_group`` buildings."""
    groups = []
    for n in range(start, start + count):
        first = (n - start) * per_group + start
        buildings = [f"{b}{unit}" for b in range(first, first + per_group)]
        groups.append((n, f"{n}号楼组", buildings))
    return groups


def _yanchang():
    groups = [(n, f"{n}号楼组", [f"{n}号楼"]) for n in (52, 54, 56, 58, 60, 62, 64, 66, 68, 70)]
    return {"grids": ["第一网格", "第二网格"], "groups": groups}


COMMITTEES: dict[str, dict] = {
    # 静安区 大宁路街道
    "310106019001": _yanchang(),  # 延长新村居委会
    "310106019016": {  # 慧芝湖花园居委会: 37 building groups, 3,429 households
        "grids": ["一网格", "二网格", "三网格", "四网格"],
        "groups": numbered_groups(37, per_group=2),
    },
    # 长宁区 天山路街道
    "310105005024": {"grids": ["天山河畔网格"], "groups": numbered_groups(12)},
    # 杨浦区
    "310110009016": {"grids": ["公交一网格", "公交二网格"], "groups": numbered_groups(20)},  # 公交新村
    "310110001015": {"grids": ["定海港路一网格", "定海港路二网格"], "groups": numbered_groups(16)},
    "310110021040": {"grids": ["文化佳园网格"], "groups": numbered_groups(10)},
    # 松江区 佘山镇: 江秋新苑, 2,800 households, buildings numbered 幢
    "310117103004": {
        "grids": ["江秋一网格", "江秋二网格", "江秋三网格"],
        "groups": numbered_groups(24, per_group=3, unit="幢"),
    },
}

# 黄浦区 淮海中路街道 (seed 001): every committee of the street gets a small layout.
HUAIHAI_STREET = "310101022"
HUAIHAI_LAYOUT = {"grids": ["一网格"], "groups": numbered_groups(4, per_group=2)}

DEMO_PASSWORD = "Mulin-demo-2026"

# (phone, name, role, official area code[, name of a local unit under it])
DEMO_USERS = [
    ("13800000001", "王社工", "social_worker", "310106019001"),
    ("13800000002", "李书记", "committee_lead", "310106019001"),
    ("13800000003", "张楼组长", "building_leader", "310106019001", "62号楼组"),
    ("13800000004", "赵志愿者", "volunteer", "310106019001"),
    ("13800000005", "大宁社区卫生服务中心", "partner_unit", "310106019"),
    ("13800000006", "陈街道", "street_admin", "310106019"),
    ("13800000007", "周区民政", "district_admin", "310106"),
    ("13800000008", "吴市民政", "city_admin", "3101"),
    ("13800000011", "孙社工", "social_worker", "310106019016"),
    ("13800000012", "胡主任", "committee_lead", "310110009016"),
    ("13800000013", "杨书记", "committee_lead", "310110001015"),
    # Requests, visits and the elderly watch (issue 6): two workers share each committee's visits.
    ("13800000014", "马社工", "social_worker", "310110009016"),  # 公交新村
    ("13800000015", "林社工", "social_worker", "310106019016"),  # 慧芝湖花园
    ("13800000016", "周楼组长", "building_leader", "310106019016", "5号楼组"),
    # Volunteers, teams and partner units (issue 18): the leads of 天山河畔花园 (宁聚883, seed 002)
    # and 江秋新苑 (its 15 partner units, seed 004), and a teacher of 佘山学校 acting for her unit.
    ("13800000017", "宋书记", "committee_lead", "310105005024"),
    ("13800000018", "陈书记", "committee_lead", "310117103004"),
    ("13800000019", "佘山学校周老师", "partner_unit", "310117103004"),
    # Centres and their stars (issue 21): 杨浦's civil-affairs bureau rates its 睦邻中心 (seed 003).
    ("13800000031", "杨浦区民政", "district_admin", "310110"),
]
# Residents: (phone, name, committee code, building name)
DEMO_RESIDENTS = [
    ("13900000001", "刘阿姨", "310106019001", "62号楼"),
    ("13900000002", "钱老伯", "310106019016", "5号楼"),
]
