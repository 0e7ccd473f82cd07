#!/usr/bin/env python3
"""Derive the political map of North-East Asia, 1904 - 2 Sep 1945, as dated territory polygons.

Output (in --out, default .cache/territories/; this tool never writes into geodata/ itself):
    territories.geojson   kind "territory" (polygons whose date ranges tile time) and kind "border"
    sources.json          the bibliography the features cite
Copy territories.geojson into geodata/ and merge the sources into geodata/sources.json by hand, then run
`python build.py --check`. geodata/territories.geojson was made this way and is the source of truth since.

Method
------
1. Base geometry: Natural Earth 4.1.0 "admin 0 countries" at 1:50m, as shipped in the npm package
   world-atlas@2.0.2 (TopoJSON, so neighbouring countries share identical arcs).  Everything is
   clipped to the atlas area (lon 95..165 E, lat 28..62 N) and repaired with make_valid.
2. The modern countries are cut into "atoms": small pieces whose political owner is constant between
   two dates (e.g. Jehol, the Kwantung lease, Sakhalin south of 50 N, each Kuril group).  Modern lines
   are kept where they coincide with the period ones (Amur, Argun, Ussuri, Yalu, Tumen, Mongolia's
   outline).  The period lines that do not exist in Natural Earth (Manchuria / Jehol / Chahar / Hebei /
   Shanxi, the Kwantung lease boundary) are drawn here by hand as approximate polylines (see the
   constants below, each vertex commented) and marked "approximate" in the output.
3. The atoms form one polygon coverage.  It is simplified once with shapely.coverage_simplify, so
   every shared edge is simplified identically, then snapped to a 0.001 degree grid.
4. Each territory feature is the coverage union of its atoms; therefore territories valid on the same
   day share exactly the same border vertices, with no gaps and no overlaps.
5. Checks (printed): validity, winding, and for sample dates the overlap between territories and the
   difference between their union and Natural Earth land (land-50m) clipped to the area.

Run:  .venv/bin/python tools/make_territories.py [--out DIR] [--tolerance DEG] [--no-check]
Requires geopandas, shapely >= 2.1, pyogrio, pyproj.
"""
import argparse
import json
import os
from datetime import date

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping
from shapely.geometry.polygon import orient
from shapely.ops import linemerge

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))            # repo root (staging/<topic>/ or tools/)
WORLD_ATLAS = os.path.join(ROOT, "node_modules", "world-atlas")
if not os.path.isdir(WORLD_ATLAS):                                # when the script lives in tools/
    WORLD_ATLAS = os.path.join(os.path.dirname(HERE), "node_modules", "world-atlas")

AREA = box(95, 28, 165, 62)   # atlas area: lon 95..165 E, lat 28..62 N
SIMPLIFY = 0.03               # coverage_simplify tolerance, degrees (sqrt of removed triangle area); 0.03 keeps
                              # the file near 150 KB
ISOLATED_COARSE = {"japan": 0.05}  # atoms without land neighbours, simplified more (coast only)
GRID = 0.001                  # output coordinates are snapped to this grid (3 decimals)

# ---------------------------------------------------------------------------------------------------
# Hand-drawn period lines (lon, lat).  All approximate: they follow county seats known to lie on
# either side, the Great Wall, and the Yellow River; accuracy is roughly 10-30 km.
# Lines start and end outside China so that they cut the Chinese polygon cleanly.
# ---------------------------------------------------------------------------------------------------

# Western limit of Manchuria (the Three Eastern Provinces incl. Hulunbuir and the eastern Mongol
# leagues), north to south: against Chahar (Xilingol), then against Jehol, then the short
# Fengtian-Hebei line to the sea east of Shanhaiguan.
MANCHURIA_WEST = [
    (119.55, 46.85),  # inside Mongolia's eastern bulge (outside China)
    (119.80, 46.45),  # crosses the Mongolian border near the Hinggan / Xilingol junction
    (120.05, 46.05),
    (120.30, 45.60),  # T1: junction Manchuria / Jehol (Jarud banner) / Chahar (Xilingol)
    (121.05, 45.25),
    (121.55, 44.65),  # Jarud (Jehol) west, Horqin Right Middle (Manchuria) east
    (121.75, 44.05),
    (121.75, 43.45),  # Kailu (Jehol) west, Tongliao (Fengtian) east
    (121.55, 42.90),
    (121.35, 42.35),
    (121.15, 41.90),  # Beipiao (Jehol) west, Fuxin (Fengtian) east
    (120.95, 41.50),  # Chaoyang (Jehol) west, Yixian (Fengtian) east
    (120.65, 41.10),  # Jinzhou (Fengtian) east
    (120.25, 40.70),  # Jianchang (Jehol) west, Huludao/Xingcheng (Fengtian) east
    (119.95, 40.35),  # Suizhong (Fengtian) east
    (119.78, 40.14),  # J: Great Wall near Jiumenkou, where Jehol, Fengtian and Hebei meet
    (119.86, 39.96),  # coast just east of Shanhaiguan (Shanhaiguan itself stays in Hebei)
    (119.95, 39.70),  # at sea
]
T1 = (120.30, 45.60)
J = (119.78, 40.14)

# Jehol - Hebei boundary: the Great Wall from Jiumenkou westwards to beyond Gubeikou.
GREAT_WALL = [
    J,
    (119.40, 40.22),
    (118.90, 40.38),  # Lengkou area
    (118.30, 40.43),  # Xifengkou area
    (117.75, 40.22),
    (117.45, 40.25),  # Huangyaguan area
    (117.30, 40.45),
    (117.22, 40.68),  # Gubeikou / Jinshanling
    (116.95, 40.82),
    (116.70, 41.02),
    (116.45, 40.95),  # G: junction Jehol / Chahar / Hebei north of Huairou, approx.
]
G = (116.45, 40.95)

# Western edge of Jehol against Chahar, south to north (G -> T1).
JEHOL_WEST = [
    G,
    (116.05, 41.25),
    (115.95, 41.70),  # Fengning (Jehol) east, Guyuan (Chahar) west
    (116.35, 41.95),
    (116.90, 42.15),  # Duolun (Chahar) west, Weichang (Jehol) east
    (116.95, 42.50),
    (116.55, 42.95),
    (116.70, 43.65),  # Hexigten (Jehol) east
    (117.30, 44.15),
    (118.10, 44.45),  # West Ujimqin (Chahar) north, Linxi (Jehol) south
    (118.90, 44.85),
    (119.55, 45.20),
    T1,
]

# Southern and western limit of Mengjiang (Chahar + Suiyuan + northern Shanxi), east to west:
# Chahar/Hebei, the northern-Shanxi counties (Datong region, north of the Yanmen Pass), then the
# Yellow River to west of Baotou, then north to Mongolia near 108.9 E (the Hetao plain further west
# stayed in Chinese hands).
MENGJIANG_SOUTH_WEST = [
    G,
    (116.35, 40.65),
    (116.05, 40.38),  # Great Wall at Badaling (Yanqing, Chahar, to the north)
    (115.75, 40.10),
    (115.45, 39.85),
    (115.05, 39.55),  # Yuxian/Weixian (Chahar) north, Laiyuan (Hebei) south
    (114.55, 39.45),
    (114.10, 39.20),  # Lingqiu (northern Shanxi) north
    (113.55, 39.30),
    (113.00, 39.30),  # just north of the Yanmen Pass
    (112.45, 39.15),  # Shuoxian north, Ningwu south
    (112.15, 39.40),
    (111.85, 39.55),
    (111.40, 39.62),  # Great Wall near Pianguan, to the Yellow River
    (111.20, 39.90),  # Yellow River (Ordos / Yekhe Juu to the west stays Chinese)
    (111.15, 40.25),  # Togtoh
    (110.60, 40.30),
    (110.00, 40.50),  # Baotou
    (109.40, 40.55),
    (108.90, 40.70),
    (108.90, 41.60),  # western limit, drawn as a meridian
    (108.90, 43.00),  # in Mongolia
]

