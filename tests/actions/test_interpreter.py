"""The follow-up interpreter alone: a state, a message, what the message does. No catalog, no Rasa."""
from __future__ import annotations

import pytest

from actions.dialogue import interpreter as m
from actions.dialogue.interpreter import aspects_in, interpret
from actions.dialogue.options import pick_option
from actions.dialogue.state import DialogueState, Option

ITEM = DialogueState(item_code="I1", item_name="居民身份证补领", aspect="materials", answered=True)
NOTHING = DialogueState()
MENU = DialogueState(options=(Option("A", "残疾人证新办"), Option("B", "残疾人证换领"), Option("C", "残疾人证挂失补办")),
                     menu_pending=True)
KNOWN = {"护照", "换驾照", "驾照"}  # what a catalog would say names an item
BUNDLE = DialogueState(bundle_code="B1", answered=True,
                       options=(Option("L", "个体工商户设立登记"), Option("F", "食品经营许可"), Option("S", "户外招牌设置备案")))


@pytest.mark.parametrize("text, aspect", [
    # fee, in many wordings and particles
    ("要钱不", "fee"), ("收费不", "fee"), ("收钱没得", "fee"), ("要交钱嘛", "fee"), ("好多钱哦", "fee"), ("免费不哇", "fee"),
    ("费用呢", "fee"), ("多少钱", "fee"), ("工本费几多钱", "fee"), ("要不要钱噻", "fee"),
    # online
    ("网上可以办不", "online"), ("线上能弄不嘛", "online"), ("手机上办得了没有", "online"), ("app上可以不", "online"),
    ("要跑几趟", "online"), ("可以预约不", "online"), ("能邮寄不", "online"),
    # conditions / in person
    ("要本人去不", "conditions"), ("可以代办不", "conditions"), ("要亲自去没得", "conditions"), ("有啥子条件", "conditions"),
    ("委托别人办得成不", "conditions"), ("两个人都要到场不", "conditions"),
    # department / where
    ("在哪儿办", "department"), ("去哪里办嘛", "department"), ("哪个部门管", "department"), ("窗口在哪点", "department"),
    ("地址发我一下", "department"), ("电话多少", "department"),
    # time
    ("要多久", "time_limit"), ("好久能拿到", "time_limit"), ("几天办得好", "time_limit"), ("时限是好久", "time_limit"),
    ("当天能拿不", "time_limit"), ("多长时间到账", "time_limit"),
    # materials
    ("要带啥", "materials"), ("准备些啥子", "materials"), ("要啥子东西", "materials"), ("材料呢", "materials"),
    ("要照片不", "materials"), ("要复印件没得", "materials"),
    # flow
    ("咋个弄", "flow"), ("流程是啥", "flow"), ("啷个办嘛", "flow"), ("怎么申请", "flow"), ("步骤呢", "flow"),
])
def test_a_short_aspect_question_is_a_follow_up_of_the_current_item(text, aspect):
    move = interpret(ITEM, text)
    assert move.kind == m.ASPECT and move.aspect == aspect, move


@pytest.mark.parametrize("text, district", [
    ("江北的呢", "江北区"), ("那渝中区呢", "渝中区"), ("我在南岸", "南岸区"), ("沙坪坝", "沙坪坝区"), ("换成北碚的", "北碚区"),
    ("那万州呢", "万州区"), ("两江新区的嘞", "两江新区"),
])
def test_a_district_alone_switches_the_district(text, district):
    move = interpret(ITEM, text)
    assert move.kind == m.DISTRICT and move.district.name == district, move


@pytest.mark.parametrize("text, aspect, district", [
    ("在哪儿办 我在江北", "department", "江北区"), ("渝北的在哪办", "department", "渝北区"),
    ("九龙坡要多久", "time_limit", "九龙坡区"), ("我在合川 要钱不", "fee", "合川区"),
])
def test_an_aspect_and_a_district_together(text, aspect, district):
    move = interpret(ITEM, text)
    assert (move.kind, move.aspect, move.district.name) == (m.ASPECT, aspect, district), move


def test_two_aspects_in_one_message_are_both_read():
    move = interpret(ITEM, "几天能好 收不收钱")
    assert move.kind == m.ASPECT and set(move.aspects) == {"fee", "time_limit"}


@pytest.mark.parametrize("text", ["办护照要带什么", "那结婚登记呢", "公司不想开了 咋个注销", "营业执照掉了咋个补",
                                  "开饭店要办哪些手续", "公积金怎么提取"])
def test_a_message_naming_another_item_is_a_new_question(text):
    assert interpret(ITEM, text, names_item=KNOWN.__contains__).kind == m.QUESTION


def test_short_leftovers_that_name_nothing_stay_follow_ups():
    for text in ("老人要亲自到场不", "好久能拿到", "这个要登报不"):
        assert interpret(ITEM, text, names_item=KNOWN.__contains__).kind == m.ASPECT


def test_that_x_ne_carries_the_aspect_to_the_new_item():
    move = interpret(ITEM, "那结婚登记呢")
    assert move.kind == m.QUESTION and move.aspect == "materials"


@pytest.mark.parametrize("text, pick", [("2", 2), ("第二个", 2), ("第2个", 2), ("选三", 3), ("就第一个吧", 1), ("最后一个", 3),
                                        ("二", 2), ("第三个嘛", 3)])
