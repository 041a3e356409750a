package gdelt_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-api/parley/formats/gdelt"
	"github.com/parley-api/parley/models"
)

// gdDir holds the GDELT test files (see testdata/ORIGIN.md).
var gdDir = "testdata"

// gdColumns reads the column names of a published GDELT layout file.
func gdColumns(t testing.TB, file string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(gdDir, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows[1:] { // a header line, then name,type,description
		names = append(names, r[0])
	}
	return names
}

// gdLayouts are the three layouts as column name lists, from the published files.
type gdLayouts struct{ v1hist, v1daily, v2 []string }

func gdLoadLayouts(t testing.TB) gdLayouts {
	v1 := gdColumns(t, "gdelt-v1-event-columns.csv")
	v2 := gdColumns(t, "gdelt-v2-event-columns.csv")
	if len(v1) != 58 || len(v2) != 61 || v1[57] != "SOURCEURL" {
		t.Fatalf("layout files: %d and %d columns, last v1 %q", len(v1), len(v2), v1[len(v1)-1])
	}
	return gdLayouts{v1hist: v1[:57], v1daily: v1, v2: v2}
}

// gdBase is a plausible row: the United States and Russia negotiate in Abu Dhabi.
func gdBase() map[string]string {
	return map[string]string{
		"GLOBALEVENTID": "1000001", "SQLDATE": "20260123", "MonthYear": "202601", "Year": "2026",
		"FractionDate": "2026.0630",
		"Actor1Code":   "USA", "Actor1Name": "UNITED STATES", "Actor1CountryCode": "USA",
		"Actor2Code": "RUS", "Actor2Name": "RUSSIA", "Actor2CountryCode": "RUS",
		"IsRootEvent": "1", "EventCode": "046", "EventBaseCode": "046", "EventRootCode": "04",
		"QuadClass": "1", "GoldsteinScale": "7.0", "NumMentions": "10", "NumSources": "2",
		"NumArticles": "10", "AvgTone": "1.5",
		"ActionGeo_Type": "4", "ActionGeo_FullName": "Abu Dhabi, Abu Dhabi, United Arab Emirates",
		"ActionGeo_CountryCode": "AE", "ActionGeo_ADM1Code": "AE01", "ActionGeo_ADM2Code": "4321",
		"ActionGeo_Lat": "24.4667", "ActionGeo_Long": "54.3667", "ActionGeo_FeatureID": "-782066",
		"DATEADDED": "20260124", "SOURCEURL": "https://www.meduza.io/en/news/2026/01/24/talks",
	}
}

// gdRow writes one tab-separated row in layout cols: the values of gdBase, overridden
// by set (a key set to "" empties the column). A GDELT 2.0 DATEADDED gets a time.
func gdRow(cols []string, set map[string]string) string {
	v := gdBase()
	if len(cols) == 61 {
		v["DATEADDED"] += "103000"
	}
	for k, x := range set {
		v[k] = x
	}
	fields := make([]string, len(cols))
	for i, c := range cols {
		fields[i] = v[c]
	}
	return strings.Join(fields, "\t") + "\n"
}

// gdResult is what a decoding run reported.
type gdResult struct {
	kept    []gdelt.Record
	skipped []gdelt.Skip
}

// gdDecode decodes input and checks that every record is valid for the store.
func gdDecode(t *testing.T, input string, opt gdelt.Options) gdResult {
	t.Helper()
	return gdDecodeReader(t, strings.NewReader(input), opt)
}

func gdDecodeReader(t *testing.T, r io.Reader, opt gdelt.Options) gdResult {
	t.Helper()
	var res gdResult
	err := gdelt.Decode(r, opt, func(rec gdelt.Record) error {
		gdValidate(t, rec)
		res.kept = append(res.kept, rec)
		return nil
	}, func(s gdelt.Skip) error {
		res.skipped = append(res.skipped, s)
		return nil
	})
	if err != nil {
		t.Fatalf("DecodeGDELT: %v", err)
	}
	return res
}

// gdValidate checks a record with the models' own validation, and its references.
func gdValidate(t *testing.T, rec gdelt.Record) {
	t.Helper()
	if err := rec.Event.Validate(); err != nil {
		t.Errorf("line %d: event: %v", rec.Line, err)
	}
	slugs := map[string]bool{}
	for _, a := range rec.Actors {
		if err := a.Validate(); err != nil {
			t.Errorf("line %d: actor %s: %v", rec.Line, a.Slug, err)
		}
		slugs[a.Slug] = true
	}
	for _, p := range rec.Event.Participants {
		if !slugs[p.Actor.Slug] {
			t.Errorf("line %d: participant %s is not among the actors", rec.Line, p.Actor.Slug)
		}
	}
	if len(rec.Actors) != len(rec.Event.Participants) {
		t.Errorf("line %d: %d actors, %d participants", rec.Line, len(rec.Actors), len(rec.Event.Participants))
	}
	if rec.Location != nil {
		if err := rec.Location.Validate(); err != nil {
			t.Errorf("line %d: location: %v", rec.Line, err)
		}
		if rec.Event.Location == nil || rec.Event.Location.Slug != rec.Location.Slug {
			t.Errorf("line %d: event location %v, want %s", rec.Line, rec.Event.Location, rec.Location.Slug)
		}
	} else if rec.Event.Location != nil {
		t.Errorf("line %d: event refers to a location that is not in the record", rec.Line)
	}
	if rec.Source != nil {
		if err := rec.Source.Validate(); err != nil {
			t.Errorf("line %d: source: %v", rec.Line, err)
		}
		if len(rec.Event.Sources) != 1 || rec.Event.Sources[0].Slug != rec.Source.Slug {
			t.Errorf("line %d: event sources %v, want %s", rec.Line, rec.Event.Sources, rec.Source.Slug)
		}
	} else if len(rec.Event.Sources) != 0 {
		t.Errorf("line %d: event cites a source that is not in the record", rec.Line)
	}
	if rec.Event.Slug != "gdelt-"+rec.GlobalEventID {
		t.Errorf("line %d: slug %s for event %s", rec.Line, rec.Event.Slug, rec.GlobalEventID)
	}
}

// gdOne decodes one row that must be kept.
func gdOne(t *testing.T, row string, opt gdelt.Options) gdelt.Record {
	t.Helper()
	res := gdDecode(t, row, opt)
	if len(res.kept) != 1 || len(res.skipped) != 0 {
		t.Fatalf("kept %d, skipped %v; want one kept", len(res.kept), res.skipped)
	}
	return res.kept[0]
}

func gdRoles(rec gdelt.Record) string {
	var out []string
	for _, p := range rec.Event.Participants {
		out = append(out, p.Actor.Slug+":"+string(p.Role))
	}
	return strings.Join(out, " ")
}

func TestGDELTLayouts(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	for _, tc := range []struct {
		name      string
		cols      []string
		source    bool
		published string
	}{
		{"57 columns, GDELT 1.0 historical", l.v1hist, false, ""},
		{"58 columns, GDELT 1.0 daily", l.v1daily, true, "2026-01-24"},
		{"61 columns, GDELT 2.0", l.v2, true, "2026-01-24"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := gdOne(t, gdRow(tc.cols, nil), gdelt.Options{})
			if rec.Line != 1 || rec.GlobalEventID != "1000001" || rec.Event.Slug != "gdelt-1000001" {
				t.Errorf("line %d id %s slug %s", rec.Line, rec.GlobalEventID, rec.Event.Slug)
			}
			e := rec.Event
			if e.Date.EDTF != "2026-01-23" || e.Date.Precision != models.PrecisionDay {
				t.Errorf("date %+v", e.Date)
			}
			if e.Type != models.EventNegotiation || e.Status != models.StatusHeld || e.CAMEO != "046" {
				t.Errorf("type %s status %s cameo %s", e.Type, e.Status, e.CAMEO)
			}
			if want := "United States – Russia: Engage in negotiation"; e.Title != want {
				t.Errorf("title %q, want %q", e.Title, want)
			}
			if want := "United States negotiated with Russia."; e.Summary != want {
				t.Errorf("summary %q, want %q", e.Summary, want)
			}
			if strings.Join(e.Tags, ",") != "gdelt" {
				t.Errorf("tags %v", e.Tags)
			}
			if got := gdRoles(rec); got != "gdelt-usa:participant gdelt-rus:participant" {
				t.Errorf("participants %s", got)
			}
			loc := rec.Location
			if loc == nil || loc.Name != "Abu Dhabi, Abu Dhabi, United Arab Emirates" || loc.Country != "AE" ||
				loc.AdminArea != "Abu Dhabi" || *loc.Latitude != 24.4667 || *loc.Longitude != 54.3667 ||
				loc.Slug != "gdelt-geo-gns-n782066" || loc.ExternalIDs["gns"] != "-782066" {
				t.Errorf("location %+v", loc)
			}
			if !tc.source {
				if rec.Source != nil {
					t.Errorf("source %+v in a file without SOURCEURL", rec.Source)
				}
				return
			}
			s := rec.Source
			if s == nil || s.Outlet != "meduza.io" || s.URL != "https://www.meduza.io/en/news/2026/01/24/talks" ||
				s.Published.EDTF != tc.published || s.Title != "" || !strings.HasPrefix(s.Slug, "gdelt-src-") ||
				len(s.Slug) != len("gdelt-src-")+16 {
				t.Errorf("source %+v", s)
			}
		})
	}
}

