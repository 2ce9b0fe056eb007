"""Choosing by the search's evidence: its calibrated confidence, not only its score order.

Made-up results (names from the demonstration catalog's families, scores and confidences
as the search reports them), so each rule is tested on its own."""
from __future__ import annotations

from actions.dialogue.choosing import by_evidence, clearly_ahead, variants_tied
from actions.dialogue.options import is_ordinal
from knowledge.search import ANSWER, CHOOSE, Candidate, SearchResult


def result(decision: str, *candidates: tuple[str, float, float], matched: str | None = None) -> SearchResult:
    return SearchResult("", None, decision, tuple(
        Candidate(str(i), name, score, matched if i == 0 else None, confidence)
        for i, (name, score, confidence) in enumerate(candidates)))


def test_a_lower_ranked_candidate_the_search_is_much_surer_of_is_answered():
    found = result(CHOOSE, ("不动产更正登记", 0.42, 0.40), ("不动产登记资料查询", 0.38, 0.76), ("不动产异议登记", 0.36, 0.30))
    assert clearly_ahead(found, "我家房子登记的信息想查一下").name == "不动产登记资料查询"


def test_an_unsure_disagreement_keeps_the_score_rules_and_a_menu_lists_the_surer_first():
    found = result(CHOOSE, ("企业职工基本养老保险正常退休申请", 0.42, 0.27), ("养老保险待遇领取资格认证", 0.40, 0.46))
    assert clearly_ahead(found, "养老金的事咋弄") is None  # within TIED by score, coverage decides nothing
    assert [c.name for c in by_evidence(found.candidates)] == ["养老保险待遇领取资格认证", "企业职工基本养老保险正常退休申请"]


def test_a_confidence_lead_among_tied_scores_answers_the_first():
    found = result(CHOOSE, ("丧葬补助金、抚恤金申领（养老保险）", 0.29, 0.33), ("城乡居民基本养老保险待遇申领", 0.29, 0.10),
                   ("死亡注销户口", 0.22, 0.07))
    assert clearly_ahead(found, "我妈走了 她的养老金咋处理").name.startswith("丧葬补助金")


def test_a_lead_among_names_that_share_nothing_with_the_message_is_no_evidence():
    found = result(CHOOSE, ("普通货运驾驶员从业资格认定", 0.19, 0.30), ("建筑施工特种作业人员操作资格证书核发", 0.18, 0.12),
                   ("巡游出租汽车驾驶员从业资格证核发", 0.18, 0.10))
    assert clearly_ahead(found, "想办张健康证") is None


def test_variants_the_message_does_not_tell_apart_are_a_tie_even_when_the_search_answers():
    found = result(ANSWER, ("二级运动员", 0.49, 0.92), ("三级运动员", 0.46, 0.86))
    assert [c.name for c in variants_tied(found, "运动员证怎么评")] == ["二级运动员", "三级运动员"]
    assert variants_tied(found, "我想评二级运动员") == []
    unequal = result(ANSWER, ("第二类医疗器械经营备案", 0.60, 0.95), ("第三类医疗器械经营许可", 0.40, 0.20))
    assert variants_tied(unequal, "医疗器械经营") == []


def test_an_ordinal_that_names_a_category_is_part_of_a_name():
    assert not is_ordinal("第三类医疗器械经营许可要啥材料")
    assert not is_ordinal("第二级保护要什么")
    assert is_ordinal("第三个要几天")


def test_a_choose_result_is_left_to_its_own_rules():
    found = result(CHOOSE, ("居民身份证首次申领", 0.40, 0.30), ("临时居民身份证申领", 0.39, 0.29))
    assert variants_tied(found, "身份证") == []


def test_what_happened_picks_within_the_object_the_message_names():
    """"到期" points at an 期满换证 name, but not across objects: the message names 残疾人证."""
    from actions.dialogue.choosing import by_qualifier

    found = result(CHOOSE, ("机动车驾驶证有效期满换证", 0.50, 0.40), ("残疾人证换领", 0.47, 0.85), ("残疾人证新办", 0.25, 0.03))
    assert by_qualifier(found, "我屋头老汉的残疾人证快到期了 换新的要啥") is None
    assert clearly_ahead(found, "我屋头老汉的残疾人证快到期了 换新的要啥").name == "残疾人证换领"
    assert by_qualifier(found, "驾照快到期了 提前多久能换").name == "机动车驾驶证有效期满换证"


def test_a_release_and_a_change_are_read_as_what_happened():
    from actions.dialogue.choosing import by_qualifier

    mortgage = result(CHOOSE, ("机动车抵押登记", 0.47, 0.80), ("机动车解除抵押登记", 0.45, 0.76))
    assert by_qualifier(mortgage, "车子的贷款结清了 抵押要去解掉").name == "机动车解除抵押登记"
    assert by_qualifier(mortgage, "买车贷款要办抵押不") is None
    shop = result(CHOOSE, ("个体工商户注销登记", 0.44, 0.42), ("个体工商户变更登记", 0.43, 0.88))
    assert by_qualifier(shop, "我那个门面的经营者名字想改一下").name == "个体工商户变更登记"


