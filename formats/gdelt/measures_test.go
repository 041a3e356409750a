package gdelt_test

import (
	"strings"
	"testing"

	"github.com/parley-api/parley/formats/gdelt"
	"github.com/parley-api/parley/models"
)

// TestGDELTMeasures keeps QuadClass, GoldsteinScale, AvgTone and the counts on the
// event in every layout, leaves an empty one out, and skips a row with a malformed one.
func TestGDELTMeasures(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	for name, cols := range map[string][]string{"v1 historical": l.v1hist, "v1 daily": l.v1daily, "v2": l.v2} {
		rec := gdOne(t, gdRow(cols, map[string]string{"QuadClass": "2", "GoldsteinScale": "-2.5", "AvgTone": "-3.125",
			"NumMentions": "12", "NumSources": "3", "NumArticles": "11"}), gdelt.Options{})
		m := rec.Event.Measures
		if m.QuadClass == nil || *m.QuadClass != 2 || *m.Goldstein != -2.5 || *m.AvgTone != -3.125 ||
			*m.NumMentions != 12 || *m.NumSources != 3 || *m.NumArticles != 11 {
			t.Errorf("%s: %+v", name, m)
		}
		if rec.Source != nil && rec.Source.DateBasis != models.DateBasisGDELTAdded {
			t.Errorf("%s: source date basis %q", name, rec.Source.DateBasis)
		}
	}
	empty := gdOne(t, gdRow(l.v2, map[string]string{"GoldsteinScale": "", "AvgTone": " "}), gdelt.Options{})
	if empty.Event.Measures.Goldstein != nil || empty.Event.Measures.AvgTone != nil || empty.Event.Measures.QuadClass == nil {
		t.Errorf("empty measures: %+v", empty.Event.Measures)
	}
	for col, val := range map[string]string{"QuadClass": "5", "GoldsteinScale": "10.5", "AvgTone": "-100.01",
		"NumMentions": "-1", "NumSources": "1.5", "NumArticles": "x"} {
		res := gdDecode(t, gdRow(l.v2, map[string]string{col: val}), gdelt.Options{})
		if len(res.kept) != 0 || len(res.skipped) != 1 || !strings.HasPrefix(res.skipped[0].Reason, "bad "+col) {
			t.Errorf("%s=%s: kept %d, skipped %+v", col, val, len(res.kept), res.skipped)
		}
	}
	quad0 := gdDecode(t, gdRow(l.v2, map[string]string{"QuadClass": "0"}), gdelt.Options{})
	if len(quad0.skipped) != 1 {
		t.Errorf("QuadClass 0 was kept")
	}
}

// TestGDELTOneActorPerCode decodes GDELT 2.0 rows in which four names are all coded GBR:
// one actor slug, the CAMEO name, each row's name as the alias, and titles that name
// the actors as the rows do.
func TestGDELTOneActorPerCode(t *testing.T) {
	t.Parallel()
	l := gdLoadLayouts(t)
	var in strings.Builder
	for i, n := range []string{"UNITED KINGDOM", "BRITAIN", "MANCHESTER", "LEEDS"} {
		in.WriteString(gdRow(l.v2, map[string]string{"GLOBALEVENTID": string(rune('1' + i)), "Actor1Code": "GBR",
			"Actor1Name": n, "Actor1CountryCode": "GBR"}))
	}
	res := gdDecode(t, in.String(), gdelt.Options{})
	var aliases []string
	for _, rec := range res.kept {
		a := rec.Actors[0]
		if a.Slug != "gdelt-gbr" || a.Name != "United Kingdom" || a.Kind != models.ActorState || a.ExternalIDs["cameo"] != "GBR" {
			t.Errorf("line %d: %+v", rec.Line, a)
		}
		aliases = append(aliases, a.Aliases...)
	}
	if strings.Join(aliases, "|") != "Britain|Manchester|Leeds" {
		t.Errorf("aliases %q", aliases)
	}
	if got := res.kept[1].Event.Title; got != "Britain – Russia: Engage in negotiation" {
		t.Errorf("title %q", got)
	}
}