# Northern boundary of the Kwantung Leased Territory, west to east: from the north shore of Yadang
# (Port Adams) Bay to Pikou (Pitzewo), both of which were inside the lease.
KWANTUNG_NORTH = [
    (121.20, 39.50),  # at sea, Bohai side
    (121.70, 39.50),  # north shore of Yadang (Port Adams) Bay
    (122.00, 39.46),  # just north of Pulantien (Pulandian, 39.40 N)
    (122.35, 39.45),  # just north of Pikou (Pitzewo)
    (122.60, 39.38),  # at sea, Yellow Sea side
]


def ring(*parts):
    """Concatenate coordinate lists into one closed ring, dropping duplicated join points."""
    pts = []
    for part in parts:
        for p in part:
            if not pts or pts[-1] != p:
                pts.append(p)
    return Polygon(pts)


# Region polygons built from the lines above.  Only their intersection with China matters.
R_MANCHURIA = ring(MANCHURIA_WEST, [(121.0, 38.6), (135.0, 38.6), (135.0, 55.0), (115.0, 55.0),
                                    (115.0, 47.0), (116.5, 47.0)])
R_JEHOL = ring(MANCHURIA_WEST[MANCHURIA_WEST.index(T1):MANCHURIA_WEST.index(J) + 1],
               GREAT_WALL[1:], JEHOL_WEST[1:])
R_MENGJIANG = ring(list(reversed(MENGJIANG_SOUTH_WEST)), JEHOL_WEST[1:],
                   list(reversed(MANCHURIA_WEST[:MANCHURIA_WEST.index(T1) + 1]))[1:],
                   [(116.5, 47.0), (112.0, 46.0)])
R_KWANTUNG = ring(KWANTUNG_NORTH, [(122.9, 39.0), (122.9, 38.55), (120.9, 38.55), (120.9, 39.3)])


def load_countries():
    """Natural Earth 1:50m countries, clipped to the area and repaired, keyed by name."""
    path = os.path.join(WORLD_ATLAS, "countries-50m.json")
    gdf = gpd.read_file(path, layer="countries").set_crs(4326, allow_override=True)
    out = {}
    for _, row in gdf.iterrows():
        geom = shapely.make_valid(row.geometry)
        if not geom.intersects(AREA):
            continue
        geom = polygonal(shapely.make_valid(geom.intersection(AREA)))
        if not geom.is_empty:
            out[row["name"]] = geom
    return out


def polygonal(geom):
    """Keep only the polygon parts of a geometry (drops slivers turned into lines/points)."""
    polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, (Polygon, MultiPolygon))]
    parts = []
    for p in polys:
        parts.extend(getattr(p, "geoms", [p]))
    parts = [p for p in parts if p.area > 0]
    return MultiPolygon(parts) if parts else MultiPolygon()


def parts_where(geom, test):
    """The polygon parts of geom whose representative point satisfies test(x, y)."""
    return polygonal(MultiPolygon([p for p in geom.geoms
                                   if test(p.representative_point().x, p.representative_point().y)]))


def build_atoms(c):
    """Cut the modern countries into pieces with a single owner between two dates."""
    russia, china = c["Russia"], c["China"]
    atoms = {}

    # Sakhalin and its small islands (lon 141-145.5 E, lat 45.5-54.5 N), split at 50 N (Portsmouth).
    sakhalin = parts_where(russia, lambda x, y: 141.0 < x < 145.5 and 45.5 < y < 54.5)
    atoms["sakhalin-south"] = polygonal(sakhalin.intersection(box(140, 45, 146, 50)))
    atoms["sakhalin-north"] = polygonal(sakhalin.difference(box(140, 45, 146, 50)))

    # Kuril Islands: Russian parts east of Hokkaido, south of Kamchatka (1875 treaty: all Japanese).
    kurils = parts_where(russia, lambda x, y: 145.0 < x < 157.0 and 43.0 < y < 51.0 and
                         not (141.0 < x < 145.5))
    atoms["kurils-habomai"] = parts_where(kurils, lambda x, y: y < 43.7 and x < 146.5)
    atoms["kurils-kunashir-shikotan"] = parts_where(kurils, lambda x, y: 43.7 <= y < 44.6 or
                                                    (y < 43.7 and x >= 146.5))
    atoms["kurils-iturup"] = parts_where(kurils, lambda x, y: 44.6 <= y < 45.7 and x < 149.0)
    atoms["kurils-north"] = parts_where(kurils, lambda x, y: x >= 149.0)
    assert abs(sum(atoms[k].area for k in atoms if k.startswith("kurils")) - kurils.area) < 1e-9

    atoms["russia-main"] = polygonal(russia.difference(sakhalin).difference(kurils))
    atoms["mongolia"] = c["Mongolia"]
    atoms["korea"] = polygonal(shapely.union(c["North Korea"], c["South Korea"]))
    atoms["japan"] = c["Japan"]
    atoms["south-west-corner"] = polygonal(shapely.union(c["India"], c["Myanmar"]))

    # China: Manchuria (without the Kwantung lease), Jehol, Mengjiang area, rest ("China proper").
    man_all = polygonal(china.intersection(R_MANCHURIA))
    atoms["kwantung"] = polygonal(man_all.intersection(R_KWANTUNG))
    atoms["manchuria"] = polygonal(man_all.difference(R_KWANTUNG))
    rest = polygonal(china.difference(R_MANCHURIA))
    atoms["jehol"] = polygonal(rest.intersection(R_JEHOL))
    rest = polygonal(rest.difference(R_JEHOL))
    atoms["mengjiang-area"] = polygonal(rest.intersection(R_MENGJIANG))
    atoms["china-proper"] = polygonal(rest.difference(R_MENGJIANG))
    return atoms


def simplify_coverage(atoms):
    """Simplify the whole coverage once and snap it to the output grid; shared edges stay identical."""
    names = list(atoms)
    geoms = shapely.set_precision([atoms[n] for n in names], 1e-7)
    # Make the coverage edge-matched: where a hand-drawn line meets a Natural Earth border (e.g. the
    # Mongolian border) the junction vertex exists in the cut pieces but not in the neighbour's ring.
    # Snapping every atom to all vertices of the coverage inserts such junctions into the neighbour's
    # edge, so later rounding moves them identically on both sides.
    all_vertices = shapely.multipoints(shapely.get_coordinates(geoms))
    geoms = [polygonal(shapely.make_valid(shapely.snap(g, all_vertices, 1e-6))) for g in geoms]
    assert shapely.coverage_is_valid(geoms), "noded coverage not valid"
    simple = shapely.coverage_simplify(geoms, SIMPLIFY)
    # Japan touches no other atom inside the area, so its long coastline can be simplified harder
    # on its own without affecting any shared border.
    for i, n in enumerate(names):
        if n in ISOLATED_COARSE:
            simple[i] = shapely.coverage_simplify(geoms[i], ISOLATED_COARSE[n])
    snapped = shapely.set_precision(simple, GRID, mode="pointwise")  # same rounding on both sides of an edge
    out = {}
    for n, g in zip(names, snapped):
        g = polygonal(shapely.make_valid(g))
        out[n] = g
    return out


# ---------------------------------------------------------------------------------------------------
# Features.  Each territory: id, atoms, dates and properties.  Dates are inclusive (README).
# ---------------------------------------------------------------------------------------------------
NE = {"ref": "natural-earth-4-1"}


def S(ref, note=None):
    d = {"ref": ref}
    if note:
        d["note"] = note
    return d


APPROX_CN = ("Hand-drawn, approximate: the line between Manchuria, Jehol, Chahar and Hebei/Shanxi, "
             "placed between county seats known to lie on either side (accuracy about 10-30 km). "
             "Other borders follow Natural Earth.")

