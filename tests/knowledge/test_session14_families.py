"""Session 14 of issue #15 (helper search9, breadth over names-only official lists): each rule and lexicon family
checked with our own wordings, other than the development set blind21 and never the sealed blind20 or the dev
questions: a thing already had said after its done marker, an age beside a retirement, a person's entry changed on a
document, a split 开…户, and the session's lexicon families (each leading to words official names hold)."""
from __future__ import annotations

import pytest

from knowledge import lexicon
from knowledge.evaluation import entries_of, guangan_entries
from knowledge.importer import read_catalog
from knowledge.normalize import compact
from knowledge.phrasing import RETIREMENT_AGE, canonical_ages, done_before, joined_verbs, personal_entry_changed
from knowledge.service import DEMO_CATALOG
from tests.knowledge.engines import demo_without_aliases, guangan_names_only

# Entries added in session 14, each with official words the demo catalog or the Guang'an list holds.
ADDED = ("到退休年龄", "病退", "要饭", "讨饭", "讨口", "乞丐", "流浪汉", "救助站", "住址", "家庭住址", "放生", "放鱼苗", "鱼苗",
         "养蚕", "蚕子", "气功", "交到哪个月", "交到几月", "刚毕业", "应届生", "应届毕业生")


def test_added_entries_lead_to_official_words(shared_data):
    entries = lexicon.load().entries
    names = [e.name for e in entries_of(read_catalog([DEMO_CATALOG])[0])]
    names += [e.name for e in (guangan_entries(shared_data / "reference") or [])]
    text = "\n".join(names)
    nowhere = [say for say in ADDED if not any(m in text for m in entries[compact(say)].means)]
    assert not nowhere, nowhere


@pytest.mark.parametrize("text, had", [("拿到了电工证技能补贴咋个领", "拿到了电工证"), ("已经有了营业执照还要办啥", "已经有了营业执照"),
                                       ("考起了驾照想开网约车", "考起了驾照"), ("领了一本结婚证户口咋个迁", "领了一本结婚证")])
def test_a_done_marker_before_the_object_marks_a_thing_had(text, had):
    found = lexicon.load().find(text)
    spans = done_before(text, [(m.start, m.end) for m in found if m.entry.kind == "object"])
    assert had in [text[s:e] for s, e in spans]


def test_nothing_is_had_without_a_marker_right_before_the_object():
    text = "想办驾照"
    assert done_before(text, [(2, 4)]) == []


@pytest.mark.parametrize("question, item", [
    ("已经拿到了营业执照，还要办食品经营许可不", "食品经营许可"),
    ("考到了驾照想去开网约车", "网络预约出租汽车驾驶员证核发"),
    ("我有了电工证，技能提升补贴咋个申请", "技能提升补贴申领"),
    ("拿到了房产证，还要去办抵押", "抵押权登记"),
])
def test_the_thing_had_does_not_outvote_the_thing_asked(question, item):
    assert demo_without_aliases().search(question).best.name == item


@pytest.mark.parametrize("text, retiring", [("男的满60了办退休", True), ("到了55岁退休手续", True), ("满60了退休金咋个领", False),
                                           ("满70了驾照要换", False), ("我爸70了退休了驾照要换", False)])
def test_an_age_beside_a_retirement_is_the_retirement_age(text, retiring):
    assert (RETIREMENT_AGE in canonical_ages(text)) == retiring


@pytest.mark.parametrize("question", ["我今年满60了，退休手续在哪办", "女职工到了50岁退休要准备啥", "满55岁了办退休"])
def test_retiring_at_an_age_is_the_normal_retirement(question, shared_data):
    assert demo_without_aliases().search(question).best.name == "企业职工基本养老保险正常退休申请"
    assert guangan_names_only(shared_data).search(question).best.name == "企业职工基本养老保险正常退休申请"


def test_an_age_without_a_retirement_is_still_the_licence_threshold():
    assert demo_without_aliases().search("满70了驾照要换个啥").best.name == "达到规定年龄换证"


@pytest.mark.parametrize("text, changed", [("驾照上的住址电话变了", True), ("社保卡上的电话号码要改", True),
                                          ("驾驶证上面的名字写错了", True), ("食品许可证上的地址要改", False),
                                          ("驾照上的住址是哪里", False)])
def test_a_personal_entry_changed_on_a_document(text, changed):
    assert personal_entry_changed(text) == changed


@pytest.mark.parametrize("question", ["驾照上的名字改了", "驾照上的电话换了", "驾驶证上面的住址要改", "驾照上的身份证号码变了"])
def test_an_entry_changed_on_a_licence_is_the_holder_information(question):
    assert demo_without_aliases().search(question).best.name == "机动车驾驶人信息变化换证"


def test_an_entry_changed_on_a_social_security_card(shared_data):
    assert guangan_names_only(shared_data).search("社保卡上的手机号要改一下").best.name == "社会保障卡非关键信息变更"


@pytest.mark.parametrize("text, joined", [("给员工开公积金户", "公积金开户"), ("开个社保账户", "社保开户"), ("开个店", "开个店")])
def test_an_account_opened_with_its_fund_inside(text, joined):
    assert joined in joined_verbs(text)


@pytest.mark.parametrize("question, item", [
    ("天桥下面有个流浪汉，找哪个救助", "生活无着的流浪乞讨人员救助"),
    ("因为身体不好想病退", "企业职工基本养老保险提前退休申请"),
    ("当年的结婚档案在哪查", "婚姻登记档案查询"),
    ("给新员工开公积金户", "住房公积金单位缴存登记"),
    ("我的社保交到哪个月了", "个人权益记录查询打印"),
    ("结婚证咋个办", "内地居民结婚登记"),
])
def test_session14_families_on_the_demo_catalog(question, item):
    assert demo_without_aliases().search(question).best.name == item


@pytest.mark.parametrize("question, item", [
    ("看到讨饭的老人家怎么帮他找救助站", "城市生活无着流浪乞讨人员救助"),
    ("想在长江里放生一些鱼", "天然水域鱼类资源的人工增殖放流审批"),
    ("小区里想搞个气功活动要审批不", "举办健身气功活动审批"),
    ("想设个气功站点", "设立健身气功站点审批"),
    ("应届毕业生没找到工作", "离校未就业高校毕业生登记"),
    ("想开个幼儿园要审批不", "幼儿园设立审批"),  # 审批 is what every item does: no action asked, the plain form
    ("开宠物诊所要许可", "动物诊疗许可"),
])
def test_session14_families_on_the_guangan_list(question, item, shared_data):
    assert guangan_names_only(shared_data).search(question).best.name == item