func TestGDELTEventTypes(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	const us, ru = "gdelt-usa", "gdelt-rus"
	p, h, m := models.RoleParticipant, models.RoleHost, models.RoleMediator
	for _, tc := range []struct {
		code    string
		typ     models.EventType
		r1, r2  models.Role
		desc    string
		summary string
	}{
		{"030", models.EventStatement, p, p, "Express intent to cooperate", "United States expressed intent to cooperate with Russia."},
		{"031", models.EventStatement, p, p, "Agree to engage in material cooperation", "United States expressed intent to engage in material cooperation with Russia."},
		{"0311", models.EventStatement, p, p, "Express intent to cooperate economically", "United States expressed intent to cooperate economically with Russia."},
		{"032", models.EventStatement, p, p, "Express intent to engage in diplomatic cooperation (such as policy support)", "United States expressed intent to engage in diplomatic cooperation with Russia."},
		{"033", models.EventStatement, p, p, "Express intent to provide material aid", "United States expressed intent to provide material aid to Russia."},
		{"034", models.EventStatement, p, p, "Express intent to bring political reform", "United States promised Russia political reform."},
		{"035", models.EventStatement, p, p, "Express intent to yield", "United States expressed intent to yield to Russia."},
		{"036", models.EventStatement, p, p, "Express intent to meet or negotiate", "United States expressed intent to meet or negotiate with Russia."},
		{"037", models.EventStatement, p, p, "Express intent to settle dispute", "United States expressed intent to settle a dispute with Russia."},
		{"038", models.EventStatement, p, p, "Express intent to accept mediation", "United States expressed intent to accept mediation involving Russia."},
		{"039", models.EventStatement, p, p, "Express intent to mediate", "United States expressed intent to mediate involving Russia."},
		{"040", models.EventMeeting, p, p, "Consult", "United States consulted with Russia."},
		{"041", models.EventCall, p, p, "Discuss by telephone", "United States spoke by telephone with Russia."},
		{"042", models.EventVisit, p, h, "Make a visit", "United States made a visit to Russia."},
		{"043", models.EventVisit, h, p, "Host a visit", "United States hosted a visit by Russia."},
		{"044", models.EventMeeting, p, p, "Meet at a 'third' location", "United States met Russia at a third location."},
		{"045", models.EventNegotiation, m, p, "Engage in mediation", "United States mediated in a dispute involving Russia."},
		{"046", models.EventNegotiation, p, p, "Engage in negotiation", "United States negotiated with Russia."},
		{"050", models.EventOther, p, p, "Engage in diplomatic cooperation", "United States engaged in diplomatic cooperation with Russia."},
		{"051", models.EventStatement, p, p, "Praise or endorse", "United States praised or endorsed Russia."},
		{"052", models.EventStatement, p, p, "Defend verbally", "United States defended Russia verbally."},
		{"053", models.EventStatement, p, p, "Rally support on behalf of", "United States rallied support on behalf of Russia."},
		{"054", models.EventStatement, p, p, "Grant diplomatic recognition", "United States granted diplomatic recognition to Russia."},
		{"055", models.EventStatement, p, p, "Apologize", "United States apologized to Russia."},
		{"056", models.EventStatement, p, p, "Forgive", "United States forgave Russia."},
		{"057", models.EventAgreement, p, p, "Sign formal agreement", "United States signed a formal agreement with Russia."},
		// outside the default set, with --cameo
		{"04", models.EventMeeting, p, p, "Consult", "United States consulted with Russia."},
		{"010", models.EventStatement, p, p, "Make statement", "United States made statement (target: Russia)."},
		{"1041", models.EventStatement, p, p, "Demand change in leadership", "United States demanded change in leadership (target: Russia)."},
		{"138", models.EventStatement, p, p, "Threaten with military force", "United States threatened with military force (target: Russia)."},
		{"061", models.EventOther, p, p, "Cooperate economically", "United States cooperated economically (target: Russia)."},
		{"173", models.EventOther, p, p, "Arrest, detain, or charge with legal action", "United States arrested, detained, or charged with legal action (target: Russia)."},
		{"190", models.EventOther, p, p, "Use conventional military force", "United States used conventional military force (target: Russia)."},
	} {
		t.Run(tc.code, func(t *testing.T) {
			rec := gdOne(t, gdRow(l.v1daily, map[string]string{"EventCode": tc.code}),
				gdelt.Options{CAMEO: []string{"0", "1"}})
			e := rec.Event
			if e.Type != tc.typ || e.Status != models.StatusHeld || e.CAMEO != tc.code {
				t.Errorf("type %s status %s cameo %s; want %s held", e.Type, e.Status, e.CAMEO, tc.typ)
			}
			if want := us + ":" + string(tc.r1) + " " + ru + ":" + string(tc.r2); gdRoles(rec) != want {
				t.Errorf("participants %s, want %s", gdRoles(rec), want)
			}
			if want := "United States – Russia: " + tc.desc; e.Title != want {
				t.Errorf("title %q, want %q", e.Title, want)
			}
			if e.Summary != tc.summary {
				t.Errorf("summary %q, want %q", e.Summary, tc.summary)
			}
		})
	}
}

