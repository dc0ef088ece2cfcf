#!/usr/bin/env python3
"""Builds data/geo/gazetteer.tsv, the gazetteer compiled into Earshot.

Reads the GeoNames extract (cities15000.txt, countryInfo.txt,
admin1CodesASCII.txt) and the hand-written data/geo/aliases.tsv, and writes
one compact TSV that src/geo/gazetteer.cc parses. Standard library only.

    python3 tools/build_gazetteer.py \
        --geonames ../shared/data/geonames --out data/geo/gazetteer.tsv

Record types (tab-separated, one per line; '|' joins name lists):
    C  iso2 iso3 name population lat lon alternates      country
    A  country code name alternates                      admin1 region
    P  name country admin1 population lat lon alternates city
    L  alias kind ordinal preferred                      alias -> C/A/P record
    S  word imaginary                                    names no place (1: a
                                                         place not on a map)
The ordinal counts records of that kind from 0 in file order; preferred is
1 when the alias wins standing alone (aliases.tsv marks it with '!'). Lat/lon of a
country is its capital's (or largest listed city's).
"""

import argparse
import os
import sys
import unicodedata

# Regions of France as coded in the 2012 cities export, mapped to the
# post-2016 regions that admin1CodesASCII.txt uses.
FR_OLD_REGIONS = {
    "97": "75", "98": "84", "99": "28", "A1": "27", "A2": "53", "A3": "24",
    "A4": "44", "A5": "94", "A6": "27", "A7": "28", "A8": "11", "A9": "76",
    "B1": "75", "B2": "44", "B3": "76", "B4": "32", "B5": "52", "B6": "32",
    "B7": "75", "B8": "93", "B9": "84", "C1": "44",
}

# Admin1 codes people write as they are ("TX", "ZH").
LETTER_CODE_COUNTRIES = {"US"}

MAX_ALT_LEN = 40