def test_a_variant_asked_about_with_nothing_happened_to_it_is_the_first_issue():
    from actions.dialogue.choosing import first_time_variant

    variants = list(result(ANSWER, ("出生医学证明补发、换发", 0.49, 0.93), ("出生医学证明首次签发", 0.45, 0.84)).candidates)
    assert first_time_variant(variants, "出生医学证明要啥材料").name == "出生医学证明首次签发"
    assert first_time_variant(variants, "出生医学证明搞丢了要啥材料") is None  # 补发 is meant: by_qualifier's
    athletes = list(result(ANSWER, ("二级运动员", 0.49, 0.92), ("三级运动员", 0.46, 0.86)).candidates)
    assert first_time_variant(athletes, "运动员证怎么评") is None


def test_a_phrase_only_one_name_of_the_family_holds_decides():
    from actions.dialogue.choosing import by_distinct_words

    loans = result(CHOOSE, ("住房公积金个人住房贷款", 0.55, 0.43), ("住房公积金贷款提前还款", 0.41, 0.47),
                   ("偿还住房贷款提取住房公积金", 0.29, 0.10))
    assert by_distinct_words(loans, "手头有钱了 公积金贷款想提前还款 咋弄").name == "住房公积金贷款提前还款"
    assert by_distinct_words(loans, "公积金贷款最多贷好多") is None  # nothing of 提前还款 is said
    other_family = result(CHOOSE, ("公司注销登记", 0.45, 0.40), ("营业执照遗失补领", 0.40, 0.30))
    assert by_distinct_words(other_family, "店子不开了 营业执照咋个注销") is None  # 营业执照 is no kin of 公司注销


def test_the_action_asked_picks_a_sibling_the_search_put_far_below():
    """"挂失了咋个补": 挂失 already happened; the 补 asked is the 补领 item of the same object."""
    from actions.dialogue.choosing import by_qualifier

    found = result(ANSWER, ("社会保障卡挂失", 0.94, 1.0), ("社会保障卡申领", 0.36, 0.01), ("社会保障卡补领、换领、换发", 0.35, 0.01))
    assert by_qualifier(found, "医保卡挂失过了 现在咋补").name == "社会保障卡补领、换领、换发"
    assert by_qualifier(found, "医保卡搞丢了") is None or by_qualifier(found, "医保卡搞丢了").name == "社会保障卡挂失"


def test_a_negated_action_is_not_asked():
    from actions.dialogue.choosing import by_qualifier

    found = result(CHOOSE, ("机动车驾驶证补证", 0.45, 0.4), ("机动车驾驶证有效期满换证", 0.44, 0.4))
    assert by_qualifier(found, "不是补证，是驾照快过期了").name == "机动车驾驶证有效期满换证"


def test_the_head_of_a_long_object_keeps_what_happened_within_it():
    """"行驶证" names 机动车行驶证; 损毁 of 驾驶证 is another object's."""
    from actions.dialogue.choosing import by_qualifier

    found = result(CHOOSE, ("补领机动车行驶证", 0.36, 0.44), ("机动车注册登记", 0.28, 0.2), ("机动车驾驶证损毁换证", 0.19, 0.14))
    assert by_qualifier(found, "行驶证破了能换不") is None or by_qualifier(found, "行驶证破了能换不").name == "补领机动车行驶证"


def test_an_action_named_word_for_word_picks_within_the_object():
    from actions.dialogue.choosing import by_action_named

    found = result(CHOOSE, ("教师资格认定", 0.29, 0.4), ("教师资格证书补发、换发", 0.18, 0.18), ("医师执业注册", 0.11, 0.02))
    assert by_action_named(found, "教师资格证书的名字改了 要补发不").name == "教师资格证书补发、换发"
    assert by_action_named(found, "教师资格证书 不是补发 是认定") is None
    other = result(CHOOSE, ("教师资格认定", 0.29, 0.4), ("医师执业注册", 0.2, 0.1))
    assert by_action_named(other, "医师要注册吗") is None  # 注册 is named, but not the object 医师执业 in full


def test_an_entry_written_wrong_is_corrected_within_the_object_the_message_shares():
    """"写错了" asks 更正/变更; a two-character object (户口) does not narrow the family on its own."""
    from actions.dialogue.choosing import by_qualifier

    found = result(CHOOSE, ("居民户口簿补领、换领", 0.19, 0.15), ("户口登记项目变更更正", 0.18, 0.19),
                   ("户口迁移审批（市内迁移）", 0.17, 0.06), ("不动产更正登记", 0.16, 0.06))
    assert by_qualifier(found, "户口本上我娃的名字填错了").name == "户口登记项目变更更正"