def test_a_menu_is_answered_by_number_or_ordinal(text, pick):
    move = interpret(MENU, text)
    assert move.kind == m.PICK and move.pick == pick


@pytest.mark.parametrize("text, pick", [("换领", 2), ("挂失补办那个", 3), ("新办的", 1), ("我要换领残疾人证", 2)])
def test_a_menu_is_answered_by_name(text, pick):
    move = interpret(MENU, text)
    assert move.kind == m.PICK and move.pick == pick, move


def test_a_leading_ordinal_with_a_question_picks_and_asks():
    move = interpret(MENU, "第二项要几天")
    assert (move.kind, move.pick, move.aspect) == (m.PICK, 2, "time_limit")


@pytest.mark.parametrize("text", ["都不是", "都不对", "没有我要的"])
def test_none_of_them(text):
    assert interpret(MENU, text).kind == m.NONE_OF_THEM


def test_an_ordinal_out_of_range_and_an_ordinal_without_a_menu():
    assert interpret(MENU, "第九个").kind == m.ORDINAL_OUT_OF_RANGE
    assert interpret(NOTHING, "第二个").kind == m.ORDINAL_WITHOUT_MENU
    assert interpret(ITEM, "第二个").kind == m.ORDINAL_WITHOUT_MENU


def test_a_bundle_item_by_ordinal_or_exact_name_but_not_by_a_shared_character():
    assert interpret(BUNDLE, "第二项几天办好").pick == 2
    move = interpret(BUNDLE, "食品经营许可要什么材料")
    assert (move.kind, move.pick, move.aspect) == (m.PICK, 2, "materials")
    assert interpret(BUNDLE, "食品生产许可证要什么材料").kind == m.QUESTION  # another item, searched


@pytest.mark.parametrize("text, useful", [("有用", True), ("有帮助", True), ("没用", False), ("没得用", False),
                                          ("答非所问", False)])
def test_feedback_only_right_after_an_answer(text, useful):
    move = interpret(ITEM, text)
    assert move.kind == m.FEEDBACK and move.useful is useful
    assert interpret(NOTHING, text).kind != m.FEEDBACK


@pytest.mark.parametrize("text, aspect", [("不对 我想问的是几天能好", "time_limit"), ("没用 我问的是在哪办", "department"),
                                          ("不对不对 我想问收费不", "fee")])
def test_a_correction_of_the_aspect_is_not_feedback(text, aspect):
    move = interpret(ITEM, text)
    assert move.kind == m.ASPECT and move.aspect == aspect, move


@pytest.mark.parametrize("text, names", [("不是身份证 是户口本掉了", "户口本掉了"), ("弄错了 是台湾通行证", "台湾通行证"),
                                         ("啊不对 是行驶证丢了", "行驶证丢了"), ("说错了 我要办护照", "我要办护照")])
def test_a_correction_of_the_item_is_a_new_question_with_the_same_aspect(text, names):
    move = interpret(ITEM, text)
    assert move.kind == m.QUESTION and move.correction and names in move.text and move.aspect == "materials", move


def test_a_correction_that_swaps_a_word_of_the_current_item():
    state = DialogueState(item_code="X", item_name="居民身份证换领", aspect="time_limit", answered=True)
    move = interpret(state, "不是换领 是补领")
    assert move.kind == m.QUESTION and move.text == "居民身份证补领" and move.aspect == "time_limit"


def test_a_correction_of_the_district():
    move = interpret(ITEM, "不对 我在渝北区")
    assert move.kind == m.DISTRICT and move.district.name == "渝北区"


@pytest.mark.parametrize("text", ["不", "不是", "嗯嗯"])
def test_a_bare_particle_or_no_is_neither_feedback_nor_a_search(text):
    assert interpret(ITEM, text).kind in (m.UNCLEAR, m.THANKS)


@pytest.mark.parametrize("text, kind", [("你好", m.GREET), ("在吗", m.GREET), ("谢谢", m.THANKS), ("好的谢谢", m.THANKS),
                                        ("要得", m.THANKS), ("再见", m.GOODBYE), ("拜拜", m.GOODBYE), ("算了", m.CANCEL),
                                        ("不办了", m.CANCEL), ("转人工", m.HANDOFF), ("人工客服", m.HANDOFF)])
def test_short_side_intents_on_their_own_cues(text, kind):
    assert interpret(ITEM, text).kind == kind


@pytest.mark.parametrize("text, kind, aspect", [("谢谢哈 手机上弄得成不", m.ASPECT, "online"), ("要得嘛 收钱没得", m.ASPECT, "fee"),
                                                ("你好 请问换驾照要带啥", m.QUESTION, "materials"),
                                                ("好的 那要多久", m.ASPECT, "time_limit")])
def test_courtesy_in_front_of_a_question_is_dropped(text, kind, aspect):
    move = interpret(ITEM, text, names_item=KNOWN.__contains__)
    assert move.kind == kind and move.aspect == aspect, move


@pytest.mark.parametrize("text", ["公司不想开了 咋个注销", "个体户执照要注销 怎么弄", "我想取消登记 在哪办"])
def test_cancel_words_inside_a_question_are_a_question(text):
    assert interpret(NOTHING, text).kind == m.QUESTION


@pytest.mark.parametrize("text", ["我要投诉 窗口的人态度太差了", "举报一下 有人乱收费", "排了一上午都没办成 太气人了"])
def test_complaints_on_complaint_cues(text):
    assert interpret(ITEM, text).kind == m.COMPLAINT


