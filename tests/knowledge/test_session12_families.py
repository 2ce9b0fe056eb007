"""Session 12 of issue #15: the lexicon's breadth over official objects and the rules of that session, each checked
with our own wordings (other wordings than the development set blind17; never the dev questions or the sealed
blind16): the words citizens say for frequent official objects, 未X inside names, the employer in a labour dispute,
a new car in other words, a newborn's 医保卡."""
from __future__ import annotations

import pytest

from knowledge import lexicon
from knowledge.evaluation import entries_of, guangan_entries
from knowledge.importer import read_catalog
from knowledge.name_parts import negated_words
from knowledge.normalize import compact
from knowledge.phrasing import employer_spans
from knowledge.service import DEMO_CATALOG
from tests.knowledge.engines import demo_without_aliases, guangan_names_only




# ---- the lexicon's breadth: each session-12 term leads to words official names really hold

SESSION12_TERMS = (
    "运营证", "大件运输", "超限超载", "审车", "炮仗", "花炮", "旅店", "旅社", "小旅馆", "招待所", "客栈", "酒店", "特行证",
    "特种行业", "烟证", "网咖", "卡拉OK", "歌舞厅", "夜总会", "迪厅", "电玩城", "游艺厅", "门诊部", "牙科诊所", "口腔诊所",
    "私人诊所", "卫生室", "执业医师", "医生证", "牙科门诊", "口腔门诊", "开门诊", "教师证", "补习班", "液化气", "液化气站",
    "燃气管道", "天然气管道", "请不起律师", "免费律师", "猪场", "鸡场", "屠宰场", "防疫证", "收割机", "地下水", "砍伐证",
    "采伐证", "失业救济金", "工亡", "因工死亡", "商演", "文工团", "剧团", "戏班子", "画廊", "电影院", "卫星锅", "报刊亭",
    "防空洞", "预售证", "施工证", "水保方案", "餐饮许可证", "餐饮证", "食品证", "食品许可证", "股权质押", "预付卡",
    "储值卡", "开矿", "找矿", "勘探", "独女户", "拖欠", "不给工资", "不发工资", "克扣工资", "加班费", "劳资纠纷",
    "新买的车", "刚提的车", "才出生", "刚满月", "移位置", "挪位置", "废品站", "收废铁", "旧手机", "二手手机", "危废", "炸药",
    "雷管", "捡到娃儿", "弃婴", "村医", "赤脚医生", "村兽医", "收粮食", "公益岗", "避雷针", "马拉松", "剧场",
    "剧院", "演出经纪", "汽车站", "医保定点")


def test_session12_terms_are_in_the_lexicon_and_name_official_words(shared_data):
    """Every term added in session 12 is in the lexicon, and one of its official forms (or the form's four-character
    start) occurs in a name of the demonstration catalog or the Guang'an list: an entry must lead somewhere real."""
    entries = lexicon.load().entries
    names = [e.name for e in entries_of(read_catalog([DEMO_CATALOG])[0])]
    names += [e.name for e in (guangan_entries(shared_data / "reference") or [])]
    text = "\n".join(names)
    nowhere = []
    for say in SESSION12_TERMS:
        entry = entries[compact(say)]
        if not any(m[:4] in text for m in entry.means):
            nowhere.append(say)
    assert not nowhere, nowhere


@pytest.mark.parametrize("question, want", [
    ("准备开个招待所，要办哪些证", "旅馆业特种行业许可证核发"),
    ("我们想开一家卡拉OK", "娱乐场所从事娱乐场所经营活动审批"),
    ("口腔诊所开业要备案不", "诊所备案|医疗机构执业登记"),
    ("教师证丢了咋个办", "教师资格证书补发"),
    ("餐饮许可证在哪里申请", "食品经营许可"),
    ("工地上的包工头拖欠了我半年工资", "劳动人事争议仲裁申请|劳动保障违法行为投诉举报"),
    ("屋头天然气管道想挪个位置", "燃气设施改动审批"),
    ("预售证要去哪里办", "商品房预售许可"),
])
def test_citizens_words_for_official_objects_reach_them_on_the_demo_catalog(question, want):
    import re
    names = [c.name for c in demo_without_aliases().search(question, top=3).candidates]
    assert names and re.search(want, names[0]), names


