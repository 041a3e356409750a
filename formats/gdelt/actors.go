package gdelt

import (
	_ "embed" // the CAMEO country names
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/parley-api/parley/models"
)

// cameoCountryNames is Philip Schrodt's CAMEO country list, unchanged from
// philip-schrodt/ICEWS-to-jsonl (countrynames-DEDI.txt, MIT licence, see
// icews-to-jsonl-LICENSE-MIT.txt beside it): "name<TAB>code<TAB>COW number or region" a
// line, codes of 3 letters (countries) or 6 (a territory under its country: GBRGIB).
//
//go:embed cameo-countrynames-iso3-cow-schrodt.tsv
var cameoCountryNames string

// cameoCountryTable maps a CAMEO country or territory code to its name, read once. A
// code listed more than once ("RUS": "Russian Federation", "Russia"; "GBR": "United
// Kingdom", "Jersey") takes the name of a line with a Correlates of War number (a
// state, not a dependency listed under its country), the shortest such name, the later
// line on a tie (the list's spelling slips come first: "Madagaskar", "Madagascar").
var cameoCountryTable = sync.OnceValue(func() map[string]string {
	return parseCAMEOCountries(cameoCountryNames)
})

// parseCAMEOCountries reads a country list (see cameoCountryNames).
func parseCAMEOCountries(list string) map[string]string {
	type pick struct {
		name  string
		state bool
	}
	best := map[string]pick{}
	for line := range strings.Lines(list) {
		f := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
		if len(f) < 2 || (len(f[1]) != 3 && len(f[1]) != 6) || !isASCIIUpper(f[1]) || f[0] == "" {
			continue
		}
		state := len(f) > 2 && f[2] != "" && allDigits(f[2])
		cur, ok := best[f[1]]
		if !ok || (state && !cur.state) || (state == cur.state && len(f[0]) <= len(cur.name)) {
			best[f[1]] = pick{f[0], state}
		}
	}
	out := make(map[string]string, len(best))
	for code, p := range best {
		out[code] = p.name
	}
	for _, extra := range []map[string]string{cameoExtraCountries, cameoRegions} {
		for code, name := range extra {
			if _, ok := out[code]; !ok {
				out[code] = name
			}
		}
	}
	return out
}

// cameoExtraCountries are the CAMEO country codes GDELT writes that the list spells
// otherwise (ROM for ROU) or no longer has; CAMEO's regions come from cameoRegions.
var cameoExtraCountries = map[string]string{
	"ROM": "Romania", "YUG": "Yugoslavia", "SCG": "Serbia and Montenegro",
}

// cameoRole is what a 3-letter CAMEO role, sector, religion or known-group code says
// about an actor: how it reads in a name and the kind of actor it makes.
type cameoRole struct {
	// label follows the country in a composed name ("United Kingdom government"), or
	// stands alone without one.
	label string
	kind  models.ActorKind
	// named says the code names one organisation ("UNO" the United Nations): the name
	// is the label, and a generic IGO or NGO segment beside it adds nothing.
	named bool
	// generic says the code only classes the actor (IGO, NGO, MNC…): left out of a
	// name that has a named segment.
	generic bool
}