@pytest.mark.parametrize("text", ["来电人反映其母亲今年退休，咨询退休手续需要哪些材料", "窗口说要带户口本 请问复印件可以吗",
                                  "上次没办成 这次需要带什么"])
def test_a_question_with_a_complaint_word_is_a_question(text):
    assert interpret(ITEM, text).kind in (m.QUESTION, m.ASPECT)


def test_a_long_message_is_a_question_first():
    story = "你好，" + "我们一家人从外地搬到重庆好几年了，孩子在这边读书，" * 40 + "想问一下办居住证需要带什么材料，谢谢"
    move = interpret(NOTHING, story)
    assert move.kind == m.QUESTION and move.aspect == "materials"
    greeting_flood = "你好" * 1500
    assert interpret(NOTHING, greeting_flood).kind != m.COMPLAINT


@pytest.mark.parametrize("text, body, district", [
    ("来电人咨询开饭店需要办理哪些证照，所在区县为渝中区", "开饭店需要办理哪些证照", "渝中区"),
    ("市民来电咨询护照怎么办，人在巴南区", "护照怎么办", "巴南区"),
    ("来电人反映其外婆过世，咨询后事要办哪些手续", "外婆过世", None),
])
def test_agents_summaries_lose_their_framing_and_keep_the_district(text, body, district):
    move = interpret(NOTHING, text)
    assert move.agent and body in move.text and "来电" not in move.text
    assert (move.district.name if move.district else None) == district


def test_agents_follow_ups_are_follow_ups():
    assert interpret(ITEM, "来电人又问大概几个工作日").aspect == "time_limit"
    assert interpret(ITEM, "来电人想知道可否在线上申请").aspect == "online"
    assert interpret(ITEM, "来电人继续问要交啥材料").kind == m.ASPECT


@pytest.mark.parametrize("text", ["查进度 CQ202605140001233 手机尾号5245", "我的办件到哪一步了", "cq 2026 0514 0001 233"])
def test_progress_is_recognised(text):
    assert interpret(ITEM, text).kind == m.PROGRESS


@pytest.mark.parametrize("text", ["更多", "还有呢", "继续", "下一页"])
def test_more(text):
    assert interpret(ITEM, text).kind == m.MORE


def test_pick_option_by_distinguishing_characters():
    options = (Option("1", "户口迁移审批（市内迁移）"), Option("2", "户口迁移审批（跨省迁入）"), Option("3", "户口迁出登记（迁往市外）"))
    assert pick_option("从外省迁进来的", options).index == 2
    assert pick_option("市内的", options).index == 1
    assert pick_option("迁移", options) is None  # shared by two options: not a pick


def test_an_aspect_asked_while_a_menu_waits_is_about_the_menu():
    move = interpret(MENU, "要带啥子")
    assert move.kind == m.ASPECT and move.aspect == "materials"


@pytest.mark.parametrize("text", [
    "镇长您好，我们这条街的下水道堵了一个多月，污水流到路上臭气熏天，为什么一直没有人来处理？",
    "建议在轻轨站出口增设非机动车停放点，现在电瓶车到处乱停，行人都走不过去",
    "尊敬的领导：我们厂里的老板已经拖欠工人工资四个月了，大家都等着钱过年，请求有关部门调查",
    "我们小区旁边的工地每天晚上十一点以后还在施工，噪声太大，老人孩子都睡不好觉，严重影响生活",
    "希望政府能考虑在老旧小区加装电梯，老年人爬楼梯实在是太困难了，谢谢",
])
def test_petitions_are_complaints_whatever_their_question_words(text):
    assert interpret(NOTHING, text).kind == m.COMPLAINT
    assert interpret(NOTHING, text, intent="ask_flow").kind == m.COMPLAINT


@pytest.mark.parametrize("text", [
    "公司三年没给我买社保 老板也不管 请问补缴社保需要什么材料",
    "我们小区的业主想问一下 物业专项维修资金怎么申请使用",
    "领导您好 请问退休了公积金怎么提取",
    "怎样申请认定不可移动文物？",
    "房屋有抵押的，能否办理变更登记？",
    "我们村里好几户人家想一起办理宅基地使用权登记，需要带哪些资料",
])
def test_a_service_question_in_a_letter_or_with_a_question_mark_is_a_question(text):
    assert interpret(NOTHING, text, intent="complain").kind in (m.QUESTION, m.ASPECT)


@pytest.mark.parametrize("text", ["请问投诉举报怎么处理 要多久答复", "在哪里举报违法广告", "市场监管投诉的电话是多少",
                                  "发现有人卖过期药 药品举报咋个弄", "想举报工地晚上施工 啷个举报嘛", "咋个投诉物业乱收费"])
def test_questions_about_complaining_are_questions(text):
    assert interpret(NOTHING, text).kind in (m.QUESTION, m.ASPECT)


@pytest.mark.parametrize("text", ["投诉了三次咋个都没得人管", "举报了半个月啷个还没回音"])
def test_why_nobody_answered_a_complaint_is_a_complaint(text):
    assert interpret(NOTHING, text, intent="complain").kind == m.COMPLAINT


@pytest.mark.parametrize("text", ["去年举报过一家黑诊所 现在我自己想开诊所 要准备啥子", "之前投诉过物业，这次想问公租房在哪里申请",
                                  "已经投诉过两回了 再问一哈残疾人证换领要几天"])
