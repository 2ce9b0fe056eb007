"""Where a complaint ends and a question begins, for a message the interpreter has read.

A complaint is about something that went wrong with a person, a business or a public thing
(a driver who swore, a shop that will not refund, a street lamp out for a month); a question is
about how to do a service. Two mistakes sat on that boundary (issue #15, conversation round 10):

- told wrongs with no complaint word were searched, and the search always finds something
  ("药店卖假药" → 药品零售企业许可, "水管爆了" → a sewage permit), so the complaint got a guide;
- the classifier's `complain` alone made a complaint of any message without a question word,
  so "住房公积金贷款办理地址" or "个体户注销流程" were sent to 12345 instead of answered.

`settle` corrects both: a told wrong that asks nothing is a complaint whatever the search finds;
a message that is a complaint only because the classifier said so is a question when it asks an
aspect of a service the catalog clearly names. The words are in actions.dialogue.words.
"""
from __future__ import annotations

from collections.abc import Callable

from actions.dialogue import interpreter as moves
from actions.dialogue import words as w
from actions.dialogue.choosing import names_a_service, names_item
from actions.dialogue.interpreter import Move, aspects_in, residue
from knowledge.normalize import compact, normalize


def asks_something(text: str) -> bool:
    """The message asks something (a question word, a how-to, a wish to do a service), once the
    rhetoric of a complaint is set aside ("这是什么服务", "万一有人掉下去咋整" ask nothing)."""
    bare = compact(w.RHETORIC.sub("，", normalize(text)))
    return bool(w.QUESTION_CUES.search(bare) or w.SERVICE_ASKS.search(bare) or w.WANTS_A_SERVICE.search(bare)
                or w.ASKS_TOO.search(bare) or moves.asks_about_complaining(text)
                or any(w.INFORMATION_WISH.search(c) for c in moves.clauses_of(normalize(text))))


def told_wrong(text: str, item_on_table: bool = False, names_service: Callable[[str], bool] | None = None) -> bool:
    """Something that went wrong with a person, a business or a public thing, told and not asked.
    A document that is broken or lost is a service (身份证坏了 → 损毁换证), not a broken public thing,
    and so is "坏了" said of the item being discussed. `names_service(text)`: the message names an item
    by its name or an alias ("工地上摔伤了，工伤认定…"), which a broken thing or a third party told
    beside it does not make a complaint."""
    if asks_something(text):
        return False
    bare = compact(w.RHETORIC.sub("，", normalize(text)))
    if w.WRONG_DONE.search(bare) or w.NUISANCE.search(bare):
        return True
    if w.NOBODY_ACTS.search(bare) and not w.DOCUMENT_THING.search(bare):
        return True  # "盖板不见了 没得人管": a public thing nobody acts on, whatever happened to it
    if w.DOCUMENT_THING.search(bare) or item_on_table:
        return False
    if w.AGENT_REPORTS.match(bare):
        return True  # "来电人反映其小区自来水浑浊": the agent filed a report, and nothing is asked
    if w.THING_WENT_WRONG.search(bare):
        return not (names_service and names_service(text))
    if w.LOST.search(bare) or any(cue.search(bare) for cue, _markers in w.QUALIFIERS):
        return False  # what happened to the asker's own things ("身分正丢在出租车上了")
    return bool(w.THIRD_PARTY.search(bare) and w.STATEMENT_MARK.search(bare)) and not (names_service and names_service(text))


def wrong_beside_question(text: str, names_item: Callable[[str], bool]) -> bool:
    """Somebody's wrong or a nuisance told with a question about the wrong itself ("拖欠工资三个月，我们该
    怎么办", "油烟噪音扰民，应该找哪个部门", "开发商一直拖着不给说法，政府管不管"): a complaint for 12345.
    Not when the question names an item, asks how to do a service (a verb of doing: 交, 申请, 办理…),
    wishes to use one (想调解, 去哪里告) or asks about complaining itself (怎么投诉: the complaint items)."""
    bare = compact(w.RHETORIC.sub("，", normalize(text)))
    if moves.asks_about_complaining(text):
        return False
    if w.WISHES.search(bare) or w.WANTS_A_SERVICE.search(bare):
        return False
    clauses = moves.clauses_of(normalize(text))
    wrong = [c for c in clauses if w.WRONG_DONE.search(compact(c)) or w.NUISANCE.search(compact(c))]
    if not wrong:
        return False
    # the clauses that ask (the others tell the story: "逾期交房一年了" is no service asked)
    asking = [c for c in clauses if asks_something(c) or w.RHETORIC.search(c)]
    asked = [c for c in asking if c not in wrong] or [w.WRONG_DONE.sub("，", w.NUISANCE.sub("，", c)) for c in asking]
    words = "，".join(asked)
    if w.SERVICE_VERB.search(compact(words)):
        return False
    left = residue(words)
    return not (len(left) >= 2 and names_item(left))


def settle(move: Move, raw: str, intent: str | None, reinterpret: Callable[[], Move], catalog,
           item_on_table: bool = False) -> Move:
    """The move after the complaint boundary: `reinterpret()` reads the message again without the
    classifier's intent (only called for a complaint the classifier alone made). A correction
    ("我说的是损坏了要换") is never a complaint."""
    wrong = told_wrong(raw, item_on_table, lambda text: _named(catalog, text))
    if move.kind == moves.QUESTION and not move.correction and moves.COMPLAINT not in move.notes and (
            wrong or (asks_something(raw) and wrong_beside_question(raw, lambda words: names_item(catalog, words)))):
        return Move(moves.COMPLAINT, text=compact(move.text or raw), agent=move.agent)
    if move.kind != moves.COMPLAINT or intent != "complain" or wrong:
        return move
    plain = reinterpret()
    if plain.kind == moves.COMPLAINT or not _asks_a_service(plain, catalog):
        return move
    return plain


NOUN_QUERY_MAX = 20  # "住房公积金贷款办理地址": a query typed as a noun phrase is short; a letter is long


def _asks_a_service(move: Move, catalog) -> bool:
    """An aspect or a how-to of something the catalog names ("住房公积金贷款办理地址", "公积金取不出来
    去哪里办"). Only short messages: a long statement that asks nothing is a letter, whatever aspect
    words (时间, 电话, 费用) its story holds."""
    if move.kind not in (moves.QUESTION, moves.ASPECT) or len(compact(move.text)) > NOUN_QUERY_MAX:
        return False
    asked = [a for a in (move.aspects or aspects_in(move.text)) if a != "overview"]
    if not asked and not (w.SERVICE_ASKS.search(move.text) or w.WANTS_A_SERVICE.search(move.text)):
        return False
    if move.kind == moves.ASPECT:
        return True  # a follow-up of the item on the table
    return names_a_service(catalog.search(move.text), move.text) or names_item(catalog, residue(move.text))


def _named(catalog, text: str) -> bool:
    """The search's best item was found by a name or an alias the message holds."""
    best = catalog.search(text).best
    return bool(best is not None and best.matched)