// cameoRoles is the one table of CAMEO actor codes below the country level, from the
// CAMEO code book (actor codes, chapter 3) and GDELT's use of it. The kind follows what
// the code denotes: state institutions (GOV, MIL, COP, JUD, LEG, SPY), international and
// non-governmental organisations, companies, parties and sectors organised as bodies
// (EDU, MED, HLH, REL) are organizations; armed non-state actors, sectors of society,
// movements and religious or social communities are groups. No code makes a person:
// GDELT codes the office a named person holds (USAGOV "BARACK OBAMA"), and the name is
// kept as an alias of that office's actor.
var cameoRoles = map[string]cameoRole{
	// State institutions.
	"GOV": {label: "government", kind: models.ActorOrganization},
	"MIL": {label: "military", kind: models.ActorOrganization},
	"COP": {label: "police", kind: models.ActorOrganization},
	"JUD": {label: "judiciary", kind: models.ActorOrganization},
	"LEG": {label: "legislature", kind: models.ActorOrganization},
	"SPY": {label: "intelligence services", kind: models.ActorOrganization},
	// Organisations and organised sectors.
	"IGO": {label: "intergovernmental organization", kind: models.ActorOrganization, generic: true},
	"NGO": {label: "non-governmental organization", kind: models.ActorOrganization, generic: true},
	"MNC": {label: "multinational corporation", kind: models.ActorOrganization, generic: true},
	"BUS": {label: "business", kind: models.ActorOrganization},
	"EDU": {label: "education", kind: models.ActorOrganization},
	"MED": {label: "media", kind: models.ActorOrganization},
	"HLH": {label: "health", kind: models.ActorOrganization},
	"REL": {label: "religious organizations", kind: models.ActorOrganization},
	"PTY": {label: "political parties", kind: models.ActorOrganization},
	"PKO": {label: "peacekeepers", kind: models.ActorOrganization},
	"INT": {label: "international organizations", kind: models.ActorOrganization, generic: true},
	"UIS": {label: "unidentified state actor", kind: models.ActorOrganization},
	// Named organisations (known groups).
	"UNO": {label: "United Nations", kind: models.ActorOrganization, named: true},
	"AMN": {label: "Amnesty International", kind: models.ActorOrganization, named: true},
	"IRC": {label: "Red Cross", kind: models.ActorOrganization, named: true},
	"GRP": {label: "Greenpeace", kind: models.ActorOrganization, named: true},
	"HRW": {label: "Human Rights Watch", kind: models.ActorOrganization, named: true},
	"MSF": {label: "Médecins Sans Frontières", kind: models.ActorOrganization, named: true},
	"NAT": {label: "NATO", kind: models.ActorOrganization, named: true},
	"EEC": {label: "European Union", kind: models.ActorOrganization, named: true},
	"WBK": {label: "World Bank", kind: models.ActorOrganization, named: true},
	"IMF": {label: "International Monetary Fund", kind: models.ActorOrganization, named: true},
	"ARL": {label: "Arab League", kind: models.ActorOrganization, named: true},
	"ASN": {label: "ASEAN", kind: models.ActorOrganization, named: true},
	"OAS": {label: "Organization of American States", kind: models.ActorOrganization, named: true},
	"OPC": {label: "OPEC", kind: models.ActorOrganization, named: true},
	"WTO": {label: "World Trade Organization", kind: models.ActorOrganization, named: true},
	// Armed non-state actors.
	"REB": {label: "rebels", kind: models.ActorGroup},
	"INS": {label: "insurgents", kind: models.ActorGroup},
	"SEP": {label: "separatists", kind: models.ActorGroup},
	"UAF": {label: "unaligned armed forces", kind: models.ActorGroup},
	"IMG": {label: "international militarized group", kind: models.ActorGroup},
	// Sectors of society, movements, communities.
	"CVL": {label: "civilians", kind: models.ActorGroup},
	"OPP": {label: "political opposition", kind: models.ActorGroup},
	"LAB": {label: "labour", kind: models.ActorGroup},
	"AGR": {label: "agriculture", kind: models.ActorGroup},
	"ELI": {label: "elites", kind: models.ActorGroup},
	"REF": {label: "refugees", kind: models.ActorGroup},
	"CRM": {label: "criminals", kind: models.ActorGroup},
	"DEV": {label: "development", kind: models.ActorGroup},
	"ENV": {label: "environmentalists", kind: models.ActorGroup},
	"HRI": {label: "human rights activists", kind: models.ActorGroup},
	"MOD": {label: "moderates", kind: models.ActorGroup},
	"RAD": {label: "radicals", kind: models.ActorGroup},
	"SET": {label: "settlers", kind: models.ActorGroup},
	"NGM": {label: "non-governmental movement", kind: models.ActorGroup},
	"CHR": {label: "Christians", kind: models.ActorGroup},
	"CTH": {label: "Catholics", kind: models.ActorGroup},
	"PRO": {label: "Protestants", kind: models.ActorGroup},
	"DOX": {label: "Orthodox Christians", kind: models.ActorGroup},
	"MOS": {label: "Muslims", kind: models.ActorGroup},
	"SUN": {label: "Sunni Muslims", kind: models.ActorGroup},
	"SHI": {label: "Shia Muslims", kind: models.ActorGroup},
	"JEW": {label: "Jews", kind: models.ActorGroup},
	"HIN": {label: "Hindus", kind: models.ActorGroup},
	"BUD": {label: "Buddhists", kind: models.ActorGroup},
	"SIK": {label: "Sikhs", kind: models.ActorGroup},
}

