"""HealthChecker's rule (CSS-Exchange Shared/CompareExchangeBuildLevel.ps1,
Test-ExchangeBuildGreaterOrEqualThanSecurityPatch) read again here, from the two data
tables alone and not from exray: check_cves.py and check_mail.py use it."""
import csv, re


def rows(path):
    return list(csv.DictReader(l for l in open(path, encoding="utf-8") if not l.startswith("#")))


def ver(s):
    return tuple(int(x) for x in s.split("."))


def carries(r, su):
    if r["kind"] in ("su", "hu"):
        return r["update"] == su or re.fullmatch(re.escape(su) + r"v\d+", r["update"]) is not None
    return r["kind"] == "cu" and r["cu"] == su


class Rule:
    def __init__(self, builds_csv, vulns_csv):
        self.builds = rows(builds_csv)
        self.vulns = rows(vulns_csv)
        self.by_build = {b["build"]: b for b in self.builds if b["kind"] != "cu-owa"}

    def one(self, b, su):
        """the verdict of one update for build row b"""
        mine = [r for r in self.builds if r["product"] == b["product"]]
        cu_rel = [r for r in mine if r["kind"] == "cu" and r["cu"] == b["cu"]]
        m = re.match(r"[A-Z][a-z]{2}(\d\d)(SU|HU)", su)
        if m and cu_rel and int(cu_rel[0]["released"][:4]) > 2000 + int(m.group(1)):
            return "patched"  # SUs of years before the CU's release are skipped
        carriers = [r for r in mine if carries(r, su)]
        if not carriers:
            return "not-affected" if any(carries(r, su) for r in self.builds) else "undetermined"
        if ver(b["build"]) >= max(ver(r["build"]) for r in carriers):
            return "patched"
        own = [r for r in carriers if r["cu"] == b["cu"]]
        if own and ver(b["build"]) >= min(ver(r["build"]) for r in own):
            return "patched"
        return "vulnerable"

    def states(self, b, cve):
        return [self.one(b, v["update"]) for v in self.vulns if v["cve"] == cve and b["product"] in v["products"].split()]

    def cves_of(self, b):
        return sorted({v["cve"] for v in self.vulns if b["product"] in v["products"].split()})

    def open_cves(self, build):
        """the CVEs open by version for a build that is a row of the table, or for a 3-part
        build (a CU, revision unknown): those open on every revision of that CU, i.e. open on
        its release build with no update for it on that CU. None for other builds."""
        b = self.by_build.get(build)
        if b is None and build and build.count(".") == 2:
            rel = [r for r in self.builds if r["kind"] == "cu" and r["build"].startswith(build + ".")]
            if not rel or rel[0]["product"] not in ("2013", "2016", "2019", "SE"):
                return None
            b = rel[0]
            mine = [r for r in self.builds if r["product"] == b["product"] and r["cu"] == b["cu"]]
            return {c for c in self.cves_of(b)
                    if any(self.one(b, v["update"]) == "vulnerable" and not any(carries(r, v["update"]) for r in mine)
                           for v in self.vulns if v["cve"] == c and b["product"] in v["products"].split())}
        if b is None and build and build.count(".") == 3:  # a build of a known CU the table has no row for
            rel = [r for r in self.builds if r["kind"] == "cu" and r["build"].rsplit(".", 1)[0] == build.rsplit(".", 1)[0]]
            b = dict(rel[0], build=build, kind="other") if rel else None
        if b is None or b["product"] not in ("2010", "2013", "2016", "2019", "SE"):
            return None
        return {c for c in self.cves_of(b) if "vulnerable" in self.states(b, c)}

    def undetermined(self, build):
        """the CVEs a build cannot decide by version, configuration-dependent ones apart:
        a 3-part build whose CU received the update (its revision would say)"""
        if not build or build.count(".") != 2:
            return set()
        rel = [r for r in self.builds if r["kind"] == "cu" and r["build"].startswith(build + ".")]
        if not rel:
            return set()
        b = rel[0]
        mine = [r for r in self.builds if r["product"] == b["product"] and r["cu"] == b["cu"]]
        return {v["cve"] for v in self.vulns if b["product"] in v["products"].split() and not v["config"]
                and any(carries(r, v["update"]) for r in mine) and self.one(b, v["update"]) == "vulnerable"}

    def row(self, build):
        b = self.by_build.get(build)
        if b is None and build:
            key = build if build.count(".") == 2 else build.rsplit(".", 1)[0]
            rel = [r for r in self.builds if r["kind"] == "cu" and r["build"].rsplit(".", 1)[0] == key]
            b = rel[0] if rel else None
        return b

    def support(self, build, day, lifecycle_csv):
        """Microsoft's lifecycle on day (YYYY-MM-DD): supported, extended-security-updates
        (an ESU-eligible CU inside the window), end-of-life; None for a line it does not list"""
        b = self.row(build)
        if b is None:
            return None
        life = {r["product"]: r for r in rows(lifecycle_csv)}.get(b["product"])
        if life is None:
            return None
        if not life["extended_end"] or day <= life["extended_end"]:
            return "supported"
        if life["esu_end"] and b["cu"] in life["esu_cus"].split() and day <= life["esu_end"]:
            return "extended-security-updates"
        return "end-of-life"

    def state(self, build, day, lifecycle_csv, shell=False, asserted=()):
        """DESIGN.md's one state: compromised > vulnerable > end-of-life > undetermined >
        patched; not-affected for Exchange Online (15.20 and later)"""
        if shell:
            return "compromised"
        opened = (self.open_cves(build) or set()) | set(asserted)
        if opened:
            return "vulnerable"
        if build and build.startswith("15.") and int(build.split(".")[1]) >= 20:
            return "not-affected"
        if self.open_cves(build) is None:
            return "undetermined"
        if self.support(build, day, lifecycle_csv) == "end-of-life":
            return "end-of-life"
        return "undetermined" if self.undetermined(build) else "patched"

    def kev(self, cve):
        return any(v["cve"] == cve and v["kev_added"] for v in self.vulns)

    def campaign(self, cve):
        return any(v["cve"] == cve and v["campaign"] for v in self.vulns)
