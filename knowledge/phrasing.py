"""Phrasings that change what a word of the question means for ranking.

Two families:
- A purpose is not the object. In "租房提公积金" the object is the housing fund and 租房 says
  what the money is for; in "为了上学办居住证" the object is the residence permit. A purpose
  word (租房, 买房, 看病, 上学 …) or what follows a purpose marker (为了, 用于, 用来 …) is
  a qualifier when the question names another object: search cuts it from the text that
  decides the object and weighs its lexicon terms like a person word (knowledge/search.py).
  Alone ("租房子要备案吗") it is the object, and nothing changes.
- A negated kind is not the kind. 电动车 is an electric bicycle, a 非机动车: a name about
  机动车 (机动车号牌) does not explain it, so search damps the names that hold the kind a
  question's term negates (`negated_kinds`, `contradicts`).
- An age is a threshold. "满70了", "年满60岁", "七十岁了" become "年满70岁", which the lexicon's
  年满 maps to 达到规定年龄 (`canonical_ages`); only ages from 50 up, so 满18岁 stays as said.
- A split verb is the verb. "挂个失", "补个证", "办了证", "过个户", "结了婚" are 挂失, 补证, 办证,
  过户, 结婚 with a measure word or 了 inside (离合词); names and the lexicon only hold the joined
  form, so `joined_verbs` joins them before anything is matched.
- Undoing an action is not the action. "解除挂失" asks for 解挂, "取消抵押" for 解除抵押,
  "撤销登记" for a 撤销/注销 item: the undone action (挂失, 抵押, 登记) must not credit the
  names whose action it is (社会保障卡挂失), so search cuts it from the text and damps those
  names.
- An entry on a document is not the object. In "驾照上的身份证号码变了" or "户口本上名字写错了" the
  object is the document named before 上 (驾照, 户口本); what follows (身份证号码, 名字) is the entry
  changed: `attribute_spans` marks it, and search treats it like a purpose (cut from the text that
  decides the object, its lexicon terms weighed like a person word).
- Opposed actions exclude each other. A question asking to close (注销) does not want a founding
  item (设立登记), and one asking to change or correct an entry (变更, 更正; 写错了, 变了) does not
  want a replacement (补领, 补发): `opposed_actions` lists what the question rules out, and search
  damps the names whose action is only that.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.name_parts import ACTION_WORDS

# Words that usually say what something is for, not what is asked about.
PURPOSE_WORDS = tuple(sorted("""
租房子 租房 租住 租个房 交房租 付房租 买房子 买房 购房 买新房 买二手房 付首付 交首付 看病 治病 装修 上学 读书 念书
""".split(), key=len, reverse=True))
PURPOSE_MARKERS = ("为了", "用于", "用来", "拿来", "拿去", "用作")
PURPOSE_SPAN = 4  # characters after a purpose marker taken as the purpose
UNDO_WORDS = ("解除", "取消", "撤销", "撤回")
# Undoings said in one word, with the action they undo: 解挂 is 解除挂失, 解押 is 解除抵押; a card found
# again (找到了, 找回来了) undoes its 挂失 too.
CONTRACTED_UNDO = (("解挂", "挂失"), ("解押", "抵押"), ("找回来了", "挂失"), ("找回了", "挂失"), ("找到了", "挂失"))
# A document named before 上 ("驾照上的", "户口本上面"), then the entry on it up to a word of change.
_ATTRIBUTE_RE = re.compile(r"(?:证|证书|照|本|簿|卡)上(?:面)?的?(.{1,6}?)(?=变|改|错|写|填|不对|不一样|有误|更正|要|想|跟|和|与|$)")
# An entry of a record that changes (公司法人变了, 公司换了法人, 店的地址要改): the entry, not the record's object. Said
# before a word of change or after one.
ENTRY_WORDS = ("法定代表人", "法人代表", "法人", "负责人", "名字", "姓名", "名称", "地址", "住址", "住所", "电话号码", "电话", "手机号码",
               "手机号", "联系方式", "股东", "经营范围", "注册资本",
               # session 15 (search14): the other entries of a business registration (营业执照的登记事项)
               "字号", "店名", "招牌名", "经营场所", "营业场所", "经营地址", "经营者", "投资人", "出资人", "出资额", "注册资金",
               "执行事务合伙人", "合伙人", "企业类型", "公司类型")
_ENTRIES = "|".join(sorted(ENTRY_WORDS, key=len, reverse=True))
# Words of change said after the entry (法人要换人, 地址搬了, 经营范围要加一项, 股东变了) or before it (换个法人, 增加注册资本,
# 加一项经营范围): 加/添/增/减/搬 change an entry as much as 变/换/改 do (session 15).
_CHANGE_AFTER = "变|换|改|更|加|添|增|减|搬|调整|退出|退了|加入|进来"  # 股东退出了, 合伙人加入
_CHANGE_BEFORE = "换了个|换了|换个|换成|变更|更换|改了|改个|改下|改一下|增加|加个|加一项|加一个|添个|添一项|减少|减掉|调整"
_ENTRY_CHANGED_RES = (re.compile(f"({_ENTRIES})(?=(?:要|想|已经|都|也|需要|准备|打算|得)?(?:{_CHANGE_AFTER}))"),
                      re.compile(f"(?:{_CHANGE_BEFORE})({_ENTRIES})"))
# Words saying an action is not yet done (还没上牌): the question is then on the side of a name's 未X (未注册登记的机动车…).
NOT_YET_WORDS = ("还没有", "还没", "没有", "尚未", "没", "未")
# The asker bought the thing (新买的车, 刚提的车子, 购买的新车): it is sold, so a name's 未销售 (a dealer's unsold car)
# is the other side; 没卖出去, 还没卖 say the unsold side.
BOUGHT_RE = re.compile(r"买|购|提车|提的车|提了")
UNSOLD_RE = re.compile(r"(?:还没有|还没|没有|尚未|没|未)(?:卖|售|销售|出售)")


def sale_side(text: str) -> bool | None:
    """True when the question says the thing was bought (it is sold), False when it says it is not yet sold,
    None when it says neither."""
    if UNSOLD_RE.search(text):
        return False
    return True if BOUGHT_RE.search(text) else None
# The employer in a labour dispute (公司不给工资, 单位欠了我工资, 老板把我辞退了): who did it, not what the question is
# about, so 公司 does not pull 公司备案. An employer word followed (a few filler words apart) by a word of the dispute.
EMPLOYER_WORDS = ("公司", "单位", "厂里", "工厂", "厂子", "老板", "企业", "包工头", "工头", "店里", "老板儿")
DISPUTE_CUES = ("不给", "不发", "不付", "拖欠", "拖着", "欠", "克扣", "扣了", "扣我", "辞退", "开除", "炒了", "不签", "不买", "不交",
                "不缴", "违法", "不让")
_EMPLOYER_RE = re.compile("(" + "|".join(sorted(EMPLOYER_WORDS, key=len, reverse=True)) + ")(?=(?:把我|给我|又|都|还|一直|已经|老是|硬是|就)?(?:"
                          + "|".join(sorted(DISPUTE_CUES, key=len, reverse=True)) + "))")
# Action families that exclude each other, each as (the words a question says it with, the words
# names do it with). A question saying one family of a pair and not the other rules out the names
# whose action holds the other's words and none of its own.
CLOSING = (("注销", "歇业", "关门", "不开了", "不做了", "不干了", "不搞了", "散伙", "倒闭", "解散", "关掉", "不想干了", "不想做了",
            "不想开了", "开不下去", "做不下去", "办不下去", "撑不下去", "停业", "关了", "不办了"), ("注销",))
FOUNDING = (("设立", "开办", "新办", "新设", "首次", "初次"),
            ("设立", "新设", "开办", "新办", "首次申领", "初次申领", "初学申领", "注册登记"))
CHANGE = (("变更", "更正", "错了", "写错", "填错", "弄错", "搞错", "有误", "改了", "要改", "想改", "改一下", "改个", "改成", "更改",
           "修改", "改名", "变了", "变化", "不一样"), ("变更", "更正"))
REPLACEMENT = (("补领", "补发", "补办", "补证", "补一", "补个", "丢了", "掉了", "遗失", "挂失", "不见了", "损毁"),
               ("补领", "补发", "补办", "补证", "挂失"))
# what a ruled-out founding also rules out: an item's plain form (申领, 登记, 核发) is its first issue
FOUNDING_WORDS = FOUNDING[1]
# A lost or damaged licence is replaced, not closed: 个体户执照掉了 is 营业执照遗失补领, not 个体工商户注销登记.
# Session 15: giving up part of a licence (降级, 降成C1, 不想要了) is not adding to it (增加准驾车型, 增驾); moving a
# household registration in (迁过来, 迁进, 迁到…来) is not moving it out (迁出, 迁往), and the other way round; closing
# is not changing an entry (a question saying one wants the other's siblings least).
LOWERING = (("降级", "降低", "降为", "降成", "降到", "降档", "降驾", "降回", "不想要了", "不要了", "不想开了", "只留"), ("降低", "减少", "降级"))
RAISING = (("增驾", "增加准驾", "加驾", "升级", "升为", "升到", "考个", "增考"), ("增加", "增驾"))
# (the words a question says it with are only the unambiguous ones: 迁回老家去 is out, 投靠儿子迁过去 in; moving_direction
# reads the rest and search adds its direction to the question's actions)
MOVING_IN = (("迁入", "迁过来", "迁进", "迁来", "落户", "搬过来", "迁到这"), ("迁入", "落户"))
MOVING_OUT = (("迁出", "迁走", "迁往", "迁出去"), ("迁出", "迁往"))
SETTLING_WORDS = ("投靠", "落户")  # joining a relative or settling: in, whatever way the move is said
# Places a travel document is for exclude each other too: 去台湾 is never the 港澳 item (申办往来港澳签注) where a 台湾
# one exists, 去香港 never the 台湾 one.
TAIWAN = (("台湾", "赴台", "去台", "到台", "台胞"), ("台湾", "港澳台"))  # 港澳台 names are for Taiwan too
HONG_KONG_MACAO = (("港澳", "香港", "澳门", "赴港", "去港", "到港"), ("港澳", "香港", "澳门"))
OPPOSED_ACTIONS = ((CLOSING, FOUNDING), (CHANGE, REPLACEMENT), (CHANGE, FOUNDING), (REPLACEMENT, FOUNDING),
                   (REPLACEMENT, CLOSING), (LOWERING, RAISING), (MOVING_IN, MOVING_OUT), (CLOSING, CHANGE),
                   (TAIWAN, HONG_KONG_MACAO))
# What is already done is not what is asked: "营业执照办好了，还要食品经营许可" asks for the food licence.
DONE_MARKERS = ("已经办好了", "已经办好", "已经办了", "已经拿到了", "已经有了", "办好了", "办完了", "办下来了", "拿到了", "领到了",
                "已办好", "已办理")
DONE_SPAN = 8  # characters before a done marker taken as the thing done
# The same said the other way round, the marker before the thing (拿到了电工证，技能补贴咋个领; 已经有了营业执照，还要办啥):
# the object term right after one of these (a measure word apart) is what the asker already has.
DONE_BEFORE = ("已经拿到了", "已经有了", "已经办了", "已经领了", "拿到了", "考到了", "考起了", "领到了", "取得了", "办好了", "办下来了",
               "有了", "办了", "领了", "考了")
_DONE_BEFORE_RE = re.compile("(?:" + "|".join(sorted(DONE_BEFORE, key=len, reverse=True)) + ")(?:一个|一本|一张|个|本|张)?$")
ASKING_WORDS = ("还要", "还需要", "还得", "还想", "现在", "然后", "想", "要")
_DONE_RE = re.compile("|".join(sorted(DONE_MARKERS, key=len, reverse=True)))
_ASKS_RE = re.compile("|".join(sorted(ASKING_WORDS, key=len, reverse=True)))
_PURPOSE_RE = re.compile("|".join(PURPOSE_WORDS))
_MARKER_RE = re.compile("(" + "|".join(PURPOSE_MARKERS) + f")(.{{1,{PURPOSE_SPAN}}})")


@dataclass(frozen=True)
class Phrasing:
    purposes: tuple[tuple[int, int], ...] = ()  # spans of the question that say what for
    undone: tuple[tuple[str, str], ...] = ()  # (undo word, the action it undoes)

    def in_purpose(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.purposes)

    def cut(self, text: str) -> str:
        """`text` (the compact question) with purposes and undone actions blanked out."""
        chars = list(text)
        for start, end in self.purposes:
            chars[start:end] = " " * (end - start)
        out = "".join(chars)
        for word, action in self.undone:
            out = out.replace(word + action, " ")
        return out


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_AGE = r"(\d{2,3}|[五六七八九]十[一二三四五六七八九]?|一百)"
_AGE_RES = (re.compile(r"(?:年满|已满|满了|满|年过|过了|到了|超过)" + _AGE + r"(?:周岁|岁)?(?:了|以上)?"),
            re.compile(_AGE + r"(?:周岁|岁)(?:了|以上)?"))
AGE_MIN = 50
# An age beside a retirement (男的满60了办退休, 到了55岁退休手续) is the retirement age, not an age threshold of its own
# (达到规定年龄换证, 高龄津贴): written RETIREMENT_AGE, the lexicon's term for the retirement items. 退休金 says the
# pension only (满60了退休金咋个领 may be a resident's pension): no retirement asked.
RETIREMENT_AGES = range(AGE_MIN, 66)
RETIREMENT_AGE = "到退休年龄"


def _age_value(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "一百":
        return 100
    tens, _, ones = text.partition("十")
    return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)


def canonical_ages(text: str) -> str:
    """Ages said as a threshold (满70了, 七十岁了) as 年满70岁, or RETIREMENT_AGE beside a retirement; ages under
    AGE_MIN unchanged."""
    retiring = "退休" in text.replace("退休金", "")

    def canonical(match: re.Match) -> str:
        age = _age_value(match.group(1))
        if age < AGE_MIN:
            return match.group(0)
        return RETIREMENT_AGE if retiring and age in RETIREMENT_AGES else f"年满{age}岁"
    for pattern in _AGE_RES:
        text = pattern.sub(canonical, text)
    return text.replace("年满年满", "年满")


# Verb-object compounds people split with 个 / 了 / 一个 / 过 (离合词); the joined form is what names say.
SPLIT_VERBS = tuple(sorted("""
挂失 补证 办证 换证 领证 销户 上户 落户 立户 分户 过户 上牌 验车 结婚 离婚 退休 报案 办照 补照 办卡 补卡 换卡 参保 退保 停保
报税 退税 开证明 补证明 办执照 补执照 换执照 上户口 落户口 销户口
""".split(), key=len, reverse=True))
_SPLIT_RE = re.compile("|".join(f"({re.escape(v[0])})(?:了一个|了个|一个|个|了|过)({re.escape(v[1:])})" for v in SPLIT_VERBS))


# Pay withheld, said with who and how long between the verb and the pay (欠了我两个月工资, 拖欠我们半年的工资): the
# joined form (欠工资, 拖欠工资) is the lexicon's term.
_PAY_SPLIT_RE = re.compile(r"(拖欠|欠|克扣|扣|不给|不发)了?(?:我们|我|他们|他|大家)?"
                           r"(?:[\d一二两三四五六七八九十几半好多]+个?(?:多)?(?:月|年|天|周|星期))?的?(工资|薪水|加班费)")


# An account opened, said with the fund between the verb and 户 (开公积金户, 开个社保账户): the lexicon's 开户 with its fund.
_ACCOUNT_SPLIT_RE = re.compile(r"开(?:一个|个|了)?(住房公积金|公积金|社保|医保|养老保险)的?(?:账户|户头|户)")


def joined_verbs(text: str) -> str:
    """Split verb-object compounds joined again: 挂个失 → 挂失, 办了证 → 办证, 过个户 → 过户, 欠了我两个月工资 → 欠工资,
    开公积金户 → 公积金开户."""
    text = _SPLIT_RE.sub(lambda m: "".join(g for g in m.groups() if g), text)
    text = _ACCOUNT_SPLIT_RE.sub(lambda m: m.group(1) + "开户", text)
    return _PAY_SPLIT_RE.sub(lambda m: m.group(1) + m.group(2), text)


# 销 said alone is 注销 (户口要去销, 执照要销掉, 合作社不办了要销); the words it is part of keep it: 报销, 撤销,
# 吊销, 核销, 缴销 (other actions names use), 销售, 促销, 经销 … (selling), 开销, 花销 (spending), 销户 (its own
# lexicon term) and 销毁 (destroying).
_LONE_CANCEL_RE = re.compile(r"(?<![注报撤吊核缴促经推营开花代直包展分传外内热畅滞脱统购供产返抵勾冲取])销(?![售毁量路赃假户])")


def lone_cancels(text: str) -> str:
    """A lone 销 read as 注销: 户口要去销 → 户口要去注销; 报销, 销售, 撤销, 销户 are kept."""
    return _LONE_CANCEL_RE.sub("注销", text)


# A hospital elsewhere is care received elsewhere: 外地的医院, 省外大医院, 老家的医院 ask for 异地就医 (the
# patient's items: 异地就医备案, 工伤异地就医申请, 转诊转院到异地就医), not for 医院 → 医疗机构 (licensing one).
_CARE_ELSEWHERE_RE = re.compile(r"(?:外地|外省|省外|异地|市外|外市|老家)(?:的)?(?:大|三甲)?医院")


def care_elsewhere(text: str) -> str:
    """A hospital elsewhere read as 异地就医: 转到外地的医院去治 → 转到异地就医去治."""
    return _CARE_ELSEWHERE_RE.sub("异地就医", text)


# The passive as people say it: 遭 for 被 (川渝话: 遭偷了, 遭贼抢了) and an agent between 被 and the
# verb (被人偷了, 被小偷扒了); names and the lexicon say 被偷, 被盗.
_PASSIVE_RE = re.compile(r"[被遭](?:小偷|扒手|别人|贼娃子|贼|人)?(?:给)?(?=[偷抢盗扒烧撞骗])")


def plain_passives(text: str) -> str:
    """The passive in the lexicon's form: 遭偷了 → 被偷了, 被人抢了 → 被抢了, 遭贼偷了 → 被偷了."""
    return _PASSIVE_RE.sub("被", text)


