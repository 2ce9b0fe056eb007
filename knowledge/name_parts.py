"""An official item name's object and action, and how much of each a question covers.

Official names are compositional: an object (机动车号牌, 住房公积金, 社会保障卡) and an
action (补领, 变更登记, 提取), plus qualifiers in brackets (（新增）, （市级）). The object
decides the family of items, the action picks within it, so search weighs a covered object
above a covered action. Coverage is measured on character bigrams weighted by how rare the
bigram is among the catalog's names: words every other name has (登记, 办理, 申请, 证明,
服务) barely count, which is what keeps 变更 + 登记 from outvoting 机动车.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

# Official action words, longest first when stripped from the end or start of a name.
ACTION_WORDS = sorted(set("""
变更登记 注销登记 设立登记 转移登记 注册登记 抵押登记 首次登记 更正登记 异议登记 预告登记 查封登记 备案登记
有效期满 期满 损毁 遗失 挂失 新办 补领 补发 补办 补证 换领 换发 换证 核发 申领 领取 初次申领 首次申领 延续 延期 注销 变更 撤销 更正 迁移 迁入 迁出
转移 转出 转入 转移接续 提取 缴存 交存 使用 退还 返还 查询 打印 查询打印 出具 开具 审批 审核 审查 核准 批准 许可
认定 确认 鉴定 评定 备案 登记 申报 申请 给付 发放 支付 补贴 报销 结算 办理 服务 证明 考试 审验 检验 年检 注册
设立 新设 开办 受理 换届 变动 恢复 暂停 中止 终止 解除 取消 调整 核定 核查 复核 复查 认证 授予 颁发 签发 签注
初学申领 发放 续期 报装 预约 解挂 重置 启用 激活 支取 互转 复审 取证 咨询 政策咨询 咨询服务
采集 信息采集 数据采集
补缴 修改 更名 转让 作废 歇业 停业 复业 缴销 退费 年度审验 年度检验 报告
修缮 移植 砍伐 拆除 挖掘 占用 改动 修建 迁建 改建 扩建 拆迁 安装 拆卸
""".split()), key=lambda w: (-len(w), w))  # a total order: never the hash seed's
# Actions after which a bracket without an action word says for whom or what (…账户维护（用人单位）).
_QUALIFIED_ACTIONS = (*ACTION_WORDS, "维护")
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
# A bracket may hold the item's real action (货物运输车辆道路运输证办理（换发）, …核发（补办）): the
# official action words, and those only brackets use (新增, 过户, 配发, 初领, 更换, 报停).
BRACKET_ACTION_WORDS = tuple(sorted(set(ACTION_WORDS) | {"新增", "过户", "配发", "初领", "更换", "报停"},
                                    key=lambda w: (-len(w), w)))
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class NameParts:
    object: str
    action: str
    qualifier: str
    actions: tuple[str, ...] = ()  # the action words `action` is made of, in order


# Leading words that say whose item it is (residents of the mainland, Chinese citizens), not its object.
SCOPE_PREFIXES = ("中国内地公民", "内地居民", "大陆居民", "中国公民")


def split_name(name: str) -> NameParts:
    """Object, action and bracketed qualifier of an official name (best effort, never empty object)."""
    qualifier = "".join(m.group(0) for m in _BRACKETS.finditer(name))
    core = _BRACKETS.sub("", name).strip()
    actions: list[str] = []
    changed = True
    if core.startswith("对") and len(core) > 4:  # 对公民法律援助申请的审批: 对 only introduces the object
        core = core[1:]
    for scope in SCOPE_PREFIXES:  # 内地居民结婚登记: who may apply, not what the item is about
        if core.startswith(scope) and len(core) - len(scope) >= 4:
            qualifier = scope + qualifier
            core = core[len(scope):]
            break
    while changed and len(core) > 2:
        changed = False
        core = core.rstrip("、，,和及与或/的")  # 补发、换发: a list of actions; 申请的审批
        for word in ACTION_WORDS:
            if core.endswith(word) and len(core) - len(word) >= 2:
                actions.insert(0, word)
                core = core[: -len(word)]
                changed = True
                break
    leading, lead_at = True, 0
    while leading:  # leading actions: 补领结婚证, 申领居民身份证, 占用、挖掘城市道路
        leading = False
        for word in ACTION_WORDS:
            if core.startswith(word) and len(core) - len(word) >= 2:
                actions.insert(lead_at, word)
                lead_at += 1
                core = core[len(word):].lstrip("、，,和及与或/")
                leading = True
                break
    core = core.rstrip("的之和及与、，,/")
    if not actions:  # an action inside: 购买自住住房提取住房公积金 -> 住房公积金 / 提取
        for word in ACTION_WORDS:
            at = core.find(word, 2)
            if len(word) >= 2 and at >= 2 and len(core) - at - len(word) >= 2:
                actions.append(word)
                if word in CHANGE_VERBS:  # 食品经营许可变更法定代表人: the licence is changed, 法定代表人 is the entry
                    return NameParts(core[:at], word + core[at + len(word):], qualifier, tuple(actions))
                qualifier = core[:at] + qualifier
                core = core[at + len(word):]
                break
    return NameParts(core or name, "".join(actions), qualifier, tuple(actions))


# Change verbs inside a name are followed by the entry changed, not by the object (…许可变更住所).
CHANGE_VERBS = ("变更", "更正", "修改")


# What an item does when the question names no action: 残疾证怎么办 asks for the first issue.
DEFAULT_ACTIONS = ("新办", "申领", "首次申领", "初次申领", "初学申领", "首次签发", "签发", "核发", "登记", "设立登记", "设立", "新设",
                   "注册登记", "认定", "申请", "备案", "许可", "办理")


_FIRST_ISSUE = ("新增", "新办", "新设", "设立", "首次", "初次")


# Words that add nothing to a default action: 备案发放, 申请的审批, 新办审批 are still the plain form.
NEUTRAL_ACTIONS = ("发放", "审批", "办理", "核发", "受理", "申请", "许可", "审核")


def is_default_action(parts: NameParts) -> bool:
    """The plain form of an item: no action or a first-issue one, and no 注销/变更 in brackets."""
    # only brackets say the action (（注销）); a qualifier said before the name's action (未注册登记的机动车) is its subject
    bracketed = "".join(_BRACKETS.findall(parts.qualifier))
    first_issue = any(w in bracketed for w in _FIRST_ISSUE)
    if bracketed and not first_issue and any(w in bracketed for w in ACTION_WORDS if len(w) >= 2):
        return False
    if not parts.action or parts.action in DEFAULT_ACTIONS:
        return True
    return bool(parts.actions) and all(a in DEFAULT_ACTIONS or a in NEUTRAL_ACTIONS for a in parts.actions)


SPECIFIC_CREDIT = 0.8  # what covering a specific item's object (公司 of …（公司变更登记）) counts next to the name's own


def specific_names(name: str) -> list[str]:
    """Brackets naming the specific item under a category's name (内资企业及分支机构变更登记（公司变更登记）, a district
    list's way): a bracket that is a name of its own, object and action, doing the name's action. Session 15: its
    object is the item's object too (PartIndex), and it is found like a name (alternate_names)."""
    outer = split_name(_BRACKETS.sub("", name))
    out = []
    for match in _BRACKETS.finditer(name):
        inner = match.group(0)[1:-1]
        parts = split_name(inner)
        if outer.action and parts.action == outer.action and len(parts.object) >= 2 and parts.object != inner:
            out.append(inner)
    return out