func TestGDELTOneActor(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	for _, tc := range []struct {
		name    string
		set     map[string]string
		roles   string
		title   string
		summary string
	}{
		{"only Actor1 visits", map[string]string{"EventCode": "042", "Actor2Code": "", "Actor2Name": "", "Actor2CountryCode": ""},
			"gdelt-usa:participant", "United States: Make a visit", "United States made a visit."},
		{"only Actor2 is host", map[string]string{"EventCode": "042", "Actor1Code": "", "Actor1Name": "", "Actor1CountryCode": ""},
			"gdelt-rus:host", "Russia: Make a visit", "An unidentified actor made a visit to Russia."},
		{"only Actor1 mediates", map[string]string{"EventCode": "045", "Actor2Code": "", "Actor2Name": ""},
			"gdelt-usa:mediator", "United States: Engage in mediation", "United States mediated."},
		{"the same actor on both sides", map[string]string{"EventCode": "043", "Actor2Code": "USA", "Actor2Name": "UNITED STATES"},
			"gdelt-usa:host", "United States: Host a visit", "United States hosted a visit by United States."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := gdOne(t, gdRow(l.v1daily, tc.set), gdelt.Options{})
			if got := gdRoles(rec); got != tc.roles {
				t.Errorf("participants %s, want %s", got, tc.roles)
			}
			if rec.Event.Title != tc.title || rec.Event.Summary != tc.summary {
				t.Errorf("title %q summary %q; want %q %q", rec.Event.Title, rec.Event.Summary, tc.title, tc.summary)
			}
		})
	}
}

func TestGDELTCAMEOFilter(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	var in strings.Builder
	codes := []string{"036", "0311", "031", "190", "1041", "057", "14", "046"}
	for i, c := range codes {
		in.WriteString(gdRow(l.v2, map[string]string{"GLOBALEVENTID": fmt.Sprint(500 + i), "EventCode": c}))
	}
	for _, tc := range []struct {
		name  string
		cameo []string
		kept  string
	}{
		{"default 03, 04, 05", nil, "036 0311 031 057 046"},
		{"custom --cameo 19,0311,10", []string{"19", "0311", "10"}, "0311 190 1041"},
		{"prefix 1 keeps 10-20", []string{"1"}, "190 1041 14"},
		{"exact code 057", []string{"057"}, "057"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := gdDecode(t, in.String(), gdelt.Options{CAMEO: tc.cameo})
			var kept []string
			for _, r := range res.kept {
				kept = append(kept, r.Event.CAMEO)
			}
			if got := strings.Join(kept, " "); got != tc.kept {
				t.Errorf("kept %s, want %s", got, tc.kept)
			}
			if len(res.kept)+len(res.skipped) != len(codes) {
				t.Errorf("%d kept + %d skipped of %d rows", len(res.kept), len(res.skipped), len(codes))
			}
			for _, s := range res.skipped {
				code := codes[s.Line-1]
				if want := "cameo " + code + " not kept"; s.Reason != want {
					t.Errorf("line %d: reason %q, want %q", s.Line, s.Reason, want)
				}
			}
		})
	}
	for _, bad := range [][]string{{"x4"}, {"04", ""}, {"04567"}, {"4a"}} {
		err := gdelt.Decode(strings.NewReader(""), gdelt.Options{CAMEO: bad}, nil, nil)
		if err == nil || !strings.Contains(err.Error(), "cameo prefix") {
			t.Errorf("CAMEO %q: error %v, want a cameo prefix error", bad, err)
		}
	}
}