TERRITORIES = [
    # ----------------------------------------------------------------- Russia / Soviet Union
    dict(id="russian-empire", atoms=["russia-main"], start="1904-01-01", end="1917-11-06",
         name="Russian Empire", side="russian",
         precision="exact",
         sources=[NE, S("wikipedia-treaty-of-portsmouth"), S("wikipedia-tuvan-peoples-republic")],
         description="Russian territory in the Far East and Siberia, drawn with today's outline. "
                     "Sakhalin and the Kwantung lease are separate features.",
         note="Drawn with the modern Russian outline. Tuva (Uryankhay), at the western edge of the map, "
              "was Qing territory until 1911/1914, a Russian protectorate from 1914, the Tuvan People's "
              "Republic 1921-1944 and joined the USSR on 11 Oct 1944; it is not separated here. The feature "
              "covers the 1917 Russian Republic too and ends with the Bolshevik seizure of power "
              "(7 Nov 1917 N.S.)."),
    dict(id="soviet-russia-1917", atoms=["russia-main"], start="1917-11-07", end="1922-12-29",
         name="Soviet Russia / Far Eastern Republic", name_modern="Russia", side="soviet", precision="exact",
         sources=[NE, S("omniatlas-1922-12-30"), S("gibson-far-eastern-republic"),
                  S("wikipedia-treaty-on-the-creation-of-the-ussr")],
         description="Russia during the Civil War and Allied intervention. East of Lake Baikal the "
                     "Far Eastern Republic (1920-1922) was a nominally independent buffer state; "
                     "Japanese troops held Vladivostok until October 1922.",
         note="Simplified: one feature for the whole period, side 'soviet', although during the Civil War "
              "and the Allied (incl. Japanese) intervention much of Siberia and the Far East was not under "
              "Soviet control. The Far Eastern "
              "Republic was recognised by the RSFSR on 14 May 1920 and dissolved into it on 13-14 Nov 1922 "
              "(the National Assembly voted on 13 Nov; omniatlas gives 14 Nov for the annexation). "
              "Japanese troops left Vladivostok on 25 Oct 1922. North Sakhalin is a separate feature."),
    dict(id="soviet-union", atoms=["russia-main"], start="1922-12-30", end="1945-09-02",
         name="Soviet Union", name_modern="Russia", side="soviet",
         precision="exact",
         sources=[NE, S("wikipedia-treaty-on-the-creation-of-the-ussr"),
                  S("wikipedia-tuvan-peoples-republic")],
         description="The USSR from the union treaty of 30 December 1922; its Far Eastern territory "
                     "faced Manchukuo along the Amur, Argun and Ussuri.",
         note="Modern Russian outline. Tuva at the western edge was the nominally independent Tuvan "
              "People's Republic until it joined the USSR on 11 Oct 1944; it is included here for "
              "simplicity. The Khalkhin Gol border strip is drawn by another layer."),
    # ----------------------------------------------------------------- Sakhalin
    dict(id="sakhalin-russian", atoms=["sakhalin-north", "sakhalin-south"], start="1904-01-01",
         end="1905-09-04", name="Sakhalin (Russian)", names={"ja": "樺太"}, side="russian",
         precision="exact",
         sources=[NE, S("wikipedia-treaty-of-saint-petersburg-1875"), S("wikipedia-karafuto-prefecture")],
         description="The whole of Sakhalin was Russian under the 1875 Treaty of Saint Petersburg, "
                     "until the Treaty of Portsmouth gave the south to Japan.",
         note="Japanese forces invaded Sakhalin in the final stages of the war, before the peace treaty; "
              "the map keeps it Russian until the treaty was signed on 5 Sep 1905."),
    dict(id="north-sakhalin-russian", atoms=["sakhalin-north"], start="1905-09-05", end="1917-11-06",
         name="North Sakhalin (Russian)", side="russian", precision="exact",
         sources=[NE, S("treaty-of-portsmouth-1905")],
         description="The Russian part of Sakhalin north of the 50th parallel after the Treaty of Portsmouth."),
    dict(id="north-sakhalin-soviet-1917", atoms=["sakhalin-north"], start="1917-11-07",
         end="1920-04-20", name="North Sakhalin (Russian Civil War)", side="soviet", precision="exact",
         sources=[NE, S("ruwiki-japanese-occupation-of-north-sakhalin")],
         description="Northern Sakhalin during the Russian Civil War, before the Japanese occupation.",
         note="Side 'soviet' is a simplification: the island's administration changed hands several "
              "times during the Civil War."),
    dict(id="north-sakhalin-japanese-occupation", atoms=["sakhalin-north"], start="1920-04-21",
         end="1925-05-15", name="North Sakhalin (Japanese occupation)", side="japanese",
         precision="exact",
         sources=[NE, S("ruwiki-japanese-occupation-of-north-sakhalin"),
                  S("wikipedia-soviet-japanese-basic-convention"), S("wikipedia-karafuto-prefecture")],
         description="Japan occupied northern Sakhalin after the Nikolayevsk incident and held it until "
                     "the Soviet-Japanese Basic Convention of January 1925 restored the 1905 border.",
         note="Dates from Russian Wikipedia (occupation 21 Apr 1920 to 15 May 1925). The occupation "
              "spread northwards from the 50th parallel over the following months; the Basic Convention "
              "was signed on 20 Jan 1925 and the evacuation was completed in May 1925."),
    dict(id="north-sakhalin-soviet", atoms=["sakhalin-north"], start="1925-05-16", end="1945-08-25",
         name="North Sakhalin (Soviet)", side="soviet",
         precision="exact",
         sources=[NE, S("ruwiki-japanese-occupation-of-north-sakhalin"),
                  S("wikipedia-soviet-japanese-basic-convention")],
         description="Soviet northern Sakhalin after the Japanese withdrawal of 1925; from here the "
                     "Red Army attacked Karafuto on 11 August 1945."),
    dict(id="sakhalin-soviet-1945", atoms=["sakhalin-north", "sakhalin-south"], start="1945-08-26",
         end="1945-09-02", name="Sakhalin (Soviet, incl. occupied Karafuto)", side="soviet",
         precision="exact",
         sources=[NE, S("wikipedia-soviet-invasion-of-south-sakhalin")],
         description="The whole island under Soviet control after the conquest of Karafuto "
                     "(11-25 August 1945).",
         note="Karafuto was occupied, not yet annexed: Sakhalin Oblast was formed in 1946."),
    dict(id="karafuto", atoms=["sakhalin-south"], start="1905-09-05", end="1945-08-25",
         name="Karafuto", name_modern="Southern Sakhalin", names={"ja": "樺太"}, side="japanese",
         precision="exact",
         sources=[NE, S("treaty-of-portsmouth-1905", "Art. IX: 50th parallel as the boundary"),
                  S("wikipedia-karafuto-prefecture"), S("wikipedia-soviet-invasion-of-south-sakhalin")],
         description="Japanese southern Sakhalin, ceded by Russia at Portsmouth. Administered as an "
                     "external territory from 1907 and made part of metropolitan Japan in 1943; "
                     "overrun by Soviet forces in August 1945.",
         note="The border is drawn as the 50th parallel itself; the treaty let the demarcation "
              "commission depart from it where topography required. The map ends Japanese rule on "
              "25 Aug 1945, the last day of the Soviet operation (11-25 Aug)."),
    # ----------------------------------------------------------------- Kuril Islands
    dict(id="kuril-islands-japan", atoms=["kurils-north", "kurils-iturup", "kurils-kunashir-shikotan",
                                          "kurils-habomai"],
         start="1904-01-01", end="1945-08-23", name="Kuril Islands (Chishima)", names={"ja": "千島"},
         side="japanese", precision="exact",
         sources=[NE, S("wikipedia-treaty-of-saint-petersburg-1875"), S("wikipedia-battle-of-shumshu")],
         description="The whole Kuril chain, Japanese since the 1875 exchange of Sakhalin for the "
                     "northern Kurils.",
         note="Includes Shikotan and the Habomai islets. The Soviet landing on Shumshu on 18 Aug 1945 "
              "began the occupation; fighting there lasted to 23 Aug, so the northern group is shown "
              "Japanese to that day."),
    dict(id="kuril-islands-japan-south-1", atoms=["kurils-iturup", "kurils-kunashir-shikotan",
                                                  "kurils-habomai"],
         start="1945-08-24", end="1945-08-27", name="Southern Kuril Islands (Japanese)",
         names={"ja": "千島"}, side="japanese", precision="exact", date_certainty="approximate",
         sources=[NE, S("kuril-info-occupation"), S("pike-hirohitos-war-o12")],
         description="The southern Kurils still held by Japan while Soviet forces occupied the "
                     "northern and central islands."),
    dict(id="kuril-islands-japan-south-2", atoms=["kurils-kunashir-shikotan", "kurils-habomai"],
         start="1945-08-28", end="1945-08-31", name="Kunashiri, Shikotan and Habomai (Japanese)",
         side="japanese", precision="exact", sources=[NE, S("kuril-info-occupation")],
         description="The last Japanese-held Kurils after the Soviet landing on Etorofu (Iturup) on "
                     "28 August 1945."),
    dict(id="kuril-islands-japan-habomai", atoms=["kurils-habomai"], start="1945-09-01",
         end="1945-09-02", name="Habomai islets (Japanese)", side="japanese", precision="exact",
         sources=[NE, S("kuril-info-occupation")],
         description="Still unoccupied on 2 September 1945: Soviet troops landed on the Habomai islets "
                     "on 3 September and held all four southern island groups by 5 September."),
    dict(id="kuril-islands-soviet-1", atoms=["kurils-north"], start="1945-08-24", end="1945-08-27",
         name="Northern Kuril Islands (Soviet occupation)", side="soviet", precision="exact",
         date_certainty="approximate",
         sources=[NE, S("wikipedia-battle-of-shumshu"), S("pike-hirohitos-war-o12"),
                  S("japan-times-2022-shumshu")],
         description="Northern and central Kurils (Shumshu to Urup) under Soviet occupation after the "
                     "battle of Shumshu.",
         note="Shumshu: landing 18 Aug, cease-fire 21 Aug (Japan Times), battle 18-23 Aug (Wikipedia). "
              "Pike: the central and northern Kurils were occupied by 29 Aug. The map shows the whole "
              "northern/central group Soviet from 24 Aug; the central islands were actually taken "
              "over during the following days."),
    dict(id="kuril-islands-soviet-2", atoms=["kurils-north", "kurils-iturup"], start="1945-08-28",
         end="1945-08-31", name="Kuril Islands (Soviet occupation)", side="soviet", precision="exact",
         sources=[NE, S("kuril-info-occupation"), S("pike-hirohitos-war-o12")],
         description="Soviet-occupied Kurils including Etorofu (Iturup), landed on 28 August 1945."),
    dict(id="kuril-islands-soviet-3", atoms=["kurils-north", "kurils-iturup",
                                             "kurils-kunashir-shikotan"],
         start="1945-09-01", end="1945-09-02", name="Kuril Islands (Soviet occupation)", side="soviet",
         precision="exact", sources=[NE, S("kuril-info-occupation")],
         description="Soviet-occupied Kurils after the landings on Kunashiri and Shikotan on "
                     "1 September 1945."),
    # ----------------------------------------------------------------- Japan and Korea
    dict(id="japan", atoms=["japan"], start="1904-01-01", end="1945-09-02", name="Empire of Japan",
         name_modern="Japan", side="japanese", precision="exact",
         sources=[NE, S("wikipedia-treaty-of-saint-petersburg-1875")],
         description="The Japanese home islands, including Hokkaido, within the map area. The Kurils, "
                     "Karafuto, Korea and the Kwantung lease are separate features.",
         note="Japan signed the instrument of surrender on 2 Sep 1945, the last day of this layer."),
    dict(id="korean-empire", atoms=["korea"], start="1904-01-01", end="1905-11-16",
         name="Korean Empire", name_modern="Korea", side="korean",
         precision="exact", sources=[NE, S("wikipedia-japan-korea-treaty-of-1905")],
         description="The independent Korean Empire. During the Russo-Japanese War Japanese troops were "
                     "stationed at strategic points throughout the country."),
    dict(id="korean-empire-protectorate", atoms=["korea"], start="1905-11-17", end="1910-08-28",
         name="Korean Empire (Japanese protectorate)", name_modern="Korea", side="korean",
         precision="exact",
         sources=[NE, S("wikipedia-japan-korea-treaty-of-1905"), S("wikipedia-japan-korea-treaty-of-1910")],
         description="After the Eulsa treaty of 17 November 1905 Korea kept its monarchy but lost control "
                     "of its foreign affairs to Japan; the 1907 treaty also took away internal "
                     "administration."),
    dict(id="chosen", atoms=["korea"], start="1910-08-29", end="1945-09-02", name="Chosen (Korea)",
         name_modern="Korea (North and South)", side="japanese", precision="exact",
         sources=[NE, S("wikipedia-japan-korea-treaty-of-1910"), S("wikipedia-korea-under-japanese-rule")],
         description="Korea as a Japanese colony after the annexation treaty, signed 22 August and "
                     "proclaimed 29 August 1910.",
         note="The annexation treaty was signed on 22 Aug 1910 and took effect on 29 Aug 1910. Soviet "
              "forces entered northern Korea in August 1945 (see the campaign layers); the territory is "
              "shown Japanese until the surrender of 2 Sep 1945."),
    # ----------------------------------------------------------------- Mongolia
    dict(id="outer-mongolia-qing", atoms=["mongolia"], start="1904-01-01", end="1911-12-28",
         name="Outer Mongolia (Qing Empire)", name_modern="Mongolia", side="chinese",
         precision="approximate", sources=[NE, S("wikipedia-bogd-khanate-of-mongolia")],
         description="Outer Mongolia as a frontier dependency of the Qing Empire.",
         note="Drawn with the modern Mongolian outline; the Qing-era extent of Outer Mongolia (with Khovd "
              "and Tannu Uriankhai) differed, especially in the west."),
    dict(id="bogd-khanate", atoms=["mongolia"], start="1911-12-29", end="1924-11-25",
         name="Bogd Khanate of Mongolia", name_modern="Mongolia",
         names={"mn": "Богд хаант Монгол Улс", "zh": "博克多汗國"}, side="mongolian",
         precision="approximate", sources=[NE, S("wikipedia-bogd-khanate-of-mongolia")],
         description="Theocratic Mongolian state under the Bogd Khan after the break with the Qing. "
                     "Autonomous under Chinese suzerainty from 1915, occupied by Chinese troops in "
                     "1919-1921, then restored after the 1921 revolution until the proclamation of the "
                     "People's Republic.",
         note="Dates: a temporary government was formed on 30 Nov 1911 and a manifesto issued on "
              "1 Dec 1911 (Russian sources); the Bogd Khan was enthroned and independence declared on "
              "29 Dec 1911 (English Wikipedia). The map uses 29 Dec. The Chinese occupation (1919-1921) "
              "and the 1921 revolution are not shown separately. Modern outline."),
    dict(id="mongolian-peoples-republic", atoms=["mongolia"], start="1924-11-26", end="1945-09-02",
         name="Mongolian People's Republic", name_modern="Mongolia", side="mongolian", precision="exact",
         sources=[NE, S("wikipedia-bogd-khanate-of-mongolia")],
         description="Soviet-aligned Mongolian state proclaimed on 26 November 1924, successor of the "
                     "Bogd Khanate.",
         note="Modern outline; the disputed Khalkhin Gol (Nomonhan) strip is drawn by another layer."),
    # ----------------------------------------------------------------- China
    # China.  To keep the file small, the Republic of China is one feature for "China proper" plus
    # separate Chinese features for Manchuria, Jehol and the Chahar-Suiyuan-northern Shanxi region
    # for the periods in which they were Chinese (so their large shared borders are stored once).
    dict(id="qing-china", atoms=["china-proper", "jehol", "mengjiang-area"],
         start="1904-01-01", end="1912-02-12", name="Qing Empire", name_modern="China",
         side="chinese", precision="approximate",
         sources=[NE, S("wikipedia-imperial-edict-of-the-abdication-of-the-qing-emperor")],
         description="Qing China south and west of Manchuria (Manchuria and Outer Mongolia are separate "
                     "features of the same period).",
         note=APPROX_CN + " At the western edge Tibet and Xinjiang are simply drawn as part of China."),
    dict(id="manchuria-qing", atoms=["manchuria"], start="1904-01-01", end="1912-02-12",
         name="Manchuria (Qing Empire)", name_modern="North-East China", side="chinese",
         precision="approximate",
         sources=[NE, S("wikipedia-imperial-edict-of-the-abdication-of-the-qing-emperor"),
                  S("treaty-of-portsmouth-1905")],
         description="The Three Eastern Provinces of the Qing Empire. In 1904-1905 southern Manchuria was "
                     "the battlefield of the Russo-Japanese War; Russian, and from 1905 also Japanese, "
                     "railway zones with railway guards crossed the region.",
         note="The Treaty of Portsmouth (Art. III and additional article I) required both armies to "
              "evacuate Manchuria, except the Kwantung lease, within 18 months, keeping railway guards of "
              "at most 15 per km. South-western line (against Jehol and at Shanhaiguan) and the Kwantung "
              "line are hand-drawn and approximate."),
    dict(id="republic-of-china", atoms=["china-proper"], start="1912-02-13", end="1945-09-02",
         name="Republic of China", name_modern="China", side="chinese", precision="approximate",
         sources=[NE, S("wikipedia-imperial-edict-of-the-abdication-of-the-qing-emperor"),
                  S("wikipedia-mengjiang")],
         description="The Republic of China from the abdication of the last Qing emperor. From 1937 large "
                     "parts of northern and eastern China were under Japanese occupation and "
                     "collaborationist governments, which this layer does not separate.",
         note=APPROX_CN + " Manchuria, Jehol and Chahar/Suiyuan are separate Chinese features while "
              "Chinese. At the western edge Tibet and Xinjiang are simply drawn as part of China."),
    dict(id="manchuria-republic-of-china", atoms=["manchuria"], start="1912-02-13", end="1932-02-29",
         name="Manchuria (Republic of China)", name_modern="North-East China", side="chinese",
         precision="approximate",
         sources=[NE, S("wikipedia-imperial-edict-of-the-abdication-of-the-qing-emperor"),
                  S("wikipedia-manchukuo")],
         description="Manchuria as part of the Republic of China, crossed by the Japanese-run South "
                     "Manchuria Railway and its railway zone.",
         note="Japan invaded Manchuria from 18 Sep 1931; the region is shown as Chinese until Manchukuo "
              "was established on 1 Mar 1932. South-western and Kwantung lines hand-drawn, approximate."),
    dict(id="jehol-republic-of-china", atoms=["jehol"], start="1912-02-13", end="1933-03-03",
         name="Jehol (Republic of China)", name_modern="Chengde, Chifeng and Chaoyang regions",
         names={"zh": "熱河"}, side="chinese", precision="approximate",
         sources=[S("wikipedia-rehe-province"), S("wikipedia-battle-of-rehe"), NE],
         description="Chinese territory north of the Great Wall between Manchuria and Chahar; organised as "
                     "the Rehe special area in 1914 and as a province in 1923. Taken by Japanese and "
                     "Manchukuo troops in February-March 1933.",
         note=APPROX_CN + " The outline is shown from 1912, before Rehe became a separate special area "
              "(1914). The drawn area is about 188,000 km2, larger than the 114,000 km2 Wikipedia gives "
              "for the province; the figure may refer to a smaller definition, and the northern and western "
              "edges are uncertain."),
    dict(id="chahar-suiyuan-republic-of-china", atoms=["mengjiang-area"], start="1912-02-13",
         end="1939-08-31", name="Chahar, Suiyuan and northern Shanxi (Republic of China)",
         name_modern="central Inner Mongolia and northern Shanxi", side="chinese",
         precision="approximate",
         sources=[S("wikipedia-mengjiang"), S("wikipedia-south-chahar-autonomous-government"),
                  S("wikipedia-mongol-united-autonomous-government"), NE],
         description="The part of Inner Mongolia and northern Shanxi that became Mengjiang in 1939, shown "
                     "here while it was Chinese. Japanese forces took Kalgan in August 1937 and Hohhot and "
                     "Baotou in October 1937, and set up local regimes there.",
         note=APPROX_CN + " The outline is the approximate extent of Mengjiang, not a Chinese provincial "
              "boundary. The Japanese-sponsored South Chahar (4 Sep 1937), North Shanxi (Oct 1937) and "
              "Mongol United Autonomous (28 Oct 1937) governments are not separated; they merged into "
              "Mengjiang on 1 Sep 1939."),
    dict(id="chahar-suiyuan-republic-of-china-1945", atoms=["mengjiang-area"], start="1945-08-20",
         end="1945-09-02", name="Chahar, Suiyuan and northern Shanxi (Republic of China)",
         name_modern="central Inner Mongolia and northern Shanxi", side="chinese",
         precision="approximate", sources=[S("wikipedia-mengjiang"), NE],
         description="The former Mengjiang area after Mengjiang's end on 19 August 1945.",
         note=APPROX_CN + " Soviet-Mongolian forces advancing into Chahar in August 1945 are shown in the "
              "campaign layers."),
    dict(id="manchukuo-1932", atoms=["manchuria"], start="1932-03-01", end="1933-03-03",
         name="Manchukuo", name_modern="North-East China", names={"zh": "滿洲國", "ja": "満州国"},
         side="manchukuo", precision="approximate",
         sources=[NE, S("wikipedia-manchukuo")],
         description="Japanese puppet state proclaimed in Manchuria after the 1931 invasion, with the "
                     "former Qing emperor Puyi as head of state; before Jehol was taken.",
         note="South-western border (against Jehol and at Shanhaiguan) is hand-drawn and approximate; "
              "the Kwantung lease line too. Amur, Argun, Ussuri, Yalu, Tumen and the Mongolian border "
              "follow Natural Earth. Manchukuo claimed Jehol from the start."),
    dict(id="manchukuo-1933", atoms=["manchuria", "jehol"], start="1933-03-04", end="1945-08-18",
         name="Manchukuo", name_modern="North-East China and eastern Inner Mongolia",
         names={"zh": "滿洲國", "ja": "満州国"}, side="manchukuo", precision="approximate",
         sources=[NE, S("wikipedia-manchukuo"), S("simplewiki-manchukuo"), S("wikipedia-rehe-province"), S("wikipedia-battle-of-rehe"),
                  S("hawkes-bay-tribune-1933-03-06"), S("wikipedia-evacuation-of-manchukuo")],
         description="Manchukuo including Jehol, taken in the Japanese offensive of February-March 1933. "
                     "An empire under Puyi from 1934; it collapsed during the Soviet invasion of "
                     "August 1945.",
         figures=[{"label": "Area", "value": "984,195 km2", "ref": "wikipedia-manchukuo"},
                  {"label": "Area (1940 estimate)", "value": "1,192,081 km2", "ref": "simplewiki-manchukuo"}],
         note="Area: English Wikipedia's infobox gives 984,195 km2, Simple English Wikipedia 1,192,081 km2 "
              "(1940 estimate); the drawn polygon (with the Kwantung lease) is about 1,283,000 km2, closer "
              "to the second figure. Jehol date: Japanese troops entered Chengde on 4 Mar 1933 (press reports of that day); "
              "the Battle of Rehe is dated 21 Feb-1 Mar 1933. End: Wikipedia's infobox dates the end of "
              "Manchukuo to 18 Aug 1945 (Puyi's abdication); Simple English Wikipedia gives 15 Aug. The "
              "map uses 18 Aug. South-western border (Great Wall and Jehol's western edge) is "
              "hand-drawn and approximate; other borders follow Natural Earth."),
    dict(id="manchuria-soviet-occupation", atoms=["manchuria", "jehol"], start="1945-08-19",
         end="1945-09-02", name="Manchuria (Soviet military occupation)", name_modern="North-East China",
         side="soviet", precision="approximate", date_certainty="approximate",
         sources=[S("wikipedia-evacuation-of-manchukuo"), S("manawatu-standard-1945-08-23"), NE],
         description="Former Manchukuo after its dissolution, under Soviet military occupation; the "
                     "Kwantung Army surrendered in the days after 19 August.",
         note="The Soviet advance was progressive (see the campaign layers); this feature only marks that "
              "the Manchukuo state had ended. The region was formally transferred to Chinese "
              "administration in 1946. Borders as for Manchukuo (south-west approximate)."),
    dict(id="mengjiang", atoms=["mengjiang-area"], start="1939-09-01", end="1945-08-19",
         name="Mengjiang", name_modern="central Inner Mongolia and northern Shanxi",
         names={"zh": "蒙疆", "ja": "蒙疆", "mn": "Мэнжян"}, side="japanese", precision="approximate",
         sources=[S("wikipedia-mengjiang"), S("wikipedia-south-chahar-autonomous-government"),
                  S("wikipedia-mongol-united-autonomous-government"), S("wikipedia-battle-of-west-suiyuan"),
                  NE],
         description="Japanese-sponsored Mongol autonomous state with its capital at Kalgan, formed on "
                     "1 September 1939 from three regimes set up in 1937 in Chahar, Suiyuan and northern "
                     "Shanxi; nominally under Wang Jingwei's government from 1940.",
         note="Approximate extent: Chahar, Suiyuan north of the Yellow River east of about 108.9 E, and "
              "the Datong region of northern Shanxi. Mengjiang claimed all of Suiyuan, but western "
              "Suiyuan (the Hetao around Wuyuan) and the Ordos stayed in Chinese hands (Battle of West "
              "Suiyuan, 1940). All lines except the Mongolian border are hand-drawn. side 'japanese' "
              "because it was a Japanese puppet state. End date: 19 Aug 1945 (Wikipedia)."),
    dict(id="kwantung-leased-territory-russia", atoms=["kwantung"], start="1904-01-01",
         end="1905-09-04", name="Kwantung Leased Territory (Russian)", name_modern="Dalian",
         names={"ru": "Квантунская область", "zh": "關東州"}, side="russian", precision="approximate",
         sources=[S("wikipedia-kwantung-leased-territory"), S("treaty-of-portsmouth-1905"), NE],
         description="Tip of the Liaodong peninsula with Port Arthur and Dalny, leased by Russia from "
                     "China in March 1898 and developed as a naval base; Japan besieged and took Port "
                     "Arthur during the Russo-Japanese War.",
         note="Northern boundary hand-drawn from the lease description (north shore of Yadang / Port "
              "Adams Bay in the west to Pikou in the east). The places were taken by Japan during the "
              "war, before the lease formally passed to Japan with the Treaty of Portsmouth "
              "(5 Sep 1905), the date used here."),
    dict(id="kwantung-leased-territory-japan", atoms=["kwantung"], start="1905-09-05",
         end="1945-08-21", name="Kwantung Leased Territory", name_modern="Dalian",
         names={"ja": "関東州", "zh": "關東州"}, side="japanese", precision="approximate",
         sources=[S("wikipedia-kwantung-leased-territory"), S("treaty-of-portsmouth-1905"),
                  S("britannica-1929-kwantung"), S("izvestia-port-arthur-1945"), NE],
         description="Japanese-administered lease around Dairen and Port Arthur (Ryojun), seat of the "
                     "Kwantung Government and origin of the Kwantung Army's name.",
         note="Northern boundary hand-drawn (approximate) from the lease description; Pulantien and "
              "Pitzewo (Pikou) were inside it. Britannica (14th ed.) gives about 1,300 sq mi including "
              "islands; the drawn polygon is about 3,700 km2 (generalised 1:50m coast, small islands omitted). Soviet airborne "
              "troops landed at Port Arthur and Dairen on 22 Aug 1945, so Japanese rule is shown to 21 Aug."),
    dict(id="kwantung-soviet-occupation", atoms=["kwantung"], start="1945-08-22", end="1945-09-02",
         name="Port Arthur and Dairen (Soviet occupation)", name_modern="Dalian", side="soviet",
         precision="approximate",
         sources=[S("izvestia-port-arthur-1945"), S("manawatu-standard-1945-08-23"), NE],
         description="The Kwantung territory after Soviet airborne landings at Port Arthur and Dairen on "
                     "22 August 1945.",
         note="Northern boundary hand-drawn (approximate)."),
    # ----------------------------------------------------------------- map edge
    dict(id="british-india-burma-frontier", atoms=["south-west-corner"], start="1904-01-01",
         end="1945-09-02", name="British India and Burma (frontier districts)",
         name_modern="India (Arunachal Pradesh) and Myanmar (Kachin)", precision="approximate",
         sources=[NE],
         description="A small strip at the south-western corner of the map, shown only so that the "
                     "map has no gap.",
         note="Drawn with today's de facto lines from Natural Earth; this frontier (McMahon Line, 1914) "
              "was not settled or fully administered in the period, and China disputes it."),
]