def test_a_complaint_told_as_context_beside_a_service_question_is_a_question(text):
    assert interpret(NOTHING, text).kind in (m.QUESTION, m.ASPECT)


@pytest.mark.parametrize("text", ["我投诉过了 到现在还是没人来修", "前几天就举报过了，为什么还没有回复",
                                  "小区垃圾堆了一个礼拜 请有关部门管一管", "楼下麻将馆天天闹到半夜 希望管一下"])
def test_a_past_complaint_or_a_request_to_act_with_nothing_asked_is_a_complaint(text):
    assert interpret(NOTHING, text).kind == m.COMPLAINT


@pytest.mark.parametrize("text, asked", [
    ("来电人对上次的答复不满意，再次咨询居住证要带什么", "居住证要带什么"),
    ("诉求人表示此前已来电反映过，追问出生登记在哪里办理", "出生登记在哪里办理"),
])
def test_an_agents_clause_about_the_callers_history_is_framing(text, asked):
    move = interpret(NOTHING, text)
    assert move.agent and move.text == asked


@pytest.mark.parametrize("text", ["我人在外地 能不能找人代办", "来电人补充其本人在外省，询问可否委托他人办理", "在国外的话可以让别人去办不"])
def test_where_the_asker_is_and_who_goes_for_them_stay_a_follow_up(text):
    assert interpret(ITEM, text).kind == m.ASPECT


@pytest.mark.parametrize("text", ["营业执照上的住址要改 咋个弄", "换了电话号码 社保信息咋个改"])
def test_what_is_changed_is_not_what_is_asked(text):
    assert "department" not in interpret(NOTHING, text).aspects


@pytest.mark.parametrize("text", ["第三次请求依法查处违建", "第2天还没人回复", "第一次办身份证要带啥"])
def test_counted_times_are_not_ordinals(text):
    assert interpret(MENU, text).kind not in (m.PICK, m.ORDINAL_OUT_OF_RANGE)
    assert interpret(NOTHING, text).kind != m.ORDINAL_WITHOUT_MENU


def test_aspect_words_inside_an_item_name_are_not_asked():
    from actions.dialogue.interpreter import aspects_outside_names

    assert aspects_outside_names("电子导游证怎么办", ("online",), ["电子导游证", "导游证核发"]) == ("flow",)
    assert aspects_outside_names("医保电子凭证咋个申领", ("online",), ["医保电子凭证"]) == ("flow",)
    assert aspects_outside_names("电子导游证网上能办不", ("online",), ["电子导游证"]) == ("online",)
    assert aspects_outside_names("护照要带啥", ("materials",), ["普通护照签发"]) == ("materials",)


@pytest.mark.parametrize("text", ["推荐个好吃的火锅店嘛", "解放碑附近有啥好耍的景点", "明天天气咋样", "哪里有好吃的小面"])
def test_requests_no_service_answers_are_off_topic(text):
    assert interpret(NOTHING, text).kind == m.OFF_TOPIC


@pytest.mark.parametrize("text", ["开火锅店要办啥子证", "火锅店在哪里办食品经营许可", "开个民宿要办哪些手续"])
def test_a_shop_named_in_a_service_question_is_a_question(text):
    assert interpret(NOTHING, text).kind == m.QUESTION


def test_variants_the_message_does_not_tell_apart_are_undecided():
    from actions.dialogue.choosing import undecided
    from knowledge.search import Candidate

    def pair(a, b, score_b=0.95):
        return Candidate("A", a, 1.0), Candidate("B", b, score_b)

    assert undecided(*pair("二级运动员", "三级运动员"), "运动员等级证咋个申请")
    assert not undecided(*pair("二级运动员", "三级运动员"), "二级运动员咋个申请")
    assert undecided(*pair("户口迁移审批（跨省迁入）", "户口迁移审批（市内迁移）"), "户口迁移怎么办理")
    assert not undecided(*pair("机动车更换发动机变更登记", "机动车改变车身颜色变更登记"), "机动车变更登记")
    assert not undecided(*pair("二级运动员", "三级运动员", score_b=0.5), "运动员等级证咋个申请")


@pytest.mark.parametrize("text", ["要户口本不", "需要身份证原件吗", "要不要带户口本", "还要照片不", "要结婚证不嘛"])
def test_whether_a_document_is_needed_is_a_materials_follow_up(text):
    move = interpret(ITEM, text, names_item=lambda words: True)
    assert move.kind == m.ASPECT and move.aspect == "materials", move


@pytest.mark.parametrize("text", ["要办居住证不", "要去派出所不"])
def test_whether_to_do_something_is_not_a_document_check(text):
    assert interpret(ITEM, text, names_item=lambda words: True).aspect != "materials"


@pytest.mark.parametrize("text", ["周末上班不", "几点下班", "节假日开门不"])
def test_opening_hours_ask_the_department(text):
    assert interpret(ITEM, text).aspect == "department"


def test_what_happened_pulls_up_a_lower_item_only_when_its_object_is_named():
    from actions.dialogue.choosing import by_qualifier
    from knowledge.search import CHOOSE, Candidate, SearchResult

    def result(*pairs):
        return SearchResult("", None, CHOOSE, tuple(Candidate(str(i), n, s) for i, (n, s) in enumerate(pairs)))

    licence = result(("个体工商户设立登记", 0.47), ("个体工商户注销登记", 0.45), ("营业执照遗失补领", 0.27))
    assert by_qualifier(licence, "个体户的执照搞掉了").name == "营业执照遗失补领"
    deed = result(("房屋等建筑物、构筑物所有权登记", 0.24), ("宅基地使用权登记", 0.22), ("补领机动车登记证书", 0.16))
    assert by_qualifier(deed, "产权证丢失了，补办流程及材料？") is None


