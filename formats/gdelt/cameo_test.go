package gdelt

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestCAMEOCodeBookTable proves that the table parsed from the embedded code book is the
// one parley used to carry as a hand-copied Go map: the same 313 codes with the same
// descriptions (the checksum is of that old map, sorted, one "code=description" a line),
// so reading the code book changed no description.
func TestCAMEOCodeBookTable(t *testing.T) {
	t.Parallel()
	codes := cameoDescriptions()
	if len(codes) != 313 {
		t.Errorf("%d codes, want 313", len(codes))
	}
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(codes)) {
		fmt.Fprintf(h, "%s=%s\n", k, codes[k])
	}
	if got, want := fmt.Sprintf("%x", h.Sum(nil)), "b0744dba81b252e352a0769a221c072ff7d1a7a56400eeb68055c85db8719dd9"; got != want {
		t.Errorf("table checksum %s, want %s (the old hand-copied table)", got, want)
	}
	for code, want := range map[string]string{
		"01":   "Make public statement",                   // a root, from its heading "//01: ..."
		"03":   "Express intent to cooperate",             // a root, from "//03= ..."
		"20":   "Attack with weapons of mass destruction", // the last root
		"042":  "Make a visit",
		"018":  "Make empathetic comment",                                        // listed twice: the last label
		"0354": "Express intent to ease economic sanctions, boycott, or embargo", // the same
		"175":  "Use tactics of violent repression",                              // the same
		"0214": "Appeal for intelligence cooperation",                            // not the LABELi variant
		"055":  "Apologize",                                                      // spelling corrected
		"1051": "Demand easing of administrative sanctions",                      // spelling corrected
		"1444": "Obstruct passage to demand change in institutions, regime",      // spelling corrected
		"2042": "Detonate nuclear weapons",                                       // the last code
	} {
		if got := codes[code]; got != want {
			t.Errorf("%s = %q, want %q", code, got, want)
		}
	}
	for _, variant := range []string{"138i", "0811i", "1321i", "13y", "136i"} {
		if d, ok := codes[variant]; ok {
			t.Errorf("ICEWS variant %s kept as %q", variant, d)
		}
	}
	// The spelling supplement corrects slips the code book really has.
	for _, slip := range []string{"Apolgize", "adminstrative", "Ostruct"} {
		if !strings.Contains(cameoCodeBook, slip) {
			t.Errorf("the code book no longer has %q: drop it from cameoSpelling", slip)
		}
	}
}

// TestParseCAMEOCodeBook checks the line forms the parser reads and those it ignores.
func TestParseCAMEOCodeBook(t *testing.T) {
	t.Parallel()
	got := parseCAMEOCodeBook("//CAMEO Codelist\r\n//\r\n//04= CONSULT\r\nLABEL: 042= Make a visit\r\n" +
		"LABELi: 042= Visit\nLABELI: 043= Host\nLABEL: 138i= Threaten\nLABEL: = empty\nLABEL: 044=\n" +
		"LABEL: 055= Apolgize\n~~~~~\n//1= ONE DIGIT\n")
	want := map[string]string{"04": "Consult", "042": "Make a visit", "055": "Apologize"}
	if !maps.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