SOURCES = {
    "natural-earth-4-1": {"title": "Natural Earth 1:10m/1:50m Cultural Vectors (via world-atlas 2.0.2)",
                          "author": "Natural Earth", "year": 2018,
                          "url": "https://www.naturalearthdata.com/"},
    "wikipedia-manchukuo": {"title": "Manchukuo", "publisher": "Wikipedia",
                            "url": "https://en.wikipedia.org/wiki/Manchukuo"},
    "simplewiki-manchukuo": {"title": "Manchukuo", "publisher": "Simple English Wikipedia",
                             "url": "https://simple.wikipedia.org/wiki/Manchukuo"},
    "wikipedia-rehe-province": {"title": "Rehe Province (Jehol)", "publisher": "Wikipedia",
                                "url": "https://en.wikipedia.org/wiki/Rehe_Province"},
    "wikipedia-actions-in-inner-mongolia-1933-1936": {"title": "Actions in Inner Mongolia (1933–1936)",
                                                      "publisher": "Wikipedia",
                                                      "url": "https://en.wikipedia.org/wiki/Actions_in_Inner_Mongolia_(1933%E2%80%931936)"},
    "wikipedia-battle-of-rehe": {"title": "Battle of Rehe", "publisher": "Wikipedia",
                                 "url": "https://en.wikipedia.org/wiki/Battle_of_Rehe"},
    "hawkes-bay-tribune-1933-03-06": {"title": "Fall of Chengteh (Shanghai, March 4)",
                                      "publisher": "Hawke's Bay Tribune, 6 March 1933 (Papers Past)",
                                      "year": 1933,
                                      "url": "https://paperspast.natlib.govt.nz/newspapers/HBTRIB19330306.2.79"},
    "wikipedia-kwantung-leased-territory": {"title": "Kwantung Leased Territory", "publisher": "Wikipedia",
                                            "url": "https://en.wikipedia.org/wiki/Kwantung_Leased_Territory"},
    "britannica-1929-kwantung": {"title": "Kwantung", "publisher": "Encyclopaedia Britannica, 14th ed., vol. 13",
                                 "year": 1929,
                                 "url": "http://gluedideas.com/content-collection/Encyclopedia-Britannica-Volume-13-Part-2-Kurantwad-Statue-of-Liberty/Kwantung.html"},
    "wikipedia-karafuto-prefecture": {"title": "Karafuto Prefecture", "publisher": "Wikipedia",
                                      "url": "https://en.wikipedia.org/wiki/Karafuto_Prefecture"},
    "wikipedia-soviet-invasion-of-south-sakhalin": {"title": "Soviet invasion of South Sakhalin",
                                                    "publisher": "Wikipedia",
                                                    "url": "https://en.wikipedia.org/wiki/Soviet_invasion_of_South_Sakhalin"},
    "treaty-of-portsmouth-1905": {"title": "Treaty of Peace between Japan and Russia, signed at Portsmouth, 5 September 1905",
                                  "publisher": "Wikisource (text from Brinkley, A History of the Japanese People)",
                                  "year": 1905, "url": "https://en.wikisource.org/wiki/Treaty_of_Portsmouth"},
    "wikipedia-treaty-of-portsmouth": {"title": "Treaty of Portsmouth", "publisher": "Wikipedia",
                                       "url": "https://en.wikipedia.org/wiki/Treaty_of_Portsmouth"},
    "wikipedia-treaty-of-saint-petersburg-1875": {"title": "Treaty of Saint Petersburg (1875)",
                                                  "publisher": "Wikipedia",
                                                  "url": "https://en.wikipedia.org/wiki/Treaty_of_Saint_Petersburg_(1875)"},
    "ruwiki-japanese-occupation-of-north-sakhalin": {"title": "Японская оккупация Северного Сахалина",
                                                     "publisher": "Russian Wikipedia",
                                                     "url": "https://ru.wikipedia.org/wiki/Японская_оккупация_Северного_Сахалина"},
    "wikipedia-soviet-japanese-basic-convention": {"title": "Soviet–Japanese Basic Convention",
                                                   "publisher": "Wikipedia",
                                                   "url": "https://en.wikipedia.org/wiki/Soviet%E2%80%93Japanese_Basic_Convention"},
    "wikipedia-battle-of-shumshu": {"title": "Battle of Shumshu", "publisher": "Wikipedia",
                                    "url": "https://en.wikipedia.org/wiki/Battle_of_Shumshu"},
    "kuril-info-occupation": {"title": "Occupation (of the Northern Territories)", "publisher": "kuril.info",
                              "url": "https://kuril.info/occupation/"},
    "pike-hirohitos-war-o12": {"title": "Hirohito's War, Appendix O: Japanese-Soviet Conflict in Siberia, Mongolia and Manchuria",
                           "author": "Francis Pike", "url": "http://www.francispike.org/main.php?mode=7&p1=O12"},
    "japan-times-2022-shumshu": {"title": "Fukushima man recalls Soviet detention after battle on Shumshu",
                                 "publisher": "The Japan Times", "year": 2022,
                                 "url": "https://www.japantimes.co.jp/news/2022/09/05/national/fukushima-soldier-soviet-union-detention/"},
    "wikipedia-japan-korea-treaty-of-1905": {"title": "Japan–Korea Treaty of 1905", "publisher": "Wikipedia",
                                             "url": "https://en.wikipedia.org/wiki/Japan%E2%80%93Korea_Treaty_of_1905"},
    "wikipedia-japan-korea-treaty-of-1910": {"title": "Japan–Korea Treaty of 1910", "publisher": "Wikipedia",
                                             "url": "https://en.wikipedia.org/wiki/Japan%E2%80%93Korea_Treaty_of_1910"},
    "wikipedia-korea-under-japanese-rule": {"title": "Korea under Japanese rule", "publisher": "Wikipedia",
                                            "url": "https://en.wikipedia.org/wiki/Korea_under_Japanese_rule"},
    "wikipedia-bogd-khanate-of-mongolia": {"title": "Bogd Khanate of Mongolia", "publisher": "Wikipedia",
                                           "url": "https://en.wikipedia.org/wiki/Bogd_Khanate_of_Mongolia"},
    "wikipedia-imperial-edict-of-the-abdication-of-the-qing-emperor": {
        "title": "Imperial Edict of the Abdication of the Qing Emperor", "publisher": "Wikipedia",
        "url": "https://en.wikipedia.org/wiki/Imperial_Edict_of_the_Abdication_of_the_Qing_Emperor"},
    "wikipedia-mengjiang": {"title": "Mengjiang", "publisher": "Wikipedia",
                            "url": "https://en.wikipedia.org/wiki/Mengjiang"},
    "wikipedia-south-chahar-autonomous-government": {"title": "South Chahar Autonomous Government",
                                                     "publisher": "Wikipedia",
                                                     "url": "https://en.wikipedia.org/wiki/South_Chahar_Autonomous_Government"},
    "wikipedia-mongol-united-autonomous-government": {"title": "Mongol United Autonomous Government",
                                                      "publisher": "Wikipedia",
                                                      "url": "https://en.wikipedia.org/wiki/Mongol_United_Autonomous_Government"},
    "wikipedia-battle-of-west-suiyuan": {"title": "Battle of West Suiyuan", "publisher": "Wikipedia",
                                         "url": "https://en.wikipedia.org/wiki/Battle_of_West_Suiyuan"},
    "wikipedia-tuvan-peoples-republic": {"title": "Tuvan People's Republic", "publisher": "Wikipedia",
                                         "url": "https://en.wikipedia.org/wiki/Tuvan_People%27s_Republic"},
    "wikipedia-treaty-on-the-creation-of-the-ussr": {"title": "Treaty on the Creation of the USSR",
                                                     "publisher": "Wikipedia",
                                                     "url": "https://en.wikipedia.org/wiki/Treaty_on_the_Creation_of_the_USSR"},
    "omniatlas-1922-12-30": {"title": "Northern Eurasia 1922: Creation of the Soviet Union",
                             "publisher": "Omniatlas",
                             "url": "https://omniatlas.com/maps/northern-eurasia/19221230/"},
    "gibson-far-eastern-republic": {"title": "Post-war government and politics of the Soviet Far East (abstract)",
                                    "publisher": "R Discovery (researcher.life)",
                                    "url": "https://discovery.researcher.life/article/post-war-government-and-politics-of-the-soviet-far-east/debbea5a818f372fb07f82769d4c0c85"},
    "wikipedia-evacuation-of-manchukuo": {"title": "Evacuation of Manchukuo", "publisher": "Wikipedia",
                                          "url": "https://en.wikipedia.org/wiki/Evacuation_of_Manchukuo"},
    "manawatu-standard-1945-08-23": {"title": "Russians return: back to Port Arthur. Airborne landings (London, Aug. 22)",
                                     "publisher": "Manawatu Standard, 23 August 1945 (Papers Past)", "year": 1945,
                                     "url": "https://paperspast.natlib.govt.nz/newspapers/MS19450823.2.37"},
    "izvestia-port-arthur-1945": {"title": "Red flag over Port Arthur: how the Soviet army drove the Japanese out of Lüshun",
                                  "author": "Arsenii Zamostanov", "publisher": "Izvestia",
                                  "url": "https://en.iz.ru/en/1936713/arsenii-zamostanov/red-flag-over-port-arthur-how-soviet-army-drove-japanese-out-liushun"},
}