// cameoActor is what an actor code says: its name, kind and ISO country.
type cameoActor struct {
	name    string
	kind    models.ActorKind
	country string
}

// describeCAMEOActor composes the name and kind of a CAMEO actor code. The code is read
// as 3-letter segments: a country (or a 6-letter territory such as GBRGIB, or a
// region), then role codes. The name is the country's name followed by the role labels
// ("GBRGOV" → "United Kingdom government", "INDCOP" → "India police"), or the named
// organisation ("IGOUNO" → "United Nations"); a segment the table does not know is kept
// as it is. The kind is the first role's (the primary role, in CAMEO's order), else
// state for a bare country, group for a bare region; an unknown first role gives
// organization. ok is false when the code is not made of 3-letter segments.
func describeCAMEOActor(code string) (cameoActor, bool) {
	segs := cameoSegments(code)
	if segs == nil || !isASCIIUpper(code) {
		return cameoActor{}, false
	}
	countries := cameoCountryTable()
	var a cameoActor
	var place string
	switch {
	case len(segs) >= 2 && countries[segs[0]+segs[1]] != "":
		place, a.country, segs = countries[segs[0]+segs[1]], CAMEOCountry(segs[0]), segs[2:]
	case countries[segs[0]] != "":
		place, a.country, segs = countries[segs[0]], CAMEOCountry(segs[0]), segs[1:]
	case CAMEOCountry(segs[0]) != "":
		// A country the list lacks: its English name from CLDR.
		a.country = CAMEOCountry(segs[0])
		place, segs = display.English.Regions().Name(language.MustParseRegion(a.country)), segs[1:]
	}
	var labels, named, within []string
	role := false
	for _, s := range segs {
		if r, ok := cameoRoles[s]; ok && r.named {
			named = append(named, r.label)
		}
	}
	for _, s := range segs {
		r, isRole := cameoRoles[s]
		if name := countries[s]; !isRole && name != "" {
			// A country after a role ("MNCUSA", "IGOEUREEC"): where the actor is from.
			within = append(within, name)
			if a.country == "" {
				a.country = CAMEOCountry(s)
			}
			continue
		}
		if !role {
			role, a.kind = true, models.ActorOrganization
			if isRole {
				a.kind = r.kind
			}
		}
		if !isRole {
			labels = append(labels, s)
		} else if !r.named && !r.generic {
			labels = append(labels, r.label)
		} else if len(named) == 0 && r.generic {
			labels = append(labels, r.label)
		}
	}
	if !role {
		a.kind = models.ActorState // a withdrawn country (YUG) too, without an ISO code
		if _, region := cameoRegions[code]; region || place == "" {
			a.kind = models.ActorGroup
		}
	}
	if len(named) > 0 {
		// A named organisation is its name: "IGOUNO" is the United Nations.
		if a.kind != models.ActorGroup {
			a.kind = models.ActorOrganization
		}
		labels, place, within = append(named, labels...), "", nil
	}
	parts := labels
	if place != "" {
		parts = append([]string{place}, labels...)
	}
	if len(within) > 0 {
		parts = append(parts, "("+strings.Join(within, ", ")+")")
	}
	a.name = strings.Join(parts, " ")
	if r := []rune(a.name); len(r) > 0 && unicode.IsLower(r[0]) {
		r[0] = unicode.ToUpper(r[0])
		a.name = string(r)
	}
	return a, true
}

// isASCIIUpper reports whether s is made of upper-case ASCII letters and digits.
func isASCIIUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}