func TestGDELTSkips(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	good := gdRow(l.v1daily, nil)
	sixty := strings.Join(strings.Split(gdRow(l.v2, nil), "\t")[:60], "\t") + "\n"
	for _, tc := range []struct {
		name   string
		row    string
		reason string
	}{
		{"10 columns", "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\n", "10 columns (want 57 or 58 for GDELT 1.0, 61 for GDELT 2.0)"},
		{"59 columns", strings.TrimSuffix(good, "\n") + "\textra\n", "59 columns (want 57 or 58 for GDELT 1.0, 61 for GDELT 2.0)"},
		{"60 columns", sixty, "60 columns (want 57 or 58 for GDELT 1.0, 61 for GDELT 2.0)"},
		{"no actors", gdRow(l.v1daily, map[string]string{"Actor1Code": "", "Actor1Name": "", "Actor2Code": "", "Actor2Name": ""}),
			"no actors (Actor1 and Actor2 are both empty)"},
		{"not kept", gdRow(l.v1daily, map[string]string{"EventCode": "190"}), "cameo 190 not kept"},
		{"month 13", gdRow(l.v1daily, map[string]string{"SQLDATE": "20261323"}), `bad SQLDATE "20261323"`},
		{"31 February", gdRow(l.v1daily, map[string]string{"SQLDATE": "20260231"}), `bad SQLDATE "20260231"`},
		{"short date", gdRow(l.v1daily, map[string]string{"SQLDATE": "2026012"}), `bad SQLDATE "2026012"`},
		{"empty date", gdRow(l.v1daily, map[string]string{"SQLDATE": ""}), `bad SQLDATE ""`},
		{"bad DATEADDED", gdRow(l.v1daily, map[string]string{"DATEADDED": "2026-01-24"}), `bad DATEADDED "2026-01-24"`},
		{"bad 2.0 DATEADDED time", gdRow(l.v2, map[string]string{"DATEADDED": "20260124256100"}), `bad DATEADDED "20260124256100"`},
		{"bad id", gdRow(l.v1daily, map[string]string{"GLOBALEVENTID": "12a"}), `bad GLOBALEVENTID "12a"`},
		{"bad event code", gdRow(l.v1daily, map[string]string{"EventCode": "04x"}), `bad EventCode "04x"`},
		{"one-digit event code", gdRow(l.v1daily, map[string]string{"EventCode": "4"}), `bad EventCode "4"`},
		{"bad latitude", gdRow(l.v1daily, map[string]string{"ActionGeo_Lat": "24,4667"}), `bad ActionGeo_Lat "24,4667"`},
		{"latitude out of range", gdRow(l.v1daily, map[string]string{"ActionGeo_Lat": "124.5"}), `bad ActionGeo_Lat "124.5"`},
		{"bad longitude", gdRow(l.v1daily, map[string]string{"ActionGeo_Long": "NaN"}), `bad ActionGeo_Long "NaN"`},
		{"bad geo type", gdRow(l.v1daily, map[string]string{"ActionGeo_Type": "9"}), `bad ActionGeo_Type "9"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// the bad row between two good ones: the skip names its line, the others are kept
			res := gdDecode(t, good+tc.row+good, gdelt.Options{})
			if len(res.skipped) != 1 || res.skipped[0].Line != 2 || res.skipped[0].Reason != tc.reason {
				t.Fatalf("skipped %+v, want line 2 %q", res.skipped, tc.reason)
			}
			if len(res.kept) != 2 || res.kept[0].Line != 1 || res.kept[1].Line != 3 {
				t.Errorf("kept %d rows", len(res.kept))
			}
		})
	}
}

func TestGDELTFIPS(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	for fips, iso := range map[string]string{
		"UP": "UA", "RS": "RU", "US": "US", "AE": "AE", "SZ": "CH", "GM": "DE", "UK": "GB",
		"CH": "CN", "TU": "TR", "IS": "IL", "AU": "AT", "AS": "AU", "EZ": "CZ", "KV": "XK",
		"GZ": "PS", "WE": "PS", "RI": "RS", "MJ": "ME", "OD": "SS", "BM": "MM", "KS": "KR",
		"KN": "KP", "SF": "ZA", "SP": "ES", "NI": "NG", "NG": "NE", "VM": "VN", "RP": "PH",
		"OS": "", "XO": "", "AX": "", "PF": "", "ZZ": "", "": "",
	} {
		if got := gdelt.FIPSCountry(fips); got != iso {
			t.Errorf("FIPSCountry(%q) = %q, want %q", fips, got, iso)
		}
		rec := gdOne(t, gdRow(l.v1daily, map[string]string{"ActionGeo_CountryCode": fips}), gdelt.Options{})
		if rec.Location.Country != iso {
			t.Errorf("ActionGeo_CountryCode %q: country %q, want %q", fips, rec.Location.Country, iso)
		}
	}
	// The whole table: every code it knows maps to a valid ISO code, and it covers
	// every ISO country but a few.
	n, covered := 0, map[string]bool{}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			iso := gdelt.FIPSCountry(string([]rune{a, b}))
			if iso == "" {
				continue
			}
			n++
			covered[iso] = true
			if !models.ValidCountry(iso) {
				t.Errorf("FIPS %c%c maps to %q, not an ISO 3166-1 code", a, b, iso)
			}
		}
	}
	if n < 250 || len(covered) < 240 {
		t.Errorf("%d FIPS codes covering %d ISO codes; want the full table", n, len(covered))
	}
	t.Logf("%d FIPS codes, %d ISO codes", n, len(covered))
}

func TestGDELTActors(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	for _, tc := range []struct {
		code, name, country, typ, known string
		slug, display                   string
		kind                            models.ActorKind
		iso, alias                      string
	}{
		{"USA", "UNITED STATES", "USA", "", "", "gdelt-usa", "United States", models.ActorState, "US", ""},
		{"UKR", "UKRAINE", "UKR", "", "", "gdelt-ukr", "Ukraine", models.ActorState, "UA", ""},
		{"ROM", "ROMANIA", "ROM", "", "", "gdelt-rom", "Romania", models.ActorState, "RO", ""},
		{"KSV", "KOSOVO", "KSV", "", "", "gdelt-ksv", "Kosovo", models.ActorState, "XK", ""},
		{"RUS", "MOSCOW", "RUS", "", "", "gdelt-rus", "Russia", models.ActorState, "RU", "Moscow"},
		{"GBR", "BRITAIN", "GBR", "", "", "gdelt-gbr", "United Kingdom", models.ActorState, "GB", "Britain"},
		{"USAGOV", "BARACK OBAMA", "USA", "GOV", "", "gdelt-usagov", "United States government", models.ActorOrganization, "US", "Barack Obama"},
		{"PRKGOV", "KIM JONG UN", "PRK", "GOV", "", "gdelt-prkgov", "North Korea government", models.ActorOrganization, "KP", "Kim Jong Un"},
		{"RUSGOV", "PRESIDENT", "RUS", "GOV", "", "gdelt-rusgov", "Russia government", models.ActorOrganization, "RU", "President"},
		{"GBRGOV", "BANK OF ENGLAND", "GBR", "GOV", "", "gdelt-gbrgov", "United Kingdom government", models.ActorOrganization, "GB", "Bank of England"},
		{"INDCOP", "UTTAR PRADESH", "IND", "COP", "", "gdelt-indcop", "India police", models.ActorOrganization, "IN", "Uttar Pradesh"},
		{"USAMIL", "PENTAGON", "USA", "MIL", "", "gdelt-usamil", "United States military", models.ActorOrganization, "US", "Pentagon"},
		{"GBRPTY", "POLITICAL PARTIES", "GBR", "PTY", "", "gdelt-gbrpty", "United Kingdom political parties", models.ActorOrganization, "GB", "Political Parties"},
		{"IGOUNO", "UNITED NATIONS", "", "IGO", "UNO", "gdelt-igouno", "United Nations", models.ActorOrganization, "", ""},
		{"NGOAMN", "AMNESTY INTERNATIONAL", "", "NGO", "", "gdelt-ngoamn", "Amnesty International", models.ActorOrganization, "", ""},
		{"IGOEUREEC", "EUROPEAN UNION", "", "IGO", "EEC", "gdelt-igoeureec", "European Union", models.ActorOrganization, "", ""},
		{"MNCUSA", "EXXON", "USA", "MNC", "", "gdelt-mncusa", "Multinational corporation (United States)", models.ActorOrganization, "US", "Exxon"},
		{"IGONAT", "NATO", "", "", "NAT", "gdelt-igonat", "NATO", models.ActorOrganization, "", ""},
		{"AFR", "AFRICA", "AFR", "", "", "gdelt-afr", "Africa", models.ActorGroup, "", ""},
		{"AFGREB", "TALIBAN", "AFG", "REB", "TAL", "gdelt-afgreb", "Afghanistan rebels", models.ActorGroup, "AF", "Taliban"},
		{"UKRMIL", "UKRAINIAN ARMY", "UKR", "MIL", "", "gdelt-ukrmil", "Ukraine military", models.ActorOrganization, "UA", "Ukrainian Army"},
		{"COP", "POLICE", "", "COP", "", "gdelt-cop", "Police", models.ActorOrganization, "", ""},
		{"BUS", "COMPANIES", "", "BUS", "", "gdelt-bus", "Business", models.ActorOrganization, "", "Companies"},
		{"CVL", "RESIDENTS", "", "CVL", "", "gdelt-cvl", "Civilians", models.ActorGroup, "", "Residents"},
		{"SYRINS", "MILITANTS", "SYR", "INS", "", "gdelt-syrins", "Syria insurgents", models.ActorGroup, "SY", "Militants"},
		{"USAMED", "CNN", "USA", "MED", "", "gdelt-usamed", "United States media", models.ActorOrganization, "US", "CNN"},
		{"", "SOMEONE", "", "", "", "gdelt-name-someone", "Someone", models.ActorGroup, "", ""},
		{"YUG", "YUGOSLAVIA", "YUG", "", "", "gdelt-yug", "Yugoslavia", models.ActorState, "", ""},
		{"USAXYZ", "ODD", "USA", "", "", "gdelt-usaxyz", "United States XYZ", models.ActorOrganization, "US", "Odd"},
	} {
		t.Run(tc.slug, func(t *testing.T) {
			rec := gdOne(t, gdRow(l.v1daily, map[string]string{"Actor1Code": tc.code, "Actor1Name": tc.name,
				"Actor1CountryCode": tc.country, "Actor1Type1Code": tc.typ, "Actor1KnownGroupCode": tc.known}),
				gdelt.Options{})
			a := rec.Actors[0]
			if a.Slug != tc.slug || a.Name != tc.display || a.Kind != tc.kind || a.Country != tc.iso {
				t.Errorf("got %s %q %s %q; want %s %q %s %q", a.Slug, a.Name, a.Kind, a.Country,
					tc.slug, tc.display, tc.kind, tc.iso)
			}
			if tc.code != "" && a.ExternalIDs["cameo"] != tc.code {
				t.Errorf("external ids %v", a.ExternalIDs)
			}
			var want []string
			if tc.alias != "" {
				want = []string{tc.alias}
			}
			if !slices.Equal(a.Aliases, want) {
				t.Errorf("aliases %q, want %q (the row's name, unless it is the CAMEO name)", a.Aliases, want)
			}
			if err := a.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
	t.Run("long codes and non-Latin names get a hash", func(t *testing.T) {
		long := "USA" + strings.Repeat("GOV", 19)
		rec := gdOne(t, gdRow(l.v1daily, map[string]string{"Actor1Code": long, "Actor1Name": "X",
			"Actor2Code": "", "Actor2Name": "МОСКВА"}), gdelt.Options{})
		a1, a2 := rec.Actors[0], rec.Actors[1]
		if len(a1.Slug) > 64 || !strings.HasPrefix(a1.Slug, "gdelt-usagovgov") {
			t.Errorf("long slug %s", a1.Slug)
		}
		if !strings.HasPrefix(a2.Slug, "gdelt-name-") || a2.Name != "Москва" {
			t.Errorf("non-Latin actor %s %q", a2.Slug, a2.Name)
		}
	})
}

func TestGDELTDeterministicSlugs(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	// The same actors and place in a 1.0 daily row, a 1.0 historical row and a 2.0 row,
	// in two different files, with the actors in the other order in one of them.
	file1 := gdRow(l.v1daily, map[string]string{"GLOBALEVENTID": "1"}) +
		gdRow(l.v1hist, map[string]string{"GLOBALEVENTID": "2", "Actor1Code": "RUS", "Actor1Name": "RUSSIA",
			"Actor2Code": "USA", "Actor2Name": "UNITED STATES", "EventCode": "042"})
	file2 := gdRow(l.v2, map[string]string{"GLOBALEVENTID": "3", "EventCode": "057"})
	slugs := map[string]map[string]bool{}
	for _, in := range []string{file1, file2} {
		for _, rec := range gdDecode(t, in, gdelt.Options{}).kept {
			for _, a := range rec.Actors {
				if slugs[a.Name] == nil {
					slugs[a.Name] = map[string]bool{}
				}
				slugs[a.Name][a.Slug] = true
			}
			if slugs["place"] == nil {
				slugs["place"] = map[string]bool{}
			}
			slugs["place"][rec.Location.Slug] = true
		}
	}
	for name, set := range slugs {
		if len(set) != 1 {
			t.Errorf("%s has %d slugs: %v", name, len(set), set)
		}
	}
	if !slugs["United States"]["gdelt-usa"] || !slugs["Russia"]["gdelt-rus"] {
		t.Errorf("slugs %v", slugs)
	}
	// The same URL in two rows is one source.
	a := gdOne(t, gdRow(l.v1daily, map[string]string{"GLOBALEVENTID": "7"}), gdelt.Options{})
	b := gdOne(t, gdRow(l.v2, map[string]string{"GLOBALEVENTID": "8", "EventCode": "036"}), gdelt.Options{})
	if a.Source.Slug != b.Source.Slug {
		t.Errorf("one URL, two source slugs: %s %s", a.Source.Slug, b.Source.Slug)
	}
}

func TestGDELTLocations(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	for _, tc := range []struct {
		name              string
		cols              []string
		set               map[string]string
		slug, admin, ciso string
		ext               map[string]string
		coords            bool
	}{
		{"US city: GNIS id", l.v1daily, map[string]string{"ActionGeo_Type": "3",
			"ActionGeo_FullName": "Washington, District of Columbia, United States", "ActionGeo_CountryCode": "US",
			"ActionGeo_ADM1Code": "USDC", "ActionGeo_FeatureID": "531871"},
			"gdelt-geo-gnis-531871", "District of Columbia", "US", map[string]string{"gnis": "531871"}, true},
		{"world city: GNS id", l.v1daily, map[string]string{"ActionGeo_Type": "4",
			"ActionGeo_FullName": "Kyiv, Kyyiv, Misto, Ukraine", "ActionGeo_CountryCode": "UP",
			"ActionGeo_ADM1Code": "UP12", "ActionGeo_FeatureID": "-1044367"},
			"gdelt-geo-gns-n1044367", "Misto", "UA", map[string]string{"gns": "-1044367"}, true},
		{"country: FIPS code as FeatureID", l.v2, map[string]string{"ActionGeo_Type": "1",
			"ActionGeo_FullName": "Russia", "ActionGeo_CountryCode": "RS", "ActionGeo_ADM1Code": "RS",
			"ActionGeo_FeatureID": "RS"},
			"gdelt-geo-fips-rs", "", "RU", map[string]string{"fips": "RS"}, true},
		{"world state: ADM1 code as FeatureID (GDELT 2.0)", l.v2, map[string]string{"ActionGeo_Type": "5",
			"ActionGeo_FullName": "Donets'k, Ukraine", "ActionGeo_CountryCode": "UP", "ActionGeo_ADM1Code": "UP14",
			"ActionGeo_FeatureID": "UP14"},
			"gdelt-geo-fips-up14", "Donets'k", "UA", map[string]string{"fips": "UP14"}, true},
		{"US state", l.v1daily, map[string]string{"ActionGeo_Type": "2", "ActionGeo_FullName": "Texas, United States",
			"ActionGeo_CountryCode": "US", "ActionGeo_ADM1Code": "USTX", "ActionGeo_FeatureID": "TX"},
			"gdelt-geo-id-tx", "Texas", "US", map[string]string{}, true},
		{"no FeatureID, no coordinates", l.v1daily, map[string]string{"ActionGeo_Type": "4",
			"ActionGeo_FullName": "Abu Dhabi, Abu Dhabi, United Arab Emirates", "ActionGeo_FeatureID": "",
			"ActionGeo_Lat": "", "ActionGeo_Long": ""},
			"gdelt-geo-abu-dhabi-abu-dhabi-united-arab-emirates", "Abu Dhabi", "AE", map[string]string{}, false},
		{"at sea", l.v1daily, map[string]string{"ActionGeo_Type": "1", "ActionGeo_FullName": "Indian Ocean",
			"ActionGeo_CountryCode": "XO", "ActionGeo_ADM1Code": "XO", "ActionGeo_FeatureID": "XO"},
			"gdelt-geo-fips-xo", "", "", map[string]string{"fips": "XO"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc := gdOne(t, gdRow(tc.cols, tc.set), gdelt.Options{}).Location
			if loc == nil {
				t.Fatal("no location")
			}
			if loc.Slug != tc.slug || loc.AdminArea != tc.admin || loc.Country != tc.ciso ||
				fmt.Sprint(loc.ExternalIDs) != fmt.Sprint(tc.ext) || (loc.Latitude != nil) != tc.coords {
				t.Errorf("got %s %q %q %v coords=%v", loc.Slug, loc.AdminArea, loc.Country, loc.ExternalIDs, loc.Latitude != nil)
			}
			if _, ok := loc.ExternalIDs["geonames"]; ok {
				t.Error("a GDELT FeatureID is not a GeoNames id")
			}
		})
	}
	for _, set := range []map[string]string{
		{"ActionGeo_Type": "0", "ActionGeo_FullName": "", "ActionGeo_Lat": "", "ActionGeo_Long": ""},
		{"ActionGeo_Type": "", "ActionGeo_FullName": ""},
	} {
		if rec := gdOne(t, gdRow(l.v1daily, set), gdelt.Options{}); rec.Location != nil {
			t.Errorf("%v: location %+v, want none", set, rec.Location)
		}
	}
}

func TestGDELTSources(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	for _, tc := range []struct {
		cols        []string
		url         string
		outlet, got string
	}{
		{l.v1daily, "http://www.news.com.au/national/story-1227133470730", "news.com.au", "http://www.news.com.au/national/story-1227133470730"},
		{l.v2, "https://Meduza.IO:443/en/feature", "meduza.io", "https://Meduza.IO:443/en/feature"},
		{l.v2, "BBC Monitoring", "BBC Monitoring", ""},
		{l.v2, "", "", ""},
		{l.v2, "http://", "", ""},
	} {
		rec := gdOne(t, gdRow(tc.cols, map[string]string{"SOURCEURL": tc.url}), gdelt.Options{})
		switch {
		case tc.outlet == "" && rec.Source != nil:
			t.Errorf("%q: source %+v, want none", tc.url, rec.Source)
		case tc.outlet != "" && (rec.Source == nil || rec.Source.Outlet != tc.outlet || rec.Source.URL != tc.got):
			t.Errorf("%q: source %+v, want outlet %q url %q", tc.url, rec.Source, tc.outlet, tc.got)
		}
	}
}

// gdZip wraps files (name → content) in a zip archive.
func gdZip(t *testing.T, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGDELTZip(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	sample, err := os.ReadFile(filepath.Join(gdDir, "gdelt-sample-v1-daily-geoutils-fixture.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(sample) + gdRow(l.v2, nil)
	plain := gdDecode(t, text, gdelt.Options{})
	for _, tc := range []struct {
		name string
		zip  []byte
	}{
		{"one file", gdZip(t, [2]string{"20260124.export.CSV", text})},
		{"a directory first", gdZip(t, [2]string{"gdelt/", ""}, [2]string{"gdelt/20260124.export.CSV", text})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := gdDecodeReader(t, bytes.NewReader(tc.zip), gdelt.Options{})
			if !reflect.DeepEqual(got, plain) {
				t.Errorf("zip gives\n%+v\nplain gives\n%+v", got, plain)
			}
			if len(got.kept) != 2 || len(got.skipped) != 3 {
				t.Errorf("kept %d skipped %d", len(got.kept), len(got.skipped))
			}
		})
	}
	for name, in := range map[string][]byte{
		"truncated zip": gdZip(t, [2]string{"a.CSV", text})[:40],
		"empty zip":     gdZip(t),
	} {
		err := gdelt.Decode(bytes.NewReader(in), gdelt.Options{}, nil, nil)
		if err == nil || !strings.HasPrefix(err.Error(), "gdelt: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
	// The temporary copy is removed.
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "parley-gdelt-*.zip"))
	gdDecodeReader(t, bytes.NewReader(gdZip(t, [2]string{"a.CSV", text})), gdelt.Options{})
	after, _ := filepath.Glob(filepath.Join(os.TempDir(), "parley-gdelt-*.zip"))
	if len(after) > len(before) {
		t.Errorf("temporary files left: %v", after)
	}
}

func TestGDELTSampleFile(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(gdDir, "gdelt-sample-v1-daily-geoutils-fixture.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := gdDecodeReader(t, f, gdelt.Options{})
	var reasons []string
	for _, s := range res.skipped {
		reasons = append(reasons, fmt.Sprintf("%d: %s", s.Line, s.Reason))
	}
	if want := "1: cameo 014 not kept|2: cameo 014 not kept|4: cameo 080 not kept"; strings.Join(reasons, "|") != want {
		t.Errorf("skipped %q, want %q", strings.Join(reasons, "|"), want)
	}
	if len(res.kept) != 1 {
		t.Fatalf("kept %d, want 1", len(res.kept))
	}
	rec := res.kept[0]
	e := rec.Event
	if rec.Line != 3 || rec.GlobalEventID != "324845987" || e.Slug != "gdelt-324845987" ||
		e.Title != "Companies – Exxon: Praise or endorse" || e.Summary != "Companies praised or endorsed Exxon." ||
		e.Type != models.EventStatement || e.Status != models.StatusHeld || e.CAMEO != "051" ||
		e.Date.EDTF != "2004-11-26" {
		t.Errorf("event %+v", e)
	}
	if got := gdRoles(rec); got != "gdelt-bus:participant gdelt-mncusa:participant" {
		t.Errorf("participants %s", got)
	}
	a1, a2 := rec.Actors[0], rec.Actors[1]
	if a1.Name != "Business" || a1.Kind != models.ActorOrganization || a1.Country != "" || a1.ExternalIDs["cameo"] != "BUS" ||
		!slices.Equal(a1.Aliases, []string{"Companies"}) || !slices.Equal(a2.Aliases, []string{"Exxon"}) ||
		a2.Name != "Multinational corporation (United States)" || a2.Kind != models.ActorOrganization || a2.Country != "US" || a2.ExternalIDs["cameo"] != "MNCUSA" {
		t.Errorf("actors %+v", rec.Actors)
	}
	loc := rec.Location
	if loc.Slug != "gdelt-geo-gns-n2198538" || loc.Name != "Port Moresby, National Capital, Papua New Guinea" ||
		loc.Country != "PG" || loc.AdminArea != "National Capital" || *loc.Latitude != -9.46472 ||
		*loc.Longitude != 147.193 || loc.ExternalIDs["gns"] != "-2198538" {
		t.Errorf("location %+v", loc)
	}
	src := rec.Source
	if src.Outlet != "jaunted.com" || src.Published.EDTF != "2014-11-24" || src.DateBasis != models.DateBasisGDELTAdded ||
		src.URL != "http://www.jaunted.com/story/2014/11/18/73710/605/travel/How+to+Get+a+Visa+to+Visit+Papua+New+Guinea+" {
		t.Errorf("source %+v", src)
	}

	// Keeping every root code: all four rows, the 57-column one without a source.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	all := gdDecodeReader(t, f, gdelt.Options{CAMEO: []string{"0", "1", "2"}})
	if len(all.kept) != 4 || len(all.skipped) != 0 {
		t.Fatalf("kept %d, skipped %v", len(all.kept), all.skipped)
	}
	r1, r2, r4 := all.kept[0], all.kept[1], all.kept[3]
	if r1.Source == nil || r2.Source != nil || r1.Location.Slug != "gdelt-geo-gnis-531871" ||
		r1.Location.AdminArea != "District of Columbia" || r4.Location != nil {
		t.Errorf("rows 1, 2, 4: %+v %+v %+v", r1, r2, r4)
	}
	if got := gdRoles(r1); got != "gdelt-cop:participant" || r1.Event.Title != "Police: Consider policy option" ||
		r1.Event.Summary != "An unidentified actor considered policy option (target: Police)." {
		t.Errorf("row 1: %s %q %q", got, r1.Event.Title, r1.Event.Summary)
	}
}

// TestGDELTCodeBook checks every code of the CAMEO code book: its description, and a
// summary whose verb is in the past tense.
func TestGDELTCodeBook(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	f, err := os.Open("cameo-codefile-schrodt-icews.txt") // the embedded code book
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	labels := map[string]string{}
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		code, desc, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "LABEL: "), "= ")
		if !ok || strings.HasPrefix(sc.Text(), "LABELi") || strings.Trim(code, "0123456789") != "" {
			continue
		}
		if _, seen := labels[code]; !seen {
			order = append(order, code)
		}
		labels[code] = desc
	}
	if len(order) < 280 {
		t.Fatalf("%d codes in the code book", len(order))
	}
	var in strings.Builder
	for i, code := range order {
		in.WriteString(gdRow(l.v1daily, map[string]string{"GLOBALEVENTID": fmt.Sprint(i + 1), "EventCode": code}))
	}
	res := gdDecode(t, in.String(), gdelt.Options{CAMEO: []string{"0", "1", "2"}})
	if len(res.kept) != len(order) {
		t.Fatalf("kept %d of %d codes: %v", len(res.kept), len(order), res.skipped)
	}
	fixed := strings.NewReplacer("Apolgize", "Apologize", "adminstrative", "administrative", "Ostruct", "Obstruct")
	for i, rec := range res.kept {
		code := order[i]
		want := fixed.Replace(labels[code])
		if got := gdelt.CAMEODescription(code); got != want {
			t.Errorf("CAMEODescription(%s) = %q, want %q", code, got, want)
		}
		verb := strings.Fields(strings.TrimPrefix(rec.Event.Summary, "United States "))[0]
		first := strings.ToLower(strings.Fields(want)[0])
		if strings.HasSuffix(first, "ly") {
			first = strings.ToLower(strings.Fields(want)[1])
		}
		if strings.TrimSuffix(verb, ",") == strings.TrimSuffix(first, ",") {
			t.Errorf("%s: summary %q keeps the imperative %q", code, rec.Event.Summary, first)
		}
	}
	if got := gdelt.CAMEODescription("0999"); got != "Investigate" {
		t.Errorf("unknown sub-code falls back to its root: %q", got)
	}
}

func TestGDELTCountries(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]string{
		"USA": "US", "RUS": "RU", "UKR": "UA", "ARE": "AE", "GBR": "GB", "DEU": "DE", "CHN": "CN",
		"ROM": "RO", "ROU": "RO", "TMP": "TL", "KSV": "XK", "ZAR": "CD", "PSE": "PS", "HKG": "HK",
		"AFR": "", "WST": "", "EUR": "", "YUG": "", "SCG": "", "ANT": "", "usa": "", "US": "", "": "",
	} {
		if got := gdelt.CAMEOCountry(code); got != want {
			t.Errorf("CAMEOCountry(%q) = %q, want %q", code, got, want)
		}
	}
	// No CAMEO type or organisation code may pass for a country.
	for _, c := range strings.Fields(`COP GOV INS JUD MIL OPP REB SEP SPY UAF AGR BUS CRM CVL DEV EDU
		ELI ENV HLH HRI LAB LEG MED REF MOD RAD AMN IRC GRP UNO PKO UIS IGO IMG INT MNC NGM NGO SET`) {
		if got := gdelt.CAMEOCountry(c); got != "" {
			t.Errorf("CAMEOCountry(%q) = %q, want none", c, got)
		}
	}
}

func TestGDELTLineHandling(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	row := gdRow(l.v1daily, nil)
	t.Run("BOM, CRLF, blank lines, no final newline", func(t *testing.T) {
		in := "\xef\xbb\xbf" + strings.ReplaceAll(row, "\n", "\r\n") + "\r\n\n" + strings.TrimSuffix(row, "\n")
		res := gdDecode(t, in, gdelt.Options{})
		if len(res.kept) != 2 || res.kept[0].Line != 1 || res.kept[1].Line != 4 || len(res.skipped) != 0 {
			t.Errorf("kept %d (lines %v), skipped %v", len(res.kept), res.kept, res.skipped)
		}
		if res.kept[1].Source.URL != res.kept[0].Source.URL {
			t.Errorf("the last field kept a line ending: %q", res.kept[0].Source.URL)
		}
	})
	t.Run("a field starting with a double quote does not swallow lines", func(t *testing.T) {
		quoted := gdRow(l.v1daily, map[string]string{"GLOBALEVENTID": "2", "Actor1Name": `"UNITED STATES`})
		res := gdDecode(t, row+quoted+row+row, gdelt.Options{})
		if len(res.kept) != 4 {
			t.Fatalf("kept %d rows of 4, skipped %v", len(res.kept), res.skipped)
		}
		if a := res.kept[1].Actors[0]; a.Name != "United States" || !slices.Equal(a.Aliases, []string{`"United States`}) {
			t.Errorf("name %q, aliases %q", a.Name, a.Aliases)
		}
	})
	t.Run("an overlong line is skipped", func(t *testing.T) {
		long := strings.Repeat("x", 2<<20) + "\n"
		res := gdDecode(t, row+long+row, gdelt.Options{})
		if len(res.kept) != 2 || len(res.skipped) != 1 || res.skipped[0].Line != 2 ||
			!strings.HasPrefix(res.skipped[0].Reason, "line longer than") {
			t.Errorf("kept %d, skipped %v", len(res.kept), res.skipped)
		}
	})
	t.Run("invalid UTF-8 and control characters are cleaned", func(t *testing.T) {
		res := gdDecode(t, gdRow(l.v1daily, map[string]string{"Actor1Name": "UNITED\x01STATES\xff",
			"ActionGeo_FullName": "Abu Dhabi\x7f, United Arab Emirates"}), gdelt.Options{})
		if len(res.kept) != 1 {
			t.Fatalf("skipped %v", res.skipped)
		}
	})
}