BORDERS = [
    dict(id="sakhalin-50th-parallel", pair=("sakhalin-north", "sakhalin-south"), start="1905-09-05",
         end="1945-08-25", name="Russo-Japanese border on Sakhalin (50th parallel)", precision="exact",
         sources=[S("treaty-of-portsmouth-1905", "Art. IX and additional article II"),
                  S("wikipedia-karafuto-prefecture"), NE],
         description="Land border between Karafuto and Russian (later Soviet) northern Sakhalin, fixed "
                     "at the 50th parallel by the Treaty of Portsmouth and marked by a demarcation "
                     "commission.",
         note="Drawn exactly along 50 N; the demarcated line could depart from it locally for "
              "topographical reasons. During the Japanese occupation of the north (1920-1925) it was "
              "not a front line."),
    dict(id="great-wall-border", pair=(("manchuria", "jehol"), ("china-proper",)), start="1933-03-04",
         end="1945-08-18", name="Manchukuo–China border along the Great Wall", precision="approximate",
         sources=[S("wikipedia-rehe-province"), S("wikipedia-battle-of-rehe"),
                  S("wikipedia-actions-in-inner-mongolia-1933-1936"), NE],
         description="The southern border of Manchukuo after the conquest of Jehol: from the sea at "
                     "Shanhaiguan along the Great Wall to beyond Gubeikou.",
         note="Hand-drawn along the Great Wall, approximate (about 10-20 km). After the Tanggu Truce "
              "(May 1933) Japanese expansion turned west towards Chahar and Suiyuan instead of south "
              "of the Wall."),
    dict(id="kwantung-lease-boundary", pair=("kwantung", "manchuria"), start="1904-01-01",
         end="1945-08-21", name="Northern boundary of the Kwantung Leased Territory",
         precision="approximate",
         sources=[S("wikipedia-kwantung-leased-territory"), S("britannica-1929-kwantung")],
         description="Land boundary of the Port Arthur and Dairen lease across the Liaodong peninsula, "
                     "from Yadang (Port Adams) Bay to Pikou.",
         note="Hand-drawn from the lease description, approximate."),
]