def negated_kinds(forms: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds a term's official forms negate: 非机动车 negates 机动车."""
    return tuple(f[1:] for f in forms if f.startswith("非") and len(f) >= 3)


def contradicts(name: str, negated: tuple[str, ...]) -> bool:
    """The name is about a kind the question's term negates (机动车号牌 for 电动车 → 非机动车)."""
    return any(kind in name.replace("非" + kind, "") for kind in negated)


def purpose_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` says what something is for: purpose words and what follows a marker, unless a carrying marker
    (拿去, 拿来) is followed by the item's own verb said last (车子拿去检一哈, 社保卡拿去激活一下): that is what is asked."""
    spans = [m.span() for m in _PURPOSE_RE.finditer(text)]
    spans += [m.span(2) for m in _MARKER_RE.finditer(text)
              if not (m.group(1) in CARRYING_MARKERS and _OWN_VERB_RE.match(text, m.start(2)))]
    return sorted(set(spans))


def done_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` names what is already done (营业执照办好了, 执照已经拿到了): the words before a done
    marker, back to DONE_SPAN characters and never across a word that asks (还要, 想, 要 …)."""
    spans = []
    for match in _DONE_RE.finditer(text):
        start = max(0, match.start() - DONE_SPAN)
        asked = [m.end() for m in _ASKS_RE.finditer(text, start, match.start())]
        start = max([start, *asked])
        if match.start() - start >= 2:
            spans.append((start, match.start()))
    return spans


def done_before(text: str, objects: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where `text` names a thing already had, said after its done marker (拿到了电工证, 已经有了营业执照): the
    marker and the object term (`objects`: where object terms were found) that follows it at once."""
    return [(found.start(), end) for start, end in objects
            if (found := _DONE_BEFORE_RE.search(text, max(0, start - 8), start))]


def undone_actions(text: str, actions: tuple[str, ...]) -> list[tuple[str, str]]:
    """(undo word, action) pairs: an undo word followed at once by one of `actions` (longest first), and
    the one-word undoings (解挂 → (解挂, 挂失)): "挂失了现在找到了要解挂" asks for 解挂, not 挂失."""
    out = []
    for word in UNDO_WORDS:
        at = text.find(word)
        while at >= 0:
            rest = text[at + len(word):]
            action = next((a for a in actions if rest.startswith(a)), None)
            if action:
                out.append((word, action))
            at = text.find(word, at + 1)
    out += [(word, action) for word, action in CONTRACTED_UNDO if word in text and action in actions]
    return out


def attribute_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` names an entry on a document (身份证号码 in 驾照上的身份证号码变了) or an entry of a record that
    changes (法人 in 公司法人变了, 公司换了法人): search weighs it like a purpose when another object is named."""
    spans = [m.span(1) for m in _ATTRIBUTE_RE.finditer(text)]
    spans += [m.span(1) for pattern in _ENTRY_CHANGED_RES for m in pattern.finditer(text)]
    return [span for span in dict.fromkeys(spans) if not any(o != span and o[0] <= span[0] and span[1] <= o[1] for o in spans)]


# A person's own entry on a document (驾照上的住址, 社保卡上的电话号码) that changed: the holder's information changed,
# which official names call 信息变化 / 信息变更 (机动车驾驶人信息变化换证, 社保个人基本信息变更, 社会保障卡非关键信息变更).
PERSONAL_ENTRIES = ("名字", "姓名", "住址", "电话", "手机", "联系方式", "身份证号")  # 地址, 住所: a business's too
INFO_CHANGE = ("信息变化", "信息变更")


def personal_entry_changed(text: str) -> bool:
    """Whether `text` says a person's entry on a document changed or is to be changed (驾照上的住址电话换了)."""
    return any(any(w in m.group(1) for w in PERSONAL_ENTRIES) for m in _ATTRIBUTE_RE.finditer(text)) \
        and any(c in text for c in CHANGE[0] + ("换", "改", "变"))


def employer_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` names the employer of a labour dispute (公司 in 公司不给工资): search weighs it like a purpose
    when another object is named."""
    return [m.span(1) for m in _EMPLOYER_RE.finditer(text)]


def opposed_actions(text: str, actions: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the name words of the families asked, the name words they rule out), from the question's text
    and its lexicon action terms: 注销 rules out 设立, 写错了 rules out 补领."""
    def says(family: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
        cues, words = family
        return any(c in text for c in cues) or any(w in a for a in actions for w in words)
    wanted: list[str] = []
    ruled_out: list[str] = []
    for first, second in OPPOSED_ACTIONS:
        says_first, says_second = says(first), says(second)
        if says_first != says_second:
            wanted += (first if says_first else second)[1]
            ruled_out += (second if says_first else first)[1]
    return tuple(wanted), tuple(ruled_out)


def does_opposed(action: str, wanted: tuple[str, ...], ruled_out: tuple[str, ...]) -> bool:
    """A name's action (with its qualifier) holds a ruled-out word and none of the wanted ones.
    A ruled-out founding also rules out the plain form (`plain_is_founding`, knowledge/search.py)."""
    return any(w in action for w in ruled_out) and not any(w in action for w in wanted)


# Object first, verb last (户口咋个上, 证咋个补, 车子要去检一哈): the verb-object terms of the lexicon (上户口, 补证, 验车)
# are written verb first. A verb said last, after a question word (咋个, 哪门, 啷个, 怎么 …) or before 一哈/一下, takes the
# object named before it again, so the lexicon finds the term: 户口咋个上 → 户口咋个上户口.
FRONTABLE_VERBS = "上补换验检办迁销领考交取提报落挂"
VERB_LAST_QUESTIONS = ("咋个", "咋子", "哪门", "啷个", "怎么", "怎样", "如何", "咋", "该", "去哪里", "去哪", "在哪里", "在哪", "到哪里",
                       "到哪", "哪里")
VERB_LAST_TAILS = ("一哈", "一下", "哈")
_CLAUSE_END = r"(?=$|[^\u4e00-\u9fff]|[嘛呢哦啊吗呀哇不没得了])"
_FUNCTION_CHARACTERS = set("了个一下些次回哈过着的")  # 换了, 补个: not an object
VERB_LAST_REACH = 10  # characters before the question word searched for the verb's object
# A verb said last that no verb-object term takes: the action word it is short for (社保卡咋个补 → 补办).
LONE_VERBS = {"补": "补办", "换": "换领", "检": "检验", "验": "检验", "迁": "迁移"}
# 拿去/拿来 + a verb said last takes the thing to have it done, not for a purpose: the item's action, then a tail
# (一哈, 一下, 了) or the end of the clause. 拿去贷款, 拿来办公 keep the purpose (贷款 is no action of an item).
CARRYING_MARKERS = ("拿去", "拿来")
_OWN_VERB_RE = re.compile("(?:" + "|".join(ACTION_WORDS) + f"|[{FRONTABLE_VERBS}])(?:一[哈下个本张次]|哈|下|了|$|[^\u4e00-\u9fff])")


class VerbLast:
    """Verb-object terms (上户口, 补证) found when the object comes first and the verb last (户口咋个上)."""

    def __init__(self, terms: list[str]):
        by_object: dict[str, dict[str, str]] = {}
        for term in terms:
            if 2 <= len(term) <= 4 and term[0] in FRONTABLE_VERBS and term[0] not in term[1:] \
                    and not set(term[1:]) & _FUNCTION_CHARACTERS:
                by_object.setdefault(term[1:], {})[term[0]] = term
        self._terms = by_object
        self._objects = re.compile("|".join(re.escape(o) for o in sorted(by_object, key=len, reverse=True))) \
            if by_object else None
        asks = "|".join(VERB_LAST_QUESTIONS)
        tails = "|".join(VERB_LAST_TAILS)
        self._verb_re = re.compile(f"(?:{asks})([{FRONTABLE_VERBS}]){_CLAUSE_END}|([{FRONTABLE_VERBS}])(?:{tails})")

    def join(self, text: str) -> str:
        """`text` with each verb said last followed by its object again (户口咋个上 → 户口咋个上户口): the nearest object
        before it, within VERB_LAST_REACH characters, that a verb-object term pairs with it. With none, a verb of
        LONE_VERBS is read as the action word it is short for (社保卡咋个补 → 社保卡咋个补办, 车子去检一哈 → 检验)."""
        edits = []
        for match in self._verb_re.finditer(text):
            group = 1 if match.group(1) else 2
            verb, at = match.group(group), match.start(group)
            window_start = max(0, match.start() - VERB_LAST_REACH)
            objects = [m for m in self._objects.finditer(text, window_start, match.start())] if self._objects else []
            paired = [m.group(0) for m in objects if verb in self._terms[m.group(0)]]
            if paired:
                edits.append((at, verb + paired[-1]))
            elif verb in LONE_VERBS and (group == 1 or verb in "检验"):
                edits.append((at, LONE_VERBS[verb]))
        for at, replacement in reversed(edits):
            text = text[:at] + replacement + text[at + 1:]
        return text


# Session 15 (search14): the action a question implies without saying its official word.
# - An entry of a registration added or changed (经营范围要加一项, 法人要换人, 地址搬了, 股东变了) asks for a 变更.
# - A registered body ended the colloquial way (公司散伙了, 个体户不干了, 店子关门了) asks for a 注销: the closing cue
#   counts only beside a word of a registered body, so 工作不干了 or 手机关掉 ask for nothing.
# - A household registration moved in (迁到江北来, 迁过来) asks for a 迁入, moved out (迁到外省去) for a 迁出.
BODY_WORDS = ("公司", "企业", "个体户", "个体", "工商户", "店", "铺", "门面", "生意", "厂", "作坊", "合伙", "合作社", "协会", "商会",
              "社团", "团体", "民办", "执照", "工作室", "商行", "馆", "超市", "诊所", "学校", "培训机构")
ENTRY_CHANGE_ACTION, CLOSING_ACTION, MOVING_IN_ACTION, MOVING_OUT_ACTION, SETTLING_ACTION = "变更", "注销", "迁入", "迁出", "落户"
_MOVED_TO_RE = re.compile(r"迁(?:到|回|往)?.{0,8}?(来|去)(?!哪|办|问|找|咨询|申请)")  # 迁移去哪里办: 去 is the asker going


# A registered body that moves (小作坊搬地方了, 店子搬了): its premises, an entry of its registration, changed.
_BODY_MOVED_RE = re.compile("(?:" + "|".join(BODY_WORDS) + ")(?:要|已经|都|也|准备|打算)?搬")


def entry_changed(text: str) -> bool:
    """Whether `text` says an entry of a record is added or changed (法人要换人, 加一项经营范围, 地址搬了, 店子搬了)."""
    return any(pattern.search(text) for pattern in _ENTRY_CHANGED_RES) or bool(_BODY_MOVED_RE.search(text))


def closing_asked(text: str) -> bool:
    """Whether `text` ends a registered body the colloquial way (公司散伙了, 店子关门了, 个体户不想干了)."""
    return any(c in text for c in CLOSING[0]) and any(w in text for w in BODY_WORDS)


def moving_direction(text: str) -> str:
    """迁入 for a registration moved here (迁过来, 迁到江北来, 迁进), 迁出 for one moved away (迁到外省去, 迁走), else ""."""
    if any(w in text for w in SETTLING_WORDS):
        return MOVING_IN_ACTION
    ends = {match.group(1) for match in _MOVED_TO_RE.finditer(text)}  # 迁到…来 / 迁回老家去: the ending decides
    said_in = "来" in ends or (not ends and any(c in text for c in (*MOVING_IN[0], "迁回")))
    said_out = "去" in ends or (not ends and any(c in text for c in MOVING_OUT[0]))
    return MOVING_IN_ACTION if said_in and not said_out else MOVING_OUT_ACTION if said_out and not said_in else ""


# Giving up part of a driving licence (降成C1, 不要B照了, 只留小车): said beside a word of the licence or its classes, it
# asks for the licence exchanged for a lower class (…降低准驾车型换证): the object and the action official names use.
_LOWERING_RE = re.compile(r"降(?:级|低|为|成|到|档|驾|回)|不(?:想|再)?要(?:了|.{1,4}?了)|只(?:留|保留|要|开)")
_LICENCE_RE = re.compile(r"驾照|驾驶证|驾驶本|准驾|车型|[abc][1-3]|[abc]照")
LOWERED_LICENCE, LOWERED_ACTIONS = "降低准驾车型", ("换证", "降低")


def lowering_asked(text: str) -> bool:
    """Whether `text` gives up part of a driving licence (驾照降级, 不要B照了换成C照, A2不想开了只留C1)."""
    return bool(_LOWERING_RE.search(text) and _LICENCE_RE.search(text))


# Entries only a business registration has (股东要加一个人, 经营范围要加一项): changed with no registered body named, the
# record is a business's, which official names call 公司 or 企业 (公司变更登记, 内资企业及分支机构变更登记).
BUSINESS_ENTRIES = ("法定代表人", "法人代表", "法人", "股东", "经营范围", "注册资本", "注册资金", "字号", "投资人", "出资人", "出资额",
                    "执行事务合伙人", "企业类型", "公司类型")
BUSINESS_RECORD = "公司"


def _business_entry_changed(text: str) -> bool:
    return any(any(w in m.group(1) for w in BUSINESS_ENTRIES) for pattern in _ENTRY_CHANGED_RES
               for m in pattern.finditer(text))


def business_record(text: str) -> str:
    """`text` with the business it is about said first when it changes a business's entry and names no registered
    body: 股东要加一个人 → 公司股东要加一个人 (the entry then qualifies the company, as in 公司股东变了)."""
    if _business_entry_changed(text) and not any(w in text for w in BODY_WORDS):
        return BUSINESS_RECORD + text
    return text


def implied_objects(text: str) -> tuple[str, ...]:
    """The official object words `text` implies (search.py adds them to the question's object terms): the lowered
    licence, and the registered body whose entry changed (公司 of 公司地址搬了, where the lexicon's 公司地址 holds it)."""
    out = [LOWERED_LICENCE] if lowering_asked(text) else []
    if entry_changed(text):
        out += [w for w in BODY_WORDS if len(w) >= 2 and w in text and not any(w in o and w != o for o in BODY_WORDS if o in text)]
    return tuple(out)


def implied_actions(text: str) -> tuple[str, ...]:
    """The official action words `text` implies (knowledge/search.py adds them to the question's action terms)."""
    out = list(LOWERED_ACTIONS) if lowering_asked(text) else []
    if entry_changed(text) and not personal_entry_changed(text):  # a holder's entry: 信息变化 (search.py), not 变更
        out.append(ENTRY_CHANGE_ACTION)
    if closing_asked(text):
        out.append(CLOSING_ACTION)
    if moving := moving_direction(text):
        out.append(moving)
        if moving == MOVING_IN_ACTION:  # what names of moving in say: …落户 (夫妻投靠落户, 购买成套住房落户)
            out.append(SETTLING_ACTION)
    return tuple(out)


# A thing named as background (我房子在江北, 买了房子, 我有个车): where the asker lives, what they own or bought, said
# before what is asked about (小孩上学, 户口迁过来, 驾照要换). The object term is then weighed like a purpose (cut from the
# text that decides the object) when another object is named; alone (我有辆车要过户) it stays the object.
OWNING_BEFORE = ("刚买了", "买了", "我有个", "我有辆", "我有套", "我有台", "有一套", "有一辆", "有一个", "有个", "有辆", "有套",
                 "有台", "家里有", "屋头有")
_OWNING_RE = re.compile("(?:" + "|".join(sorted(OWNING_BEFORE, key=len, reverse=True)) + ")(?:一个|一套|一辆|一台|个|套|辆|台)?$")
_TOPIC_RE = re.compile(r"(?:那边|那头|那块|那里|方面)")
_LOCATED_RE = re.compile(r"(?:就|是|都|也)?在")  # 房子在江北, 房子是在观音桥
# whose the located thing is: the asker's (我房子在江北, 我们家的车在外地), not a step's (验收在哪个阶段)
_MINE_RE = re.compile(r"(?:我|我们|我家|屋头|家里|我屋头)(?:的|家的)?$")
# the body that wants something, said first (公司想买点发票, 我们单位要领发票): the thing wanted is what is asked;
# a thing said first is not a body (车子要去检一哈: the car is what is asked)
WANTING_BODIES = frozenset(BODY_WORDS) | frozenset(EMPLOYER_WORDS)
_SUBJECT_BEFORE_RE = re.compile(r"^(?:我|我们|我的|我们的|我家)?$")
_WANTS_RE = re.compile(r"(?:想|要|准备|打算|需要)")


def background_spans(text: str, objects: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where `text` names a thing only as background: an object term (`objects`) followed by 在 (我房子在江北), right
    after a word of owning or buying (买了房子, 有个车) or said first as the one who wants (公司想…), with another
    object named after it (the thing asked about comes
    after its background: in 贷款买了辆车还清了要解押 the car is what is asked)."""
    out = []
    # an object said as the side asked about (税务那边咋个弄, 社保那头要销): what comes before it is background
    topics = [s for s, e in objects if _TOPIC_RE.match(text, e)]
    for start, end in objects:
        if not any(s >= end for s, _ in objects):
            continue
        if any(s >= end for s in topics):
            out.append((start, end))
            continue
        if (_LOCATED_RE.match(text, end) and _MINE_RE.search(text, max(0, start - 5), start)) \
                or _OWNING_RE.search(text, max(0, start - 6), start) \
                or (text[start:end] in WANTING_BODIES and _SUBJECT_BEFORE_RE.match(text[:start]) and _WANTS_RE.match(text, end)
                    and not any(w in text[end:] for w in ENTRY_WORDS)):  # 公司要换法人: the company's own entry
            out.append((start, end))
    return out


# An animal named with a death word (狗死了, 宠物狗老死了, 狗狗没了): the death is the animal's, whose licence is cancelled
# (犬只登记注销, 养犬登记注销), not a person's (死亡注销户口). The forms a lexicon object holds when it names an animal,
# the forms a death word holds, and the action the death then asks for.
ANIMAL_FORMS = ("犬", "养犬", "犬只", "宠物")
DEATH_FORMS = ("死亡",)
ANIMAL_DEATH_ACTION = ("注销",)