@pytest.mark.parametrize("question, want", [
    ("开个歌舞厅要啥子手续", "歌舞娱乐场所|娱乐场所从事娱乐场所经营活动"),
    ("烟证到期了咋个续", "烟草专卖零售许可证延续"),
    ("养鸡场要办防疫证", "动物防疫条件合格证核发（动物饲养场"),
    ("收割机要上牌登记", "联合收割机"),
    ("找矿的探矿权证要延续", "探矿权"),
    ("街上开个二手手机回收的店要备案不", "旧手机交易业备案"),
    ("赤脚医生的证要再注册", "乡村医生执业再注册"),
    ("在路边捡到一个弃婴", "捡拾弃婴"),
])
def test_citizens_words_for_official_objects_reach_them_on_the_guangan_list(shared_data, question, want):
    import re
    names = [c.name for c in guangan_names_only(shared_data).search(question, top=3).candidates]
    assert names and re.search(want, names[0]), names


# ---- 未X inside names

@pytest.mark.parametrize("name, negated", [
    ("未注册登记的机动车核发临时行驶车号牌", ("注册登记",)),
    ("对未核定为文物保护单位的不可移动文物修缮许可", ("核定",)),
    ("离校未就业高校毕业生登记", ()),  # 就业 is the person's condition, not an action of the item
    ("公民民族成份确认和变更（未满十八岁）", ()),
    ("未销售的机动车核发临时行驶车号牌", ("销售",)),  # session 13: 未 before a sale word negates it
])
def test_a_name_negates_the_action_after_wei(name, negated):
    assert negated_words(name) == negated


def test_a_registration_question_does_not_get_the_not_yet_registered_item_first():
    names = [c.name for c in demo_without_aliases().search("车子刚买回来咋个上牌", top=3).candidates]
    assert names[0] == "机动车注册登记", names
    assert names[0] != "未注册登记的机动车核发临时行驶车号牌"


def test_saying_not_yet_keeps_the_not_yet_item():
    names = [c.name for c in demo_without_aliases().search("车子还没有上牌，想先开到外地去", top=3).candidates]
    assert "机动车注册登记" != names[0], names


# ---- the employer in a labour dispute

@pytest.mark.parametrize("text, employer", [
    ("公司不给工资", "公司"), ("单位一直拖欠工资", "单位"), ("老板把我辞退了", "老板"), ("厂里克扣工资", "厂里"),
    ("公司要变更法人", None), ("单位参保登记", None),
])
def test_the_employer_of_a_dispute_is_marked(text, employer):
    spans = employer_spans(text)
    assert [text[s:e] for s, e in spans] == ([employer] if employer else [])


@pytest.mark.parametrize("question", ["公司拖欠工资不发，找哪个部门", "厂里欠我加班费不给", "老板不发工资咋个办"])
def test_a_wage_dispute_is_not_about_the_company(question):
    names = [c.name for c in demo_without_aliases().search(question, top=3).candidates]
    assert names[0] in ("劳动人事争议仲裁申请", "劳动保障违法行为投诉举报"), names


# ---- a newborn's card

def test_a_newborns_medical_card_is_the_newborn_enrolment():
    names = [c.name for c in demo_without_aliases().search("给才出生的娃儿办个医保卡", top=3).candidates]
    assert names[0] == "新生儿参保登记", names


def test_a_lost_medical_card_stays_the_card():
    names = [c.name for c in demo_without_aliases().search("医保卡掉了要补", top=3).candidates]
    assert names[0].startswith("社会保障卡"), names


# ---- 拿去 + the item's own verb is what is asked, not a purpose

@pytest.mark.parametrize("text, purposes", [
    ("车子要拿去检一哈", []), ("社保卡拿去激活一下", []), ("户口本要拿去补一本", []), ("车子拿去年检了", []),
    ("营业执照拿去贷款", ["贷款"]), ("证明拿去办贷款", ["办贷款"]),
])
def test_carrying_to_have_it_done_is_not_a_purpose(text, purposes):
    from knowledge.phrasing import purpose_spans
    assert [text[s:e] for s, e in purpose_spans(text)] == purposes


def test_a_card_taken_to_be_activated_finds_the_activation(shared_data):
    names = [c.name for c in guangan_names_only(shared_data).search("社保卡拿去激活一下", top=3).candidates]
    assert names[0] == "社会保障卡启用（激活）", names


# ---- pay withheld, with who and how long said between the verb and the pay

@pytest.mark.parametrize("text, joined", [
    ("单位欠了我两个月工资", "单位欠工资"), ("老板拖欠我们半年的工资", "老板拖欠工资"), ("克扣了大家好几个月的工资", "克扣工资"),
    ("公司扣了我三千块钱", "公司扣了我三千块钱"),  # no pay named: nothing joined
])
def test_pay_withheld_is_joined_to_its_verb(text, joined):
    from knowledge.phrasing import joined_verbs
    assert joined_verbs(text) == joined


def test_wages_owed_for_months_find_the_labour_items(shared_data):
    names = [c.name for c in guangan_names_only(shared_data).search("包工头欠了我们三个月的工资", top=3).candidates]
    assert names[0] == "劳动人事争议仲裁申请", names