# ---------------------------------------------------------------------------------------------------
def to_date(s):
    parts = [int(x) for x in s.split("-")]
    return date(*(parts + [1] * (3 - len(parts))))


def round_coords(geom_mapping):
    def rnd(c):
        if isinstance(c[0], (list, tuple)):
            return [rnd(x) for x in c]
        return [round(c[0], 3), round(c[1], 3)]
    return {"type": geom_mapping["type"], "coordinates": rnd(geom_mapping["coordinates"])}


def territory_geometry(simple, atom_names):
    geom = shapely.coverage_union_all([simple[a] for a in atom_names])
    geom = polygonal(shapely.make_valid(geom))
    polys = [orient(p, 1.0) for p in geom.geoms]
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def shared_line(simple, a, b):
    ga = shapely.union_all([simple[x] for x in (a if isinstance(a, tuple) else (a,))])
    gb = shapely.union_all([simple[x] for x in (b if isinstance(b, tuple) else (b,))])
    line = ga.boundary.intersection(gb.boundary)
    segs = [g for g in getattr(line, "geoms", [line]) if g.geom_type in ("LineString", "MultiLineString")]
    merged = shapely.union_all(segs)
    return merged if merged.geom_type == "LineString" else linemerge(merged)


def build(out_dir, check=True):
    countries = load_countries()
    atoms = build_atoms(countries)
    simple = simplify_coverage(atoms)
    assert shapely.coverage_is_valid(list(simple.values())), "simplified coverage not valid"

    features = []
    for t in TERRITORIES:
        geom = territory_geometry(simple, t["atoms"])
        props = {"id": t["id"], "name": t["name"]}
        for k in ("name_modern", "names"):
            if t.get(k):
                props[k] = t[k]
        props["kind"] = "territory"
        if t.get("side"):
            props["side"] = t["side"]
        props["start_date"], props["end_date"] = t["start"], t["end"]
        if t.get("date_certainty"):
            props["date_certainty"] = t["date_certainty"]
        props["precision"] = t.get("precision", "exact")
        props["sources"] = t["sources"]
        props["description"] = t["description"]
        if t.get("note"):
            props["note"] = t["note"]
        if t.get("figures"):
            props["figures"] = t["figures"]
        features.append({"type": "Feature", "geometry": round_coords(mapping(geom)), "properties": props})

    for b in BORDERS:
        line = shared_line(simple, *b["pair"])
        props = {"id": b["id"], "name": b["name"]}
        if b.get("names"):
            props["names"] = b["names"]
        props.update({"kind": "border", "start_date": b["start"], "end_date": b["end"],
                      "precision": b["precision"], "sources": b["sources"],
                      "description": b["description"]})
        if b.get("note"):
            props["note"] = b["note"]
        features.append({"type": "Feature", "geometry": round_coords(mapping(line)), "properties": props})

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "territories.geojson"), "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False,
                  separators=(",", ":"))
        f.write("\n")
    cited = {s["ref"] for feat in features for s in feat["properties"]["sources"]}
    cited |= {x["ref"] for feat in features for x in feat["properties"].get("figures", [])}
    missing = cited - set(SOURCES)
    assert not missing, f"cited but not defined: {missing}"
    with open(os.path.join(out_dir, "sources.json"), "w", encoding="utf-8") as f:
        json.dump({"sources": {k: v for k, v in SOURCES.items() if k in cited}}, f, ensure_ascii=False,
                  indent=1)
        f.write("\n")
    if check:
        run_checks(features, atoms, simple)
    return features