def alternate_names(name: str) -> list[str]:
    """Bracketed alternate names (职业介绍（求职登记）, 最高投标限价（招标控制价）): a bracket of 4+ characters
    that is not a scope or level qualifier. Search treats them as further names of the item. A bracket
    after the name's action that holds no action itself says for whom or what the action is done
    (…发放账户维护（用人单位）, 丧葬补助金申领（养老保险）): a qualifier, not a name to find in questions."""
    return [inner for inner, qualifies in _named_brackets(name) if not qualifies]


def action_qualifiers(name: str) -> list[str]:
    """The brackets that say for whom or what a name's action is done (（养老保险）, （用人单位））: they
    belong to the name's object, so a question naming them covers it (PartIndex), without being names."""
    return [inner for inner, qualifies in _named_brackets(name) if qualifies]


def _named_brackets(name: str) -> list[tuple[str, bool]]:
    """(bracket text, whether it qualifies the action) for the brackets of 4+ characters that are not a scope
    or level qualifier."""
    out = []
    for match in _BRACKETS.finditer(name):
        inner = match.group(0)[1:-1]
        if len(inner) < 4 or re.search(r"[级、，,/]|含|除|以外|以上|以下|新增|变更|注销|延续", inner):
            continue
        before = _BRACKETS.sub("", name[:match.start()])
        out.append((inner, before.endswith(_QUALIFIED_ACTIONS) and not any(w in inner for w in ACTION_WORDS)))
    return out


def bracket_actions(qualifier: str) -> str:
    """The action words inside a name's bracketed qualifiers, space-separated (（县级）, （含中外合资）: none)."""
    inside = " ".join(m.group(0)[1:-1] for m in _BRACKETS.finditer(qualifier))
    return " ".join(w for w in BRACKET_ACTION_WORDS if w in inside)


# 非 before a word negates it inside a name (民办非企业单位, 非公司企业法人, 非营利组织, 非机动车): the name is
# about what is not X. The negated word is the two characters after 非 (a shorter one says too little).
_NEGATED_RE = re.compile(r"非([\u4e00-\u9fff]{2})")