def test_a_change_of_address_or_name_is_what_happened():
    from actions.dialogue.words import QUALIFIERS

    changed = [markers for cue, markers in QUALIFIERS if cue.search("搬家了地址变了咋个弄")]
    assert changed and "变更" in changed[0]
    assert not [markers for cue, markers in QUALIFIERS if cue.search("地址在哪")]


def test_a_long_story_that_wants_a_service_is_not_a_report():
    story = "我想办个居住证 但是房东不配合 不给我租房合同 太不方便了 我在这边上班都三年了 社保也交了好久了"
    assert interpret(NOTHING, story).kind != m.COMPLAINT


FUND = (Option("1", "购买自住住房提取住房公积金"), Option("2", "租赁住房提取住房公积金"),
        Option("3", "离休、退休提取住房公积金"), Option("4", "偿还住房贷款提取住房公积金"))


@pytest.mark.parametrize(("text", "index"), [
    ("还房贷那个", 4),  # 房贷: the citizen's word, 住房贷款 in the name
    ("买房子的", 1),
    ("我是租房住的那种", 2),
])
def test_a_menu_is_answered_in_the_citizens_words(text, index):
    assert pick_option(text, FUND).index == index


def test_a_lexicon_reading_alone_is_not_a_strong_pick():
    """The pick is checked against the catalog before it is trusted (the message may name
    another object in words the lexicon reads into an option)."""
    assert not pick_option("买房子的", FUND).strong


@pytest.mark.parametrize(("text", "code"), [
    ("挂失补办那个", "C"),  # one distinguishing character is enough when the reply points at an option
    ("证弄丢了的", "C"),  # what happened picks the option named for it
    ("头一回办", "A"),
])
def test_a_menu_is_answered_by_what_happened(text, code):
    move = interpret(MENU, text)
    assert move.kind == m.PICK and MENU.options[move.pick - 1].code == code


def test_one_shared_word_still_picks_nothing():
    assert pick_option("办那个", FUND) is None


@pytest.mark.parametrize("text", ["在哪儿办 我住在渝北", "我家住在江北 去哪里交材料", "在哪里登记 人在九龙坡"])
def test_where_with_the_askers_district_is_a_follow_up(text):
    move = interpret(ITEM, text, names_item=lambda words: False)
    assert move.kind == m.ASPECT and "department" in move.aspects and move.district is not None


@pytest.mark.parametrize("text", ["不对哦 我听说办护照现在不要户口本了 要带啥", "不是哈 我想问的是公租房咋个申请"])
def test_a_correction_word_with_nothing_said_yet_opens_a_question(text):
    move = interpret(NOTHING, text)
    assert move.kind == m.QUESTION and not move.correction and compact_has(move.text, text)


def compact_has(said: str, text: str) -> bool:
    return said.replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("text, aspects", [
    ("窗口那个人态度太差了 不过我还是想问下 残疾人证换领要几天", ("time_limit",)),
    ("之前投诉过大厅排队的事，这回问一下护照的材料", ("materials",)),
])
def test_the_aspects_are_those_of_the_clauses_that_ask_not_of_a_grievance(text, aspects):
    assert interpret(NOTHING, text).aspects == aspects


@pytest.mark.parametrize("text", ["哪家驾校教得好一点", "婚纱照在哪儿拍划算", "重庆哪个地方的火锅便宜又好吃"])
def test_asking_which_shop_does_it_best_is_off_topic(text):
    assert interpret(NOTHING, text).kind == m.OFF_TOPIC


@pytest.mark.parametrize("text", ["哪里办护照快一点", "身份证在哪里办便宜些"])
def test_a_service_asked_with_an_evaluative_word_is_still_a_question(text):
    assert interpret(NOTHING, text).kind in (m.QUESTION, m.ASPECT)


def known(words: str) -> bool:
    return any(name in words for name in KNOWN)


@pytest.mark.parametrize("text, kind, said", [
    ("算了 先不补了 那挂失要几天", m.ASPECT, "那挂失要几天"),
    ("不问那个了，护照在哪办", m.QUESTION, "护照在哪办"),
    ("算了 不办了", m.CANCEL, None),
    ("不用了 谢谢哈", m.THANKS, None),
])
def test_a_clause_taking_the_last_request_back_is_dropped_before_a_new_one(text, kind, said):
    move = interpret(ITEM, text, names_item=known)
    assert move.kind == kind
    if said:
        assert move.text == said


@pytest.mark.parametrize("text", ["头一回办", "第一次弄 要啥子", "搞丢了咋整"])
def test_what_happened_alone_is_about_the_current_object(text):
    assert interpret(ITEM, text, names_item=known).kind == m.ASPECT


def test_what_happened_to_another_named_item_is_a_new_question():
    assert interpret(ITEM, "第一次办护照要啥", names_item=known).kind == m.QUESTION
    assert interpret(ITEM, "要体检不").aspects == ("conditions",)


# Conversation round 5 (docs/conversation.md, "Fifth session"): families, each with phrasings of its own.