# ---------------------------------------------------------------------------------------------------
SAMPLE_DATES = ["1904-06-01", "1906-01-01", "1911-01-01", "1925-01-01", "1932-06-01", "1934-01-01",
                "1940-01-01", "1945-08-09", "1945-09-02"]


def km2(geoms):
    """Areas in km2 (EPSG:6933, equal-area)."""
    s = gpd.GeoSeries(list(geoms), crs=4326).to_crs(6933)
    return list(s.area / 1e6)


def run_checks(features, atoms, simple):
    from shapely.geometry import shape
    terr = [(f["properties"], shape(f["geometry"])) for f in features if f["properties"]["kind"] == "territory"]
    bad = [p["id"] for p, g in terr if not g.is_valid]
    ccw = all(p.exterior.is_ccw and all(not r.is_ccw for r in p.interiors)
              for _, g in terr for p in getattr(g, "geoms", [g]))
    outside = [p["id"] for p, g in terr if not AREA.buffer(1e-9).contains(g)]
    print(f"territories: {len(terr)}, invalid: {bad or 'none'}, all exteriors CCW/holes CW: {ccw}, "
          f"outside area: {outside or 'none'}")
    # date tiling per atom: every atom must be covered by exactly one territory on every day
    for a in atoms:
        spans = sorted((to_date(t["start"]), to_date(t["end"]), t["id"]) for t in TERRITORIES if a in t["atoms"])
        gaps = [(spans[i][2], spans[i + 1][2]) for i in range(len(spans) - 1)
                if (spans[i + 1][0] - spans[i][1]).days != 1]
        ok = spans[0][0] == date(1904, 1, 1) and spans[-1][1] == date(1945, 9, 2) and not gaps
        if not ok:
            print(f"  DATE TILING PROBLEM for atom {a}: {spans}")
    print("date tiling of every atom 1904-01-01..1945-09-02: checked (problems listed above, if any)")

    land = gpd.read_file(os.path.join(WORLD_ATLAS, "land-50m.json"), layer="land").set_crs(4326, allow_override=True)
    land = [shapely.make_valid(g) for g in land.geometry.values]
    land = polygonal(shapely.make_valid(shapely.union_all([g.intersection(AREA) for g in land if g.intersects(AREA)])))
    land_km2 = km2([land])[0]
    print(f"land (Natural Earth land-50m) in area: {land_km2:,.0f} km2")
    print("date        n  overlap_km2  union_km2   land-minus-union_km2  union-minus-land_km2")
    for d in SAMPLE_DATES:
        dd = to_date(d)
        valid = [(p, g) for p, g in terr if to_date(p["start_date"]) <= dd <= to_date(p["end_date"])]
        overlap = 0.0
        for i in range(len(valid)):
            for j in range(i + 1, len(valid)):
                inter = valid[i][1].intersection(valid[j][1])
                if inter.area > 0:
                    overlap += km2([inter])[0]
        union = shapely.union_all([g for _, g in valid])
        u, gap, extra = km2([union, land.difference(union), union.difference(land)])
        print(f"{d}  {len(valid):2d}  {overlap:11.3f}  {u:10,.0f}  {gap:20,.0f}  {extra:20,.0f}")
    a = dict(zip(simple, km2(simple.values())))
    print(f"areas km2: Jehol {a['jehol']:,.0f} (Wikipedia: 114,000); Manchuria+Jehol+Kwantung "
          f"{a['manchuria'] + a['jehol'] + a['kwantung']:,.0f} (Manchukuo infobox: 984,195; Simple "
          f"English Wikipedia 1940 est.: 1,192,081); Kwantung {a['kwantung']:,.0f} (Britannica: about "
          f"1,300 sq mi = 3,367 km2 incl. islands); Mengjiang area {a['mengjiang-area']:,.0f}; "
          f"Karafuto {a['sakhalin-south']:,.0f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(HERE), ".cache", "territories"),
                    help="output folder (default: .cache/territories)")
    ap.add_argument("--no-check", action="store_true", help="skip the checks")
    ap.add_argument("--tolerance", type=float, default=SIMPLIFY,
                    help=f"coverage simplification tolerance in degrees (default {SIMPLIFY}; "
                         "0.05 brings the file to about 160 KB)")
    args = ap.parse_args()
    SIMPLIFY = args.tolerance
    feats = build(args.out, check=not args.no_check)
    size = os.path.getsize(os.path.join(args.out, "territories.geojson"))
    print(f"wrote {len(feats)} features, territories.geojson {size / 1024:.0f} KB")
