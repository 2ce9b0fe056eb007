"""The trained model's intent boundaries, on texts of our own that are not training examples.

The model is loaded in the Rasa environment (a subprocess); what matters for the dialogue:
agents' summaries and long guide questions are never a complaint or out of scope, pasted
application numbers start the progress form, nonsense falls back (or, a little longer, is
out of scope: "咕叽咕叽啦啦啦" scored 0.11 — the hotline reply, never an action), and loading the model
leaves the root logger as it was (skops' import through numpy.distutils swapped it)."""
from __future__ import annotations

import json
import subprocess

import pytest

from tooling import services

pytestmark = pytest.mark.integration

PARSE = """
import asyncio, json, logging, sys
logging.basicConfig(level=logging.INFO)
from rasa.core.agent import Agent
agent = Agent.load(sys.argv[1])
root = logging.getLogger()
async def parse():
    return {text: (await agent.parse_message(text))["intent"]["name"] for text in json.loads(sys.stdin.read())}
print(json.dumps({"intents": asyncio.run(parse()), "root": [type(root).__name__, root.level]}))
"""

GUIDE = [
    "来电人咨询老年人优待证的办理材料，所在区县为江北区",
    "来电市民询问不动产登记资料查询的地点，所在区县为北碚区",
    "市民来电想了解养犬登记是否收费，所在区县为渝中区",
    "来电群众咨询灵活就业人员参保登记的办理流程，所在区县为巴南区",
    "我妈今年刚满55岁，在纺织厂干了30年，想问下她的退休手续要准备些啥子",
    "我们两个在綦江打工租房子住了三年多，娃儿明年要读幼儿园，居住证咋个办",
    "自家的皮卡车想在车斗上加个盖子，需不需要去车管所办手续",
    "屋头那套老房子想把厨房和饭厅之间的墙打掉，要不要报批",
]
PROGRESS = ["CQ 2026 1105 0003 781", "麻烦看一下cq202610300004519到哪了", "我的件现在审到哪一步了嘛"]
NONSENSE = ["咕叽咕叽啦啦啦", "zxcv qwop", "呜呜呜呜", "啦啦啦"]


@pytest.fixture(scope="module")
def parsed():
    texts = GUIDE + PROGRESS + NONSENSE + ["我的提醒有哪几个"]
    result = subprocess.run([str(services.VENVS / "rasa" / "bin" / "python"), "-c", PARSE, str(services.MODEL)],
                            input=json.dumps(texts), capture_output=True, text=True, cwd=services.ROOT,
                            env=services.base_env(), timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("text", GUIDE)
def test_summaries_and_long_guide_questions_are_no_side_intent(parsed, text):
    assert parsed["intents"][text] not in ("complain", "out_of_scope", "request_human", "stop")


@pytest.mark.parametrize("text", PROGRESS)
def test_application_numbers_and_progress_phrasings_ask_progress(parsed, text):
    assert parsed["intents"][text] == "query_progress"


@pytest.mark.parametrize("text", NONSENSE)
def test_nonsense_falls_back(parsed, text):
    assert parsed["intents"][text] in ("nlu_fallback", "out_of_scope")


def test_a_list_of_reminders(parsed):
    assert parsed["intents"]["我的提醒有哪几个"] == "reminder_list"


def test_loading_the_model_keeps_the_root_logger(parsed):
    assert parsed["root"] == ["RootLogger", 20]