@pytest.mark.parametrize("text, asked", [
    ("投诉那个事以后再说 我想问下社保卡补办要带啥", "社保卡补办要带啥"),
    ("举报的事我晓得了 请问营业执照注销在哪办", "营业执照注销在哪办"),
    ("对上回的结果不满意 我想问的是居住证", "居住证"),
])
def test_a_complaint_set_aside_for_an_explicit_question_is_the_question(text, asked):
    move = interpret(NOTHING, text)
    assert move.kind == m.QUESTION and move.text == asked


@pytest.mark.parametrize("text", [
    "我要投诉 窗口的人态度太差了 请问投诉电话是多少",  # asks about complaining: the complaint service, not set aside
    "投诉了三回 我想问下为啥子没人管",  # what follows is still a grievance
])
def test_a_question_about_the_complaint_itself_is_not_set_aside(text):
    assert m.complaint_set_aside(text) is None


@pytest.mark.parametrize("text", ["楼下的污水冒了一个星期没人清理", "电梯坏了半个月 物业也不来修", "半夜施工吵得遭不住",
                                  "网约车司机乱绕路 必须要处理一下"])
def test_grievances_in_citizens_words_are_complaints(text):
    assert interpret(NOTHING, text).kind == m.COMPLAINT


@pytest.mark.parametrize("text", ["电梯年检没人来 咋个申请检验", "受不了排队了 社保卡网上能补办不"])
def test_a_grievance_beside_a_question_is_a_question(text):
    assert interpret(NOTHING, text).kind in (m.QUESTION, m.ASPECT)


@pytest.mark.parametrize("text, kept", [
    ("我的身份证号码是500104198506061234 想问下医保异地备案咋弄", "医保异地备案咋弄"),
    ("手机15912345678，公租房申请要啥条件", "公租房申请要啥条件"),
    ("营业执照号码91500105MA60ABCD1X 经营范围要加一项", "营业执照"),
    ("公积金账号是6217001234567 想提取", "公积金"),
])
def test_numbers_pasted_in_a_question_are_not_searched(text, kept):
    move = interpret(NOTHING, text)
    assert move.kind == m.QUESTION and kept in move.text and not any(ch.isdigit() for ch in move.text)


def test_an_identifier_without_a_value_is_a_word_of_the_question():
    assert "身份证号码" in interpret(NOTHING, "驾照上的身份证号码错了咋个改").text


@pytest.mark.parametrize("text", ["证件照在哪家照得好", "结婚照哪里拍得好看又便宜", "哪家驾校教得好"])
def test_asking_which_shop_does_it_best_is_off_topic_even_with_a_document_named(text):
    assert interpret(ITEM, text).kind == m.OFF_TOPIC


def test_words_of_the_current_items_name_with_an_aspect_are_a_follow_up():
    current = DialogueState(item_code="R", item_name="养老保险待遇领取资格认证", aspect="online", answered=True)
    move = interpret(current, "手机上搞不来 去哪点当面认证嘛", names_item=lambda words: True)
    assert move.kind == m.ASPECT and move.aspect == "department"


@pytest.mark.parametrize("text", ["取消 我是想问换领", "取消，我问的是换领"])
def test_cancel_in_front_of_a_correction_is_the_correction(text):
    move = interpret(ITEM, text)
    assert move.kind == m.QUESTION and move.correction


@pytest.mark.parametrize("text, aspect", [("来电人咨询其本人社保卡的密码重置如何办理", "flow"), ("我本人的驾驶证到期了要带啥", "materials"),
                                          ("需要本人去不", "conditions")])
def test_benren_before_a_document_says_whose_it_is(text, aspect):
    assert interpret(NOTHING, text).aspects == (aspect,)


@pytest.mark.parametrize("text", ["举报单位不交社保是在哪里", "投诉商家卖假货该找哪个部门", "举报黑车应该打什么电话"])
def test_asking_where_a_complaint_is_filed_is_a_question(text):
    assert interpret(NOTHING, text).kind == m.QUESTION


@pytest.mark.parametrize("text", ["我要投诉 窗口的人去哪里了 等了半天", "电梯维修收费太贵了", "这个证办得太麻烦了",
                                  "物业费贵得离谱"])
def test_a_complaint_or_a_judged_price_told_is_a_complaint(text):
    assert interpret(ITEM, text).kind == m.COMPLAINT


def test_a_judged_price_with_a_question_is_a_question():
    assert interpret(NOTHING, "护照收费太贵了 能不能减免").kind == m.QUESTION


@pytest.mark.parametrize("text, aspect", [
    ("能不能在派出所办", "department"), ("可否在外地的政务中心办理", "department"), ("可以在街道办不", "department"),
    ("户口在外省，可否申请", "conditions"), ("我在外地上班 能在本地补不", "conditions"),
])
def test_a_place_or_an_office_beside_the_current_item_is_a_follow_up(text, aspect):
    move = interpret(ITEM, text, names_item=lambda words: any(k in words for k in KNOWN))
    assert move.kind == m.ASPECT and move.aspect == aspect


def test_a_place_that_is_part_of_a_named_item_is_a_new_question():
    move = interpret(ITEM, "那异地就医呢", names_item=lambda words: "异地就医" in words)
    assert move.kind == m.QUESTION


@pytest.mark.parametrize("text, aspect", [("我是个体户，要登报不", "conditions"), ("其为退役军人，是否收费", "fee"),
                                          ("我是低保户 能申请不", "conditions")])
