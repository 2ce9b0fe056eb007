"""The offline district lookup (knowledge/geo.py) and the label-or-coordinates rule
(knowledge/locating.py), on the shipped boundary file. Coordinates are GCJ-02 (what
WeChat and Chinese map apps report) unless a test says otherwise."""
from __future__ import annotations

import math

import pytest

from knowledge.geo import SLIVER_KM, CoordinateError, load_boundaries, to_gcj02, wgs84_to_gcj02
from knowledge.locating import COORDINATES, LABEL, OUTSIDE, locate, region_in_label
from knowledge.regions import load_regions

KM = 1 / 111.32  # degrees of latitude per kilometre


def name_at(lon: float, lat: float) -> str | None:
    code = load_boundaries().district_at(lon, lat)
    return load_regions().by_code[code].name if code else None


def test_the_file_holds_every_district_and_county_of_the_catalog():
    districts = {r.code for r in load_regions().regions if r.level == "district"}
    assert set(load_boundaries().districts) == districts and len(districts) == 38


@pytest.mark.parametrize(("place", "lon", "lat", "district"), [
    ("解放碑", 106.5770, 29.5575, "渝中区"),
    ("观音桥", 106.5350, 29.5770, "江北区"),
    ("南坪", 106.5700, 29.5300, "南岸区"),
    ("三峡广场", 106.4590, 29.5560, "沙坪坝区"),
    ("杨家坪", 106.5130, 29.5040, "九龙坡区"),
    ("两路", 106.6330, 29.7170, "渝北区"),
    ("江北国际机场", 106.6440, 29.7170, "渝北区"),  # named after 江北, lies in 渝北区
    ("万州城区", 108.4080, 30.8070, "万州区"),
    ("秀山县城", 108.9890, 28.4480, "秀山土家族苗族自治县"),
    ("城口县城", 108.6640, 31.9480, "城口县"),
])
def test_points_inside_chongqing(place, lon, lat, district):
    assert name_at(lon, lat) == district, place


def test_the_two_banks_of_the_jialing_river_are_two_districts():
    # 洪崖洞 on the 渝中 bank and the 大剧院 on the 江北 bank, about a kilometre apart
    assert name_at(106.5790, 29.5630) == "渝中区"
    assert name_at(106.5822, 29.5720) == "江北区"
    assert math.dist((106.5790, 29.5630), (106.5822, 29.5720)) / KM < 1.1


@pytest.mark.parametrize(("place", "lon", "lat"), [
    ("四川武胜县城, 12 km from 合川", 106.2950, 30.3490),
    ("四川隆昌, 12 km from 荣昌", 105.2870, 29.3390),
    ("湖北利川", 108.9360, 30.2910),
    ("成都", 104.0660, 30.5720),
    ("北京", 116.3970, 39.9090),
    ("南极", 0.0, -89.0),
])
def test_points_outside_chongqing(place, lon, lat):
    assert name_at(lon, lat) is None, place


def test_the_outer_border_is_sharp_to_the_tolerance():
    """Just north of 城口县's northernmost point (the border with 陕西) is outside; just
    inside it is 城口; a GPS fix a few metres over the simplified line still counts."""
    area = load_boundaries().districts["500229"]
    lon, lat = max((p for polygon in area.polygons for p in polygon[0]), key=lambda p: p[1])
    assert name_at(lon, lat - 1 * KM) == "城口县"
    assert name_at(lon, lat + SLIVER_KM / 2 * KM) == "城口县"
    assert name_at(lon, lat + 0.5 * KM) is None
    assert name_at(lon, lat + 2 * KM) is None


def test_wgs84_is_shifted_to_gcj02():
    # the published offset in Chongqing is a few hundred metres east and south
    lon, lat = wgs84_to_gcj02(106.5734, 29.5603)
    assert 0.3 < (lon - 106.5734) / KM / math.cos(math.radians(29.56)) < 0.5
    assert -0.35 < (lat - 29.5603) / KM < -0.2
    assert to_gcj02(106.5, 29.5, "gcj02") == (106.5, 29.5)
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)  # no offset outside China


@pytest.mark.parametrize(("lon", "lat", "system"), [
    (float("nan"), 29.5, "gcj02"), (106.5, float("inf"), "gcj02"), (106.5, 91.0, "gcj02"),
    (181.0, 29.5, "gcj02"), ("106.5", 29.5, "gcj02"), (None, 29.5, "gcj02"), (True, 29.5, "gcj02"),
    (106.5, 29.5, "bd09"),
])
def test_coordinates_that_are_no_point_are_a_clear_error(lon, lat, system):
    with pytest.raises(CoordinateError):
        to_gcj02(lon, lat, system)


def test_a_label_naming_a_district_wins_over_the_coordinates():
    found = locate(29.5770, 106.5350, "重庆市渝北区龙溪街道金龙路")  # the point is in 江北区
    assert (found.region.name, found.how) == ("渝北区", LABEL)


def test_a_label_without_a_district_leaves_the_coordinates():
    found = locate(29.5575, 106.5770, "解放碑步行街")
    assert (found.region.name, found.how) == ("渝中区", COORDINATES)
    assert locate(29.5575, 106.5770).region.name == "渝中区"


def test_a_short_name_inside_a_place_name_is_no_district():
    found = locate(29.7170, 106.6440, "重庆江北国际机场T3航站楼")
    assert (found.region.name, found.how) == ("渝北区", COORDINATES)


def test_labels_name_zones_and_counties_by_their_full_names():
    assert region_in_label("两江新区互联网产业园").name == "两江新区"
    assert region_in_label("重庆高新区金凤镇").name == "西部科学城重庆高新区"
    assert region_in_label("石柱县南宾街道").name == "石柱土家族自治县"
    assert region_in_label("忠县忠州街道").name == "忠县"
    assert region_in_label("江北嘴") is None and region_in_label("高新区") is None


def test_outside_chongqing_a_label_naming_a_district_does_not_count():
    found = locate(29.8600, 121.5500, "浙江省宁波市江北区")  # 宁波 has a 江北区 too
    assert (found.region, found.how) == (None, OUTSIDE)


def test_wgs84_coordinates_near_a_boundary_are_read_as_wgs84():
    # 洪崖洞 given as a phone's raw GPS (WGS-84): read as GCJ-02 it would be 300-400 m off
    wgs = (106.5790 - 0.0037, 29.5630 + 0.0027)  # roughly the inverse of the offset
    assert locate(wgs[1], wgs[0], system="wgs84").region.name == "渝中区"
