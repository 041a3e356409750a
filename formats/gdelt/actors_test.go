package gdelt

import (
	"testing"

	"github.com/parley-api/parley/models"
)

// TestCAMEOCountryTable checks the country names read from the embedded CAMEO list,
// where a code listed twice takes the state's shortest name.
func TestCAMEOCountryTable(t *testing.T) {
	t.Parallel()
	c := cameoCountryTable()
	if len(c) < 230 {
		t.Errorf("%d codes, want the whole list", len(c))
	}
	for code, want := range map[string]string{
		"GBR": "United Kingdom", // not "Jersey", listed under GBR too
		"RUS": "Russia",         // not "Russian Federation"
		"USA": "United States", "IND": "India", "FRA": "France", "TZA": "Tanzania",
		"MDG":    "Madagascar", // the later spelling on a tie
		"GBRGIB": "Gibraltar", "ROM": "Romania", "KSV": "Kosovo", "AFR": "Africa", "YUG": "Yugoslavia",
	} {
		if got := c[code]; got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
}

// TestCAMEORoleKinds checks the kind each role code gives, as issue 14 lists them, and
// that no code makes a person.
func TestCAMEORoleKinds(t *testing.T) {
	t.Parallel()
	for kind, codes := range map[models.ActorKind][]string{
		models.ActorOrganization: {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "IGO", "NGO", "MNC", "BUS", "EDU", "MED", "REL", "PTY", "HLH", "PKO"},
		models.ActorGroup:        {"REB", "INS", "SEP", "UAF", "CVL", "OPP", "LAB", "AGR", "ELI", "REF", "CRM", "IMG", "MOS", "CHR"},
	} {
		for _, code := range codes {
			for _, full := range []string{code, "IND" + code, "GBR" + code + "GOV"} {
				a, ok := describeCAMEOActor(full)
				if !ok || a.kind != kind {
					t.Errorf("%s: %s (ok %v), want %s", full, a.kind, ok, kind)
				}
			}
		}
	}
	for code, r := range cameoRoles {
		if r.kind == models.ActorPerson || !r.kind.Valid() || r.label == "" || len(code) != 3 {
			t.Errorf("role %s: %+v", code, r)
		}
		if cameoCountryTable()[code] != "" {
			t.Errorf("role %s is also a country code: a code would read two ways", code)
		}
	}
}

// TestDescribeCAMEOActor checks composed names, kinds and countries.
func TestDescribeCAMEOActor(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]cameoActor{
		"GBR":       {"United Kingdom", models.ActorState, "GB"},
		"GBRGOV":    {"United Kingdom government", models.ActorOrganization, "GB"},
		"INDCOP":    {"India police", models.ActorOrganization, "IN"},
		"USAMIL":    {"United States military", models.ActorOrganization, "US"},
		"IGOUNO":    {"United Nations", models.ActorOrganization, ""},
		"IGOEUREEC": {"European Union", models.ActorOrganization, ""},
		"NGOAMN":    {"Amnesty International", models.ActorOrganization, ""},
		"MNCUSA":    {"Multinational corporation (United States)", models.ActorOrganization, "US"},
		"RUSOPPLAB": {"Russia political opposition labour", models.ActorGroup, "RU"},
		"AFGINSTAL": {"Afghanistan insurgents TAL", models.ActorGroup, "AF"},
		"GBRGIBGOV": {"Gibraltar government", models.ActorOrganization, "GB"},
		"WST":       {"The West", models.ActorGroup, ""},
		"CVL":       {"Civilians", models.ActorGroup, ""},
		"PTY":       {"Political parties", models.ActorOrganization, ""},
		"XYZ":       {"XYZ", models.ActorOrganization, ""},
	} {
		got, ok := describeCAMEOActor(code)
		if !ok || got != want {
			t.Errorf("%s: %+v (ok %v), want %+v", code, got, ok, want)
		}
	}
	for _, bad := range []string{"", "GB", "GBRG", "gbr", "GB-"} {
		if _, ok := describeCAMEOActor(bad); ok {
			t.Errorf("%q was read as an actor code", bad)
		}
	}
}