def test_the_askers_situation_beside_an_aspect_is_a_follow_up(text, aspect):
    move = interpret(ITEM, text, names_item=lambda words: any(k in words for k in KNOWN))
    assert move.kind == m.ASPECT and move.aspect == aspect and "situation" in move.notes


@pytest.mark.parametrize("text", ["娃儿办要父母都去不", "老人可以找人代办不", "我媳妇儿能帮我办不"])
def test_who_the_item_is_for_names_no_item(text):
    assert interpret(ITEM, text, names_item=lambda words: any(k in words for k in KNOWN)).kind == m.ASPECT


# Conversation round 7 (docs/conversation.md, "Seventh session").

@pytest.mark.parametrize("text, aspect", [
    # dialect ellipsis: someone else going, the asker unable to go, whether it may be done at all
    ("屋头老人走不动得不得行", "conditions"), ("喊我女儿帮忙去办得行不", "conditions"), ("他住院了来不了 咋整", "conditions"),
    ("叫屋里人代他去领要得不", "conditions"), ("外地户口在这边换得成不", "conditions"),
    # what to bring, whatever the measure word
    ("要交些啥子", "materials"), ("去的时候带点啥", "materials"), ("要拿些什么去", "materials"),
    # a permission word beside a more specific aspect is dropped
    ("网上弄得成不", "online"), ("手机上搞得定不", "online"), ("那要好久嘛", "time_limit"),
])
def test_dialect_ellipsis_is_a_follow_up_of_the_current_item(text, aspect):
    move = interpret(ITEM, text, names_item=lambda words: words in KNOWN)
    assert move.kind == m.ASPECT and move.aspect == aspect, move


@pytest.mark.parametrize("text, aspect", [
    ("补充：来电人询问能否网上办理", "online"), ("追问：是否收费", "fee"), ("市民还想问办好需要多长时间", "time_limit"),
    ("来电人另询问办理地点", "department"), ("来电人补充：其在沙坪坝区租房居住，询问在哪里办理", "department"),
    ("来电人补充：其现居住在北碚，咨询需要带哪些材料", "materials"),
])
def test_an_agents_note_that_names_nothing_keeps_the_item(text, aspect):
    move = interpret(ITEM, text, names_item=lambda words: words in KNOWN or "租房" in words)
    assert move.kind == m.ASPECT and move.aspect == aspect and move.agent, move
    assert not move.notes  # where the caller stays points to no sibling item


def test_an_agents_note_that_names_another_item_is_a_new_question():
    move = interpret(ITEM, "补充：来电人还想问护照要带哪些材料", names_item=lambda words: words in KNOWN)
    assert move.kind == m.QUESTION and "护照" in move.text and move.agent, move


@pytest.mark.parametrize("text, kept, district", [
    ("我在渝北区公积金中心旁边住，想问下护照要带啥", "护照", "渝北区"),
    ("住在车管所附近 想问问护照在哪办", "护照", None),
    ("我在人社局旁边开了个面馆想问下护照咋个办", "护照", None),
    ("我家在江北区医保局对面 护照要几天", "护照", "江北区"),
])
def test_a_clause_placing_the_asker_near_an_office_is_not_searched(text, kept, district):
    move = interpret(NOTHING, text, names_item=lambda words: words in KNOWN)
    assert move.kind == m.QUESTION and kept in move.text, move
    assert not any(office in move.text for office in ("公积金", "车管所", "人社局", "医保局")), move
    assert (move.district.name if move.district else None) == district


@pytest.mark.parametrize("text, meant, not_meant", [
    ("搞错了 是辞职了 不是退休", "辞职", "退休"), ("不对 丢的是身份证不是户口本", "身份证", "户口本"),
    ("说错了 我说的是驾照 不是护照", "驾照", "护照"),
])
def test_a_correction_searches_what_is_meant_not_what_is_negated(text, meant, not_meant):
    move = interpret(ITEM, text, names_item=lambda words: words in KNOWN)
    assert move.correction and meant in move.text and not_meant not in move.text, move


@pytest.mark.parametrize("text", ["公交车司机开车太猛了 吓死人", "楼下广场舞吵死人", "这个路口天天堵死人"])
def test_a_judgement_told_in_dialect_is_a_complaint(text):
    assert interpret(NOTHING, text).kind == m.COMPLAINT


@pytest.mark.parametrize("text, kept", [
    ("我要投诉 办个护照跑了三趟都没办好 到底要带啥子", "护照"), ("投诉你们窗口，护照到底要几天", "护照"),
    ("我要举报你们拖拉 换驾照在哪里办嘛", "换驾照"),
])
def test_a_complaint_that_asks_about_a_service_is_answered_with_the_hotline(text, kept):
    move = interpret(NOTHING, text, names_item=lambda words: any(k in words for k in KNOWN))
    assert move.kind == m.QUESTION and kept in move.text and m.COMPLAINT in move.notes, move
    assert "投诉" not in move.text and "举报" not in move.text


@pytest.mark.parametrize("text", ["我要投诉 窗口的人在哪里去了", "投诉楼下烧烤店 油烟大", "举报餐馆没有营业执照 怎么处理",
                                  "我要投诉 护照窗口的人态度差"])
def test_a_complaint_that_asks_nothing_of_a_service_stays_a_complaint(text):
    assert interpret(NOTHING, text, names_item=lambda words: any(k in words for k in KNOWN)).kind == m.COMPLAINT


