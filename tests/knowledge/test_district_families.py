"""Session 6 of issue #15: what a district's names-only list needs beyond the earlier families — the
action a bracket holds (（换发）, （补办）) and the word families of the domains earlier groups left
thin (water, disasters, disputes, consumers, transport operators). Each is checked with our own
wordings, never taken from the dev questions or the blind sets."""
from __future__ import annotations

import pytest

from knowledge.evaluation import guangan_entries
from knowledge.name_parts import PartIndex, bracket_actions, is_default_action, split_name
from knowledge.phrasing import plain_passives
from knowledge.search import SearchEngine
from knowledge.store import SearchEntry


def engine_of(*names: str) -> SearchEngine:
    return SearchEngine([SearchEntry(f"X{i}", n, (), (), None, None, None) for i, n in enumerate(names)])


_ENGINES: dict[str, SearchEngine] = {}


@pytest.fixture
def guangan(shared_data) -> SearchEngine:
    if "guangan" not in _ENGINES:
        entries = guangan_entries(shared_data / "reference")
        if entries is None:
            pytest.skip("the Guang'an reference list is not present")
        _ENGINES["guangan"] = SearchEngine(entries)
    return _ENGINES["guangan"]


@pytest.mark.parametrize("qualifier, actions", [
    ("（换发）", "换发"), ("（补办）", "补办"), ("（过户）", "过户"), ("（注销、报停与恢复营运）", "恢复 注销 报停"),
    ("（县级行使）", ""), ("（含中外合资）", ""), ("", "")])
def test_the_action_a_bracket_holds(qualifier, actions):
    assert set(bracket_actions(qualifier).split()) == set(actions.split())


def test_a_bracketed_action_counts_as_the_names_action():
    parts = PartIndex({"A": "客运车辆道路运输证办理（补办）", "B": "客运车辆道路运输证办理（转出）"})
    grams = dict(parts.actions["A"][0])
    assert "补办" in grams and "转出" not in grams


@pytest.mark.parametrize("question, code", [
    ("跑长途的客车道路运输证被人偷了", "X1"), ("客车的道路运输证用旧了换个新的", "X2"),
    ("客车卖给别人了道路运输证要过户", "X3")])
def test_the_bracketed_action_picks_within_the_family(question, code):
    engine = engine_of("客运车辆道路运输证办理（配发）", "客运车辆道路运输证办理（补办）",
                       "客运车辆道路运输证办理（换发）", "客运车辆道路运输证办理（过户）")
    assert engine.search(question).best.code == code


def test_a_platform_brand_names_the_ride_hailing_item():
    engine = engine_of("网络预约出租汽车运输证发放（新增）", "机动车维修经营备案", "巡游出租汽车道路运输证核发（新增）")
    assert engine.search("自家的车想拿去跑花小猪，运输证咋个办").best.code == "X0"


@pytest.mark.parametrize("question, wanted", [
    ("想去嘉陵江边上采沙子卖要啥子手续", "河道采砂许可"),
    ("今年遭了冰雹庄稼全毁了，政府有补助没得", "自然灾害生活救助资金和物资给付"),
    ("我们组和隔壁组的地界一直扯不清，哪个来裁决", "土地权属争议裁决"),
    ("在超市买到假货，商家不认账，想找人调解", "消费纠纷调解"),
    ("开了家汽修店要去备个案", "机动车维修经营备案"),
    ("娃儿的爸爸在服刑，妈妈也失联了，娃儿能领补贴不", "事实无人抚养儿童认定及基本生活补贴发放"),
    ("家头突然出了事揭不开锅，想找政府救急", "临时救助"),
])
def test_district_word_families_find_their_item(guangan, question, wanted):
    assert guangan.search(question, top=1).best.name == wanted


@pytest.mark.parametrize("said, plain", [
    ("驾驶证遭偷了", "驾驶证被偷了"), ("包包被人抢了", "包包被抢了"), ("钱包遭贼娃子扒了", "钱包被扒了"),
    ("房子遭火烧了", "房子遭火烧了"), ("遭灾了", "遭灾了"), ("遭遇车祸", "遭遇车祸")])
def test_the_passive_is_said_as_the_lexicon_says_it(said, plain):
    assert plain_passives(said) == plain


@pytest.mark.parametrize("name, obj, action", [
    ("城乡居民养老保险费补缴申报", "城乡居民养老保险费", "补缴申报"), ("营运客车年度审验", "营运客车", "年度审验"),
    ("税务登记证件遗失、损毁报告", "税务登记证件", "遗失损毁报告"), ("公积金账户户名更名", "公积金账户户名", "更名"),
    ("酒类零售许可证歇业", "酒类零售许可证", "歇业"), ("收款收据作废", "收款收据", "作废")])
def test_official_actions_of_district_names(name, obj, action):
    parts = split_name(name)
    assert (parts.object, parts.action) == (obj, action)


def test_a_back_payment_is_an_asked_action_not_the_plain_form(guangan):
    assert guangan.search("农村的养老保险中间断了几年，想补交上").best.name == "城乡居民基本养老保险费补缴申报"


@pytest.mark.parametrize("typed, meant", [
    ("身分证到期了", "身份证到期了"), ("社宝卡丢了", "社保卡丢了"), ("公基金怎么取", "公积金怎么取"),
    ("事业单位的养老保险", "事业单位的养老保险"), ("残疾证落了", "残疾证落了")])
def test_a_homophone_typo_of_a_lexicon_word_is_read_as_the_word(guangan, typed, meant):
    assert guangan._sound_alikes(typed) == meant


def test_a_homophone_typo_finds_the_item():
    engine = engine_of("居民身份证挂失申报、丢失招领", "残疾人证挂失补办", "社会保障卡挂失")
    assert engine.search("身分证掉了先挂失").best.code == "X0"


def test_founding_is_the_plain_form_of_an_approval():
    assert is_default_action(split_name("出版物零售单位设立审批"))
    assert not is_default_action(split_name("出版物零售单位变更审批"))
    engine = engine_of("民办职业培训学校变更审批", "民办职业培训学校设立审批", "民办职业培训学校终止审批")
    assert engine.search("想办一所民办职业培训学校").best.code == "X1"


@pytest.mark.parametrize("question, wanted", [
    ("社保卡在银行取钱密码连续输错，卡被锁定了", "社会保障卡密码重置"),
    ("社保卡预留的电话号码换了，要去改一下", "社会保障卡非关键信息变更")])
def test_card_services_by_what_people_say(guangan, question, wanted):
    assert guangan.search(question, top=1).best.name == wanted


@pytest.mark.parametrize("question, wanted", [
    ("刚收的新房想通天然气找哪个", "供气报装"),
    ("大货车的营运证遗失了咋个补", "货物运输车辆道路运输证办理（补办）"),
    ("店里的营业执照遗失了咋个补", "证照遗失补领、换发申请")])
def test_utilities_vehicle_papers_and_business_licences(guangan, question, wanted):
    assert guangan.search(question, top=1).best.name == wanted


def test_a_lost_licence_is_not_a_first_issue(guangan):
    """Replacement and founding exclude each other (knowledge/phrasing.py OPPOSED_ACTIONS)."""
    found = guangan.search("个体户的营业执照遗失了", top=3)
    assert found.best.name != "个体工商户设立登记"
    assert "证照遗失补领、换发申请" in [c.name for c in found.candidates]