def fold(s):
    """Returns a rough match key: no accents, lower case, words only."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("'", "").replace("\u2019", "").lower()
    out = []
    for c in s:
        out.append(c if c.isalnum() else " ")
    return " ".join("".join(out).split())


def script_ok(name):
    """Keeps Latin names and the CJK, Hangul and Thai scripts Earshot meets."""
    latin = other = 0
    for c in name:
        cp = ord(c)
        if cp < 0x250 or 0x1E00 <= cp < 0x1F00:
            if c.isalpha():
                latin += 1
        elif (0x3040 <= cp < 0x3100 or 0x4E00 <= cp < 0xA000 or
              0xAC00 <= cp < 0xD7B0 or 0x0E00 <= cp < 0x0E80):
            other += 1
        elif c.isalpha():
            return False
    if other and latin:
        return False
    if latin:
        # GeoNames lists machine romanisations of Chinese, Arabic and Korean
        # names in lower case ("an dao er cheng"); real names are capitalised.
        if not any(c.isupper() for c in name):
            return False
        # Short all-caps alternates are airport and city codes ("ALV", "LAX"):
        # too many collide with words, so the useful ones live in aliases.tsv.
        letters = [c for c in name if c.isalpha()]
        if len(letters) <= 4 and all(c.isupper() for c in letters):
            return False
        return True
    return other > 0


def pick_alternates(name, ascii_name, alternates):
    seen = {fold(name)}
    out = []
    for alt in [ascii_name] + alternates:
        alt = alt.strip()
        if not alt or len(alt) > MAX_ALT_LEN or "|" in alt or "\t" in alt:
            continue
        if alt is not ascii_name and not script_ok(alt):
            continue
        key = fold(alt)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(alt)
    return out


def clean(s):
    return s.replace("\t", " ").replace("|", " ").strip()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--geonames", default=os.path.join(root, "..", "shared", "data", "geonames"))
    ap.add_argument("--aliases", default=os.path.join(root, "data", "geo", "aliases.tsv"))
    ap.add_argument("--out", default=os.path.join(root, "data", "geo", "gazetteer.tsv"))
    args = ap.parse_args()

    def src(name):
        return open(os.path.join(args.geonames, name), encoding="utf-8")

    # Admin1 regions.
    admin1 = []  # [country, code, name, [alternates]]
    admin1_index = {}
    with src("admin1CodesASCII.txt") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 3 or "." not in fields[0]:
                continue
            cc, code = fields[0].split(".", 1)
            alts = []
            if fields[2] and fold(fields[2]) != fold(fields[1]):
                alts.append(fields[2])
            if cc in LETTER_CODE_COUNTRIES and code.isalpha():
                alts.append(code)
            admin1_index[(cc, code)] = len(admin1)
            admin1.append([cc, code, clean(fields[1]), alts])

    # Cities.
    cities = []  # [name, cc, admin1, population, lat, lon, [alternates]]
    with src("cities15000.txt") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 15:
                continue
            name, ascii_name, alternates = fields[1], fields[2], fields[3]
            cc, code = fields[8], fields[10]
            if cc == "FR":
                code = FR_OLD_REGIONS.get(code, code)
            try:
                pop = int(fields[14] or 0)
                lat, lon = float(fields[4]), float(fields[5])
            except ValueError:
                continue
            alts = pick_alternates(name, ascii_name, alternates.split(",") if alternates else [])
            cities.append([clean(name), cc, code, pop, lat, lon, [clean(a) for a in alts]])
    cities.sort(key=lambda c: (c[1], c[2], -c[3], c[0]))

    # Countries.
    countries = []  # [iso2, iso3, name, population, lat, lon, [alternates], capital]
    with src("countryInfo.txt") as f:
        for line in f:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 8 or len(fields[0]) != 2:
                continue
            try:
                pop = int(fields[7] or 0)
            except ValueError:
                pop = 0
            countries.append([fields[0], fields[1], clean(fields[4]), pop, None, None, [], fields[5]])
    country_index = {c[0]: i for i, c in enumerate(countries)}
    for c in countries:
        in_country = [x for x in cities if x[1] == c[0]]
        capital = [x for x in in_country if x[0] == c[7] or c[7] in x[6]]
        best = max(capital or in_country, key=lambda x: x[3], default=None)
        if best:
            c[4], c[5] = best[4], best[5]

    # Hand-written aliases.
    aliases = []  # (alias, kind, ordinal, preferred)
    stopwords = []
    with open(args.aliases, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) < 2:
                sys.exit(f"{args.aliases}:{n}: want alias<TAB>target<TAB>note")
            alias, target = clean(fields[0]), fields[1].strip()
            preferred = target.startswith("!")
            kind, _, ref = target.lstrip("!").partition(":")
            if kind == "none":
                stopwords.append((alias, ref == "imaginary"))
            elif kind == "country":
                if ref not in country_index:
                    sys.exit(f"{args.aliases}:{n}: unknown country {ref}")
                aliases.append((alias, "C", country_index[ref], preferred))
            elif kind == "admin1":
                cc, _, code = ref.partition(".")
                if (cc, code) not in admin1_index:
                    sys.exit(f"{args.aliases}:{n}: unknown admin1 {ref}")
                aliases.append((alias, "A", admin1_index[(cc, code)], preferred))
            elif kind == "city":
                where, _, name = ref.partition(":")
                cc, _, code = where.partition(".")
                found = [i for i, x in enumerate(cities)
                         if x[1] == cc and (not code or x[2] == code) and
                         (x[0] == name or name in x[6])]
                if not found:
                    sys.exit(f"{args.aliases}:{n}: unknown city {ref}")
                # A city of that name beats one that only lists it as an
                # alternate ("Osaka" over "Ōsaka-shi").
                exact = [i for i in found if cities[i][0] == name]
                aliases.append((alias, "P", max(exact or found, key=lambda i: cities[i][3]), preferred))
            else:
                sys.exit(f"{args.aliases}:{n}: target must be country:, admin1:, city: or none")

    def fmt(x):
        return "" if x is None else f"{x:.4f}".rstrip("0").rstrip(".")

    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write("# Earshot gazetteer, generated by tools/build_gazetteer.py; do not edit.\n")
        out.write("# Contains data from GeoNames (geonames.org), CC BY 4.0.\n")
        for c in countries:
            out.write("\t".join(["C", c[0], c[1], c[2], str(c[3]), fmt(c[4]), fmt(c[5]), "|".join(c[6])]) + "\n")
        for a in admin1:
            out.write("\t".join(["A", a[0], a[1], a[2], "|".join(a[3])]) + "\n")
        for x in cities:
            out.write("\t".join(["P", x[0], x[1], x[2], str(x[3]), fmt(x[4]), fmt(x[5]), "|".join(x[6])]) + "\n")
        for alias, kind, ordinal, preferred in aliases:
            out.write("\t".join(["L", alias, kind, str(ordinal), "1" if preferred else "0"]) + "\n")
        for word, imaginary in stopwords:
            out.write("\t".join(["S", word, "1" if imaginary else "0"]) + "\n")
    print(f"{args.out}: {len(countries)} countries, {len(admin1)} regions, "
          f"{len(cities)} cities, {len(aliases)} aliases, {len(stopwords)} stopwords, {os.path.getsize(args.out)} bytes")


if __name__ == "__main__":
    main()