@pytest.mark.parametrize("text, aspect", [
    ("我户口在农村的 办得到不", "conditions"), ("户籍在四川省的能申请不", "conditions"), ("办好了寄不寄得到屋头", "online"),
    ("男方能否代为申请", "conditions"), ("我上班走不开 喊我老婆去得不得行", "conditions"), ("挂了以后好久能补", "time_limit"),
])
def test_the_askers_household_work_and_family_name_no_item(text, aspect):
    move = interpret(ITEM, text, names_item=lambda words: words in KNOWN or "户口" in words)
    assert move.kind == m.ASPECT and move.aspect == aspect, move


def test_a_document_needed_is_not_an_action_named():
    from actions.dialogue.words import DOCUMENT_NEEDED
    assert DOCUMENT_NEEDED.search("结婚登记还要户口本不")
    assert not DOCUMENT_NEEDED.search("驾照要延期换证")


@pytest.mark.parametrize("text", ["检验周期是多久一次", "几年审一回", "这个每年都要做吗", "一年一次还是两年一次", "多长时间认证一次"])
def test_how_often_asks_the_cycle_held_among_the_conditions(text):
    assert aspects_in(text) == ("conditions",), text


@pytest.mark.parametrize("text", ["要多久才办得好", "好久能拿到", "几天出结果"])
def test_how_long_is_still_the_time_limit(text):
    assert aspects_in(text) == ("time_limit",), text


@pytest.mark.parametrize("text", ["该业务在何处受理", "要到什么地方去交", "啥子地方可以办", "跑哪去弄嘛", "可以就近办理吗"])
def test_formal_and_colloquial_where_words_ask_the_department(text):
    assert aspects_in(text) == ("department",), text


@pytest.mark.parametrize("text", ["我屋在人社局斜对面 离公安局又远 附近办得到不", "我们住在公积金中心背后 离派出所比较远，能就近办不"])
def test_a_distance_told_beside_a_place_clause_asks_of_the_current_item(text):
    move = interpret(ITEM, text, names_item=lambda words: any(k in words for k in ("派出所", "公安局", "公积金", "人社局")))
    assert move.kind == m.ASPECT and move.aspect == "department", move


@pytest.mark.parametrize("text, without", [
    ("我身份证是 50010319900203123X 想问下换驾照", "想问下换驾照"),
    ("联系人电话：139-1234-5678，请问居住证在哪办", "请问居住证在哪办"),
    ("办件编号CQ202605140001233 和这个无关 结婚要带啥", "和这个无关 结婚要带啥"),
    ("座机023-6385 1234 无犯罪证明咋开", "座机 无犯罪证明咋开"),
    ("2026年3月买的房 公积金咋个取", "2026年3月买的房 公积金咋个取"),
])
def test_numbers_pasted_into_a_question_are_left_out_of_it(text, without):
    from actions.context import without_pasted_numbers
    assert without_pasted_numbers(text) == without


# Round 9: 上班 and requests pointing back (docs/conversation.md, "Ninth session").
CARD = DialogueState(item_code="C1", item_name="社会保障卡申领", aspect="department", answered=True)
PASSPORT = DialogueState(item_code="P1", item_name="普通护照签发", aspect="flow", answered=True)


@pytest.mark.parametrize("text", ["周末上班不", "周六上班吗", "中午上不上班", "几点下班", "上班时间是好久", "节假日开门不"])
def test_office_hours_ask_where_and_when_the_window_is_open(text):
    assert "department" in aspects_in(text)


@pytest.mark.parametrize("text", ["我是刚来重庆上班的", "我在渝北一个厂里上班", "我老公在外地上班", "我原来在观音桥上班"])
def test_a_clause_saying_where_the_asker_works_asks_no_aspect(text):
    assert aspects_in(text) == ()


@pytest.mark.parametrize("state, text", [
    (CARD, "我是刚来重庆上班的 想办一张"),
    (CARD, "我在两江新区上班 单位不给开 我自己能弄一个不"),
    (CARD, "我才从外地过来打工 想整一个"),
    (PASSPORT, "我下个月要去泰国耍 还没得护照 想整一本"),
    (PASSPORT, "单位派我出国 办一本要好久"),
])
def test_a_situation_then_a_request_pointing_back_keeps_the_current_item(state, text):
    move = interpret(state, text, names_item=lambda words: "上班" in words or "护照" in words)
    assert move.kind == m.ASPECT


def test_a_request_pointing_back_keeps_the_aspect_it_asks():
    move = interpret(PASSPORT, "单位派我出国 办一本要好久", names_item=lambda words: False)
    assert move.kind == m.ASPECT and move.aspects == ("time_limit",)


@pytest.mark.parametrize("text", ["我护照掉了 想补一本", "我驾照到期了 想换一个", "我想办一张居住证"])
def test_a_measure_word_after_another_document_is_a_new_question(text):
    move = interpret(CARD, text, names_item=lambda words: any(d in words for d in ("护照", "驾照", "居住证")))
    assert move.kind == m.QUESTION


@pytest.mark.parametrize("text, meant", [
    ("来电人表示其实际想问的是社保卡补领，不是挂失", "社保卡补领"),
    ("市民称其实想办的是护照", "护照"),
])
def test_an_agents_note_of_what_the_caller_meant_is_a_correction(text, meant):
    move = interpret(DialogueState(item_code="L1", item_name="社会保障卡挂失", answered=True), text)
    assert move.correction and meant in move.text
