"""The agent-assist API: the assistant's search, complete guides and the answer text."""
from __future__ import annotations

import pytest

from answers.rendering import describe_material, ordered_materials
from knowledge.db import get_engine, session_factory
from knowledge.search import SearchEngine
from knowledge.store import CatalogStore
from tests.console.conftest import API_KEY

pytestmark = pytest.mark.asyncio(loop_scope="session")
HEADERS = {"X-API-Key": API_KEY}


@pytest.fixture(scope="module")
def store(pristine_catalog) -> CatalogStore:
    return CatalogStore(session_factory(get_engine(f"sqlite:///{pristine_catalog}")))


async def search(console, **params):
    async with console.client() as http:
        response = await http.get(console.url("/api/assist/search"), params=params, headers=HEADERS)
        return response.status, await response.json()


async def test_top_five_are_the_assistants_own_search_results(console, store):
    engine = SearchEngine(store.search_entries())
    for question in ("上户口", "退休金", "开公司要什么材料", "身份证丢了怎么办"):
        status, data = await search(console, q=question)
        assert status == 200
        expected = [c.code for c in engine.search(question, top=5).candidates]
        assert [c["code"] for c in data["candidates"]] == expected
        assert 1 <= len(data["candidates"]) <= 5


async def test_each_candidate_has_the_complete_guide_for_the_district(console, store):
    status, data = await search(console, q="食品经营许可", district="渝北区")
    assert status == 200 and data["district"] == "渝北区"
    best = data["candidates"][0]
    item = store.get(best["code"])
    impl = item.implementation_for("500112")
    guide = best["guide"]
    assert guide["implementation"]["region_code"] == "500112"
    assert guide["implementation"]["body"] == impl.body
    assert [m["name"] for m in guide["materials"]] == [m.name for m in item.materials]
    assert [s["name"] for s in guide["flow"]] == [s.name for s in item.flow]
    # The answer text carries every material, the district's body and the verification footer.
    text = best["answer_text"]
    for material in ordered_materials(item):
        assert describe_material(material) in text
    assert impl.body in text and item.code in text and impl.verified.isoformat() in text


async def test_district_named_in_the_question_is_used_when_none_is_chosen(console):
    _status, data = await search(console, q="江北区食品经营许可")
    assert data["district"] == "江北区"
    assert data["candidates"][0]["guide"]["implementation"]["region_code"] == "500105"
    # The chosen district wins over the one in the words.
    _status, data = await search(console, q="江北区食品经营许可", district="渝北区")
    assert data["district"] == "渝北区"


async def test_item_endpoint_gives_the_same_guide(console):
    _status, data = await search(console, q="食品经营许可", district="渝中区")
    best = data["candidates"][0]
    async with console.client() as http:
        response = await http.get(console.url(f"/api/assist/items/{best['code']}"), params={"district": "渝中区"},
                                  headers=HEADERS)
        item = await response.json()
    assert response.status == 200
    assert item["guide"] == best["guide"] and item["answer_text"] == best["answer_text"]


async def test_bad_requests_get_clear_errors(console):
    async with console.client() as http:
        for params, code in (({}, "bad_query"), ({"q": "   "}, "bad_query"), ({"q": "开" * 201}, "bad_query"),
                             ({"q": "开公司", "district": "火星区"}, "bad_district"), ({"q": "开公司", "top": "0"}, "bad_top"),
                             ({"q": "开公司", "top": "many"}, "bad_top")):
            response = await http.get(console.url("/api/assist/search"), params=params, headers=HEADERS)
            assert response.status == 400, params
            assert (await response.json())["error"]["code"] == code
        response = await http.get(console.url("/api/assist/items/500X0000000000"), headers=HEADERS)
        assert response.status == 404
        assert "500X0000000000" in (await response.json())["error"]["message"]


async def test_nothing_found_is_an_empty_list_not_an_error(console):
    status, data = await search(console, q="今天天气怎么样")
    assert status == 200
    assert (data["decision"], data["candidates"]) == ("not_found", [])


async def test_a_life_event_question_also_gets_the_bundle_as_the_assistant_answers_it(console, store):
    status, data = await search(console, q="开饭店要办哪些手续", district="渝北区")
    assert status == 200 and data["bundle"] is not None
    bundle = next(b for b in store.all_bundles() if b.code == data["bundle"]["code"])
    assert [i["code"] for i in data["bundle"]["items"]] == bundle.item_codes()
    assert data["bundle"]["answer_text"].startswith(f"【{bundle.name}】一件事一次办（渝北区）")
    _status, plain = await search(console, q="身份证丢了怎么办")
    assert plain["bundle"] is None