// gdErrReader fails after its content.
type gdErrReader struct {
	r   io.Reader
	err error
}

func (e *gdErrReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

func TestGDELTErrors(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	in := gdRow(l.v1daily, nil) + gdRow(l.v1daily, map[string]string{"EventCode": "190"}) + gdRow(l.v1daily, nil)
	stop := errors.New("stop")
	t.Run("keep error stops", func(t *testing.T) {
		calls := 0
		err := gdelt.Decode(strings.NewReader(in), gdelt.Options{},
			func(gdelt.Record) error { calls++; return stop },
			func(gdelt.Skip) error { calls++; return nil })
		if err != stop || calls != 1 {
			t.Errorf("error %v after %d calls, want stop after 1", err, calls)
		}
	})
	t.Run("skip error stops", func(t *testing.T) {
		calls := 0
		err := gdelt.Decode(strings.NewReader(in), gdelt.Options{},
			func(gdelt.Record) error { calls++; return nil },
			func(gdelt.Skip) error { calls++; return stop })
		if err != stop || calls != 2 {
			t.Errorf("error %v after %d calls, want stop after 2", err, calls)
		}
	})
	t.Run("read error", func(t *testing.T) {
		broken := errors.New("connection reset")
		kept := 0
		err := gdelt.Decode(&gdErrReader{strings.NewReader(in), broken}, gdelt.Options{},
			func(gdelt.Record) error { kept++; return nil }, nil)
		if !errors.Is(err, broken) || !strings.HasPrefix(err.Error(), "gdelt: line ") {
			t.Errorf("error %v", err)
		}
		if kept != 2 {
			t.Errorf("kept %d before the error, want 2", kept)
		}
	})
	t.Run("nil callbacks", func(t *testing.T) {
		if err := gdelt.Decode(strings.NewReader(in), gdelt.Options{}, nil, nil); err != nil {
			t.Error(err)
		}
	})
}

// gdStream produces n GDELT 2.0 rows on the fly, without holding them: a constant-
// memory stand-in for a large file. As in real files, most rows are outside the default
// CAMEO set: 4 in 10 are kept. Actor2 takes 10,000 names, more than the decoder's actor
// memo holds, so the memo is emptied and refilled as it would be on a large file.
type gdStream struct {
	n, i int
	tmpl []string // the row split around the id and the event code
	buf  []byte   // the current row
	pos  int      // how much of buf was read
}

func newGDStream(t testing.TB, n int) *gdStream {
	l := gdLoadLayouts(t)
	row := gdRow(l.v2, map[string]string{"GLOBALEVENTID": "@ID@", "EventCode": "@CODE@",
		"Actor2Name": "RUSSIA @NAME@", "SOURCEURL": "https://example.org/@ID@"})
	return &gdStream{n: n, tmpl: strings.Split(row, "@")}
}

func (s *gdStream) Read(p []byte) (int, error) {
	for s.pos == len(s.buf) {
		if s.i == s.n {
			return 0, io.EOF
		}
		s.i++
		s.buf, s.pos = s.buf[:0], 0
		code := []string{"036", "010", "042", "020", "046", "061", "057", "111", "173", "190"}[s.i%10]
		for _, part := range s.tmpl {
			switch part {
			case "ID":
				s.buf = fmt.Appendf(s.buf, "%d", 100000000+s.i)
			case "CODE":
				s.buf = append(s.buf, code...)
			case "NAME":
				s.buf = fmt.Appendf(s.buf, "%d", s.i%10_000)
			default:
				s.buf = append(s.buf, part...)
			}
		}
	}
	n := copy(p, s.buf[s.pos:])
	s.pos += n
	return n, nil
}

func TestGDELTConstantMemory(t *testing.T) {
	// Not parallel: it measures the heap, which other tests would grow.
	const rows = 200_000
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	start := time.Now()
	base := heap()
	var kept, skipped int
	var early, peak uint64
	err := gdelt.Decode(newGDStream(t, rows), gdelt.Options{},
		func(r gdelt.Record) error {
			kept++
			switch kept {
			case 10_000:
				early = heap()
			case 40_000, 70_000:
				peak = max(peak, heap())
			}
			return nil
		},
		func(gdelt.Skip) error { skipped++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if kept != rows*4/10 || skipped != rows*6/10 {
		t.Errorf("kept %d, skipped %d", kept, skipped)
	}
	const limit = 32 << 20
	if peak > limit {
		t.Errorf("heap %d MiB while decoding, want under %d MiB", peak>>20, limit>>20)
	}
	if peak > early+(4<<20) {
		t.Errorf("heap grew from %d KiB (25k rows) to %d KiB (175k rows)", early>>10, peak>>10)
	}
	t.Logf("%d rows in %v; heap %d KiB before, %d KiB at 25k rows, %d KiB at most later",
		rows, time.Since(start).Round(time.Millisecond), base>>10, early>>10, peak>>10)
}

func BenchmarkDecodeGDELT(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := gdelt.Decode(newGDStream(b, 10_000), gdelt.Options{}, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