# 未 before an official action word negates that action (未注册登记的机动车核发临时行驶车号牌: the car is not yet
# registered, so the item is not the registration; 对未核定为文物保护单位的…: 核定), and so before a word of the
# sale (未销售的机动车…: a dealer's car nobody has bought yet). Only those: 未满十八岁, 未就业 say a condition of the
# person, not something done to the item's object.
SALE_WORDS = ("销售", "出售")
# Actions only a buyer does (a car is registered by whoever bought it): a question about one, done or not yet, is on
# the sold side, not about 未销售的… .
BUYERS_ACTIONS = ("注册登记",)
_NOT_YET_RE = re.compile("未(" + "|".join((*ACTION_WORDS, *SALE_WORDS)) + ")")


def negated_words(name: str) -> tuple[str, ...]:
    """The words a name negates (非公司企业法人变更登记: 公司; 未注册登记的机动车…: 注册登记); a word the name also
    holds un-negated (主要农作物…或非主要农作物种子) is not negated."""
    out = []
    for word in dict.fromkeys(_NEGATED_RE.findall(name)):
        if word not in name.replace("非" + word, ""):
            out.append(word)
    for word in dict.fromkeys(_NOT_YET_RE.findall(name)):
        if word not in name.replace("未" + word, ""):
            out.append(word)
    return tuple(out)


_ALTERNATIVES = re.compile(r"[/\\／]")


def object_alternatives(obj: str) -> list[str]:
    """An object's alternatives when a slash joins them (拖拉机/联合收割机), else the object itself. Each
    side has three characters or more: 残疾类别/等级 is one object (等级 alone says nothing)."""
    parts = _ALTERNATIVES.split(obj)
    return parts if len(parts) >= 2 and all(len(p) >= 3 for p in parts) else [obj]


def bigrams(text: str) -> set[str]:
    """Character bigrams of the CJK runs (single characters for a one-character run)."""
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out.add(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


class PartIndex:
    """Every item's object and action bigrams, weighted by rarity among the names."""

    def __init__(self, names: dict[str, str]):
        self.parts = {code: split_name(name) for code, name in names.items()}
        frequency: Counter[str] = Counter()
        for name in names.values():
            frequency.update(bigrams(name))
        n = max(len(names), 1)
        self.weight = {b: math.log(1 + n / (1 + f)) for b, f in frequency.items()}
        self._default = math.log(1 + n)
        # 拖拉机/联合收割机: either object is the item's object, so a question covers the name's object by
        # covering one alternative (拖拉机), not by half of both together
        self.objects = {code: tuple(self._weighted(bigrams(a)) for a in object_alternatives(p.object)) +
                        tuple(self._weighted(bigrams(f"{p.object} {q}")) for q in action_qualifiers(names[code]))
                        for code, p in self.parts.items()}
        # the specific item's object under a category's name (公司 of …变更登记（公司变更登记）), credited at SPECIFIC_CREDIT
        self.specific = {code: tuple(self._weighted(bigrams(split_name(s).object)) for s in specific)
                         for code in names if (specific := specific_names(names[code]))}
        self.actions = {code: self._weighted(bigrams(f"{p.action} {bracket_actions(p.qualifier)}"))
                        for code, p in self.parts.items()}
        self.default = {code: is_default_action(p) for code, p in self.parts.items()}
        # what the action is done for or on, said before it (租赁住房提取住房公积金: 租赁住房), brackets left out
        self.qualifiers = {code: self._weighted(bigrams(_BRACKETS.sub("", p.qualifier)))
                           for code, p in self.parts.items() if _BRACKETS.sub("", p.qualifier)}

    def _weighted(self, grams: set[str]) -> tuple[tuple[tuple[str, float], ...], float]:
        pairs = tuple((b, self.weight.get(b, self._default)) for b in sorted(grams))
        return pairs, sum(w for _, w in pairs)

    def qualifier_coverage(self, code: str, terms: set[str]) -> float:
        """How much of the name's unbracketed qualifier (租赁住房 of 租赁住房提取住房公积金) `terms` cover."""
        weighted = self.qualifiers.get(code)
        return _cover(weighted, terms) if weighted else 0.0

    def coverage(self, code: str, object_terms: set[str], action_terms: set[str]) -> tuple[float, float]:
        """(object coverage, action coverage) in [0, 1], rarity-weighted."""
        covered = max(_cover(o, object_terms) for o in self.objects[code])
        if code in self.specific:
            covered = max(covered, SPECIFIC_CREDIT * max(_cover(o, object_terms) for o in self.specific[code]))
        return covered, _cover(self.actions[code], action_terms)


def _cover(weighted: tuple[tuple[tuple[str, float], ...], float], have: set[str]) -> float:
    pairs, total = weighted
    if not total:
        return 0.0
    return sum(w for b, w in pairs if b in have) / total
