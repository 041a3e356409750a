package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// gdeltV2Row writes one GDELT 2.0 row (61 columns, named as in the published layout
// formats/gdelt/testdata/gdelt-v2-event-columns.csv) from a base row and set.
func gdeltV2Row(t *testing.T, set map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "formats", "gdelt", "testdata", "gdelt-v2-event-columns.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cols := strings.Fields(string(b))[1:] // a header line "name", then one name a line
	if len(cols) != 61 {
		t.Fatalf("%d columns in the GDELT 2.0 layout", len(cols))
	}
	v := map[string]string{
		"SQLDATE": "20260123", "MonthYear": "202601", "Year": "2026", "FractionDate": "2026.0630",
		"IsRootEvent": "1", "EventCode": "040", "EventBaseCode": "040", "EventRootCode": "04",
		"ActionGeo_Type": "1", "ActionGeo_FullName": "United Kingdom", "ActionGeo_CountryCode": "UK",
		"ActionGeo_Lat": "54", "ActionGeo_Long": "-2", "ActionGeo_FeatureID": "UK",
		"DATEADDED": "20260124103000", "SOURCEURL": "https://example.org/news/" + set["GLOBALEVENTID"],
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

// gdeltTestRow is one event between two coded actors with its GDELT numbers.
func gdeltTestRow(t *testing.T, id, code1, name1, code2, name2, event, quad, goldstein, mentions, tone string) string {
	return gdeltV2Row(t, map[string]string{"GLOBALEVENTID": id, "Actor1Code": code1, "Actor1Name": name1,
		"Actor1CountryCode": code1[:min(3, len(code1))], "Actor2Code": code2, "Actor2Name": name2,
		"EventCode": event, "QuadClass": quad, "GoldsteinScale": goldstein, "NumMentions": mentions,
		"NumSources": "1", "NumArticles": mentions, "AvgTone": tone})
}

// gdeltCounts counts what a GDELT import made: actors, events, sources.
func gdeltCounts(t *testing.T, ctx context.Context, st *store.Store) [3]int {
	t.Helper()
	a, err := st.ListActors(ctx, store.ActorFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	e, err := st.ListEvents(ctx, store.EventFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.ListSources(ctx, store.SourceFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return [3]int{len(a.Items), len(e.Items), len(s.Items)}
}

// TestGDELTImportOneActorPerCode imports GDELT 2.0 rows written from the published
// layout, in which "United Kingdom", "Britain", "Manchester" and "Leeds" are all coded
// GBR, through `parley import --format gdelt` on SQLite and PostgreSQL: one actor per
// code, named from the CAMEO tables with the row names as aliases, kinds from the role
// codes; importing again adds nothing; a second file lands on the same actors, adding
// only its new names; the real GDELT 1.0 sample imports once.
func TestGDELTImportOneActorPerCode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	file1 := filepath.Join(dir, "day1.export.CSV")
	rows := gdeltTestRow(t, "1001", "GBR", "UNITED KINGDOM", "RUS", "RUSSIA", "042", "1", "1.9", "10", "-1.5") +
		gdeltTestRow(t, "1002", "GBR", "BRITAIN", "INDCOP", "UTTAR PRADESH", "040", "1", "1.0", "3", "2.5") +
		gdeltTestRow(t, "1003", "GBR", "MANCHESTER", "GBRPTY", "POLITICAL PARTIES", "036", "1", "4.0", "40", "0") +
		gdeltTestRow(t, "1004", "GBR", "LEEDS", "GBR", "BRITAIN", "057", "2", "8.0", "1", "-7.25")
	if err := os.WriteFile(file1, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	file2 := filepath.Join(dir, "day2.export.CSV")
	rows2 := gdeltTestRow(t, "2001", "GBR", "ENGLAND", "RUS", "MOSCOW", "046", "1", "7.0", "5", "1") +
		gdeltTestRow(t, "2002", "INDCOP", "UTTAR PRADESH POLICE", "GBR", "LEEDS", "043", "1", "2.8", "2", "0")
	if err := os.WriteFile(file2, []byte(rows2), 0o600); err != nil {
		t.Fatal(err)
	}
	sample := filepath.Join("..", "..", "formats", "gdelt", "testdata", "gdelt-sample-v1-daily-geoutils-fixture.tsv")

	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := storetest.URL(t, d)
			imp := func(file string, extra ...string) store.ImportReport {
				t.Helper()
				out, err := run(t, ctx, append([]string{"import", "--format", "gdelt", file, "--database-url", db}, extra...)...)
				var rep store.ImportReport
				report := out[max(0, strings.Index(out, "{")):] // after the skipped lines' warnings
				if err != nil || json.Unmarshal([]byte(report), &rep) != nil || !rep.Committed {
					t.Fatalf("import %s: %v %s", file, err, out)
				}
				return rep
			}
			imp(file1)
			st, err := store.Open(ctx, db, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()

			gbr, err := st.GetActor(ctx, "gdelt-gbr")
			if err != nil {
				t.Fatal(err)
			}
			if gbr.Name != "United Kingdom" || gbr.Kind != models.ActorState || gbr.Country != "GB" ||
				gbr.ExternalIDs["cameo"] != "GBR" || !slices.Equal(gbr.Aliases, []string{"Britain", "Manchester", "Leeds"}) {
				t.Errorf("GBR actor: %+v", gbr)
			}
			all, err := st.ListActors(ctx, store.ActorFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var slugs []string
			for _, a := range all.Items {
				slugs = append(slugs, a.Slug)
				if a.Kind == models.ActorPerson {
					t.Errorf("%s (%s) is a person", a.Slug, a.Name)
				}
			}
			slices.Sort(slugs)
			if want := []string{"gdelt-gbr", "gdelt-gbrpty", "gdelt-indcop", "gdelt-rus"}; !slices.Equal(slugs, want) {
				t.Errorf("actors %v, want one per code %v", slugs, want)
			}
			for slug, want := range map[string]struct {
				name  string
				kind  models.ActorKind
				alias string
			}{
				"gdelt-indcop": {"India police", models.ActorOrganization, "Uttar Pradesh"},
				"gdelt-gbrpty": {"United Kingdom political parties", models.ActorOrganization, "Political Parties"},
				"gdelt-rus":    {"Russia", models.ActorState, ""},
			} {
				a, err := st.GetActor(ctx, slug)
				if err != nil {
					t.Fatal(err)
				}
				if a.Name != want.name || a.Kind != want.kind || (want.alias != "" && !slices.Equal(a.Aliases, []string{want.alias})) {
					t.Errorf("%s: %q %s %q, want %q %s %q", slug, a.Name, a.Kind, a.Aliases, want.name, want.kind, want.alias)
				}
			}
			// A raw name finds the code's actor.
			found, err := st.ListActors(ctx, store.ActorFilter{Q: "Manchester", Limit: 10})
			if err != nil || len(found.Items) != 1 || found.Items[0].Slug != "gdelt-gbr" {
				t.Errorf("q=Manchester: %+v %v", found.Items, err)
			}
			ev, err := st.GetEvent(ctx, "gdelt-1004", store.Include{Sources: true})
			if err != nil {
				t.Fatal(err)
			}
			m := ev.Measures
			if len(ev.Participants) != 1 || ev.Participants[0].Actor.ID != gbr.ID || m.Goldstein == nil || *m.Goldstein != 8 ||
				m.QuadClass == nil || *m.QuadClass != 2 || m.AvgTone == nil || *m.AvgTone != -7.25 ||
				m.NumMentions == nil || *m.NumMentions != 1 || m.NumSources == nil || *m.NumSources != 1 {
				t.Errorf("event 1004: participants %+v, measures %+v", ev.Participants, m)
			}
			if len(ev.SourcesData) != 1 || ev.SourcesData[0].DateBasis != models.DateBasisGDELTAdded ||
				ev.SourcesData[0].Published.EDTF != "2026-01-24" {
				t.Errorf("source %+v", ev.SourcesData)
			}

			// The measure filters.
			for _, tc := range []struct {
				f    store.MeasureFilter
				want []string
			}{
				{store.MeasureFilter{MinGoldstein: ptr(4.0)}, []string{"gdelt-1003", "gdelt-1004"}},
				{store.MeasureFilter{MaxGoldstein: ptr(1.0)}, []string{"gdelt-1002"}},
				{store.MeasureFilter{QuadClasses: []int{2}}, []string{"gdelt-1004"}},
				{store.MeasureFilter{QuadClasses: []int{1, 3}}, []string{"gdelt-1001", "gdelt-1002", "gdelt-1003"}},
				{store.MeasureFilter{MinMentions: ptr(10)}, []string{"gdelt-1001", "gdelt-1003"}},
				{store.MeasureFilter{MinTone: ptr(0.0), MaxTone: ptr(1.0)}, []string{"gdelt-1003"}},
				{store.MeasureFilter{MinArticles: ptr(40), MinSources: ptr(1)}, []string{"gdelt-1003"}},
			} {
				p, err := st.ListEvents(ctx, store.EventFilter{Measures: tc.f, Sort: "date", Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range p.Items {
					got = append(got, e.Slug)
				}
				slices.Sort(got)
				if !slices.Equal(got, tc.want) {
					t.Errorf("%+v: %v, want %v", tc.f, got, tc.want)
				}
			}

			// Importing the same file again adds and changes nothing.
			before := gdeltCounts(t, ctx, st)
			rep := imp(file1)
			for kind, c := range rep.Counts {
				if c.Created != 0 || c.Updated != 0 || c.Rejected != 0 {
					t.Errorf("second import of the same file: %s %+v", kind, c)
				}
			}
			if after := gdeltCounts(t, ctx, st); after != before {
				t.Errorf("actors, events, sources: %v after the second import, %v before", after, before)
			}

			// A second file: the same codes land on the same actors, with its new names.
			imp(file2)
			after := gdeltCounts(t, ctx, st)
			if after[0] != before[0] || after[1] != before[1]+2 {
				t.Errorf("actors, events, sources: %v after the second file, %v before", after, before)
			}
			gbr2, err := st.GetActor(ctx, "gdelt-gbr")
			if err != nil {
				t.Fatal(err)
			}
			if gbr2.ID != gbr.ID || gbr2.Name != "United Kingdom" || !slices.Equal(gbr2.Aliases, []string{"Britain", "Manchester", "Leeds", "England"}) {
				t.Errorf("GBR after the second file: %+v", gbr2)
			}
			rus, err := st.GetActor(ctx, "gdelt-rus")
			if err != nil || !slices.Equal(rus.Aliases, []string{"Moscow"}) {
				t.Errorf("RUS after the second file: %+v %v", rus, err)
			}
			ind, err := st.GetActor(ctx, "gdelt-indcop")
			if err != nil || !slices.Equal(ind.Aliases, []string{"Uttar Pradesh", "Uttar Pradesh Police"}) {
				t.Errorf("INDCOP after the second file: %+v %v", ind, err)
			}
			// An editor's correction survives a re-import: the import only adds aliases.
			gbr2.Name = "United Kingdom of Great Britain and Northern Ireland"
			if err := st.ReplaceActor(ctx, "gdelt-gbr", gbr2, gbr2.Version); err != nil {
				t.Fatal(err)
			}
			rep = imp(file2)
			if c := rep.Counts["actor"]; c != nil && (c.Created != 0 || c.Updated != 0) {
				t.Errorf("re-import of the second file: actors %+v", c)
			}
			if a, err := st.GetActor(ctx, "gdelt-gbr"); err != nil || a.Name != gbr2.Name {
				t.Errorf("the edited name did not survive a re-import: %+v %v", a, err)
			}

			// The real GDELT 1.0 sample: once, then nothing.
			before = gdeltCounts(t, ctx, st)
			rep = imp(sample)
			if c := rep.Counts["event"]; c == nil || c.Created != 1 {
				t.Errorf("sample: %+v", rep.Counts)
			}
			mid := gdeltCounts(t, ctx, st)
			rep = imp(sample)
			for kind, c := range rep.Counts {
				if c.Created != 0 || c.Updated != 0 {
					t.Errorf("second import of the sample: %s %+v", kind, c)
				}
			}
			if end := gdeltCounts(t, ctx, st); end != mid || mid[1] != before[1]+1 {
				t.Errorf("counts %v before the sample, %v after, %v after again", before, mid, end)
			}
			mnc, err := st.GetActor(ctx, "gdelt-mncusa")
			if err != nil || mnc.Kind != models.ActorOrganization || !slices.Equal(mnc.Aliases, []string{"Exxon"}) {
				t.Errorf("MNCUSA from the sample: %+v %v", mnc, err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestGDELTReimportAfterMerge merges a GDELT actor into an actor an editor made and one
// GDELT event into another, then imports the same file again: the import names the
// merged slugs, which redirect, so it lands on the survivors and adds nothing.
func TestGDELTReimportAfterMerge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "day1.export.CSV")
	rows := gdeltTestRow(t, "1001", "GBR", "UNITED KINGDOM", "RUS", "RUSSIA", "042", "1", "1.9", "10", "-1.5") +
		gdeltTestRow(t, "1002", "GBR", "BRITAIN", "RUS", "MOSCOW", "042", "1", "1.9", "3", "2.5")
	if err := os.WriteFile(file, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := storetest.URL(t, d)
			imp := func() store.ImportReport {
				t.Helper()
				out, err := run(t, ctx, "import", "--format", "gdelt", file, "--database-url", db)
				var rep store.ImportReport
				report := out[max(0, strings.Index(out, "{")):]
				if err != nil || json.Unmarshal([]byte(report), &rep) != nil || !rep.Committed {
					t.Fatalf("import: %v %s", err, out)
				}
				return rep
			}
			imp()
			st, err := store.Open(ctx, db, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			uk := &models.Actor{Name: "United Kingdom", Slug: "united-kingdom", Kind: models.ActorState, Country: "GB"}
			if err := st.CreateActor(ctx, uk); err != nil {
				t.Fatal(err)
			}
			if _, err := st.MergeActors(ctx, "gdelt-gbr", "united-kingdom", 0); err != nil {
				t.Fatal(err)
			}
			if _, err := st.MergeEvents(ctx, "gdelt-1002", "gdelt-1001", 0); err != nil {
				t.Fatal(err)
			}
			before := gdeltCounts(t, ctx, st)
			rep := imp()
			for kind, c := range rep.Counts {
				if c.Created != 0 || c.Rejected != 0 {
					t.Errorf("re-import after the merges: %s %+v", kind, c)
				}
			}
			if after := gdeltCounts(t, ctx, st); after != before {
				t.Errorf("actors, events, sources: %v after the re-import, %v before", after, before)
			}
			if _, err := st.GetActor(ctx, "gdelt-gbr"); err == nil {
				t.Error("gdelt-gbr exists again after the re-import")
			}
			got, err := st.GetActor(ctx, "united-kingdom")
			if err != nil || got.ID != uk.ID || !slices.Contains(got.Aliases, "Britain") {
				t.Errorf("survivor after the re-import: %+v %v", got, err)
			}
			ev, err := st.GetEvent(ctx, "gdelt-1001", store.Include{})
			if err != nil || len(ev.Participants) != 2 || (ev.Participants[0].Actor.ID != uk.ID && ev.Participants[1].Actor.ID != uk.ID) {
				t.Errorf("survivor event: %+v %v", ev, err)
			}
		})
	}
}
