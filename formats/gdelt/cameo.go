package gdelt

import (
	_ "embed" // the CAMEO code book
	"strings"
	"sync"

	"golang.org/x/text/language"

	"github.com/parley-api/parley/models"
)

// cameoCodeBook is Philip Schrodt's CAMEO 0.7b5 code file, unchanged from
// philip-schrodt/ICEWS-to-jsonl (CAMEO_codefile.txt, MIT licence, see
// icews-to-jsonl-LICENSE-MIT.txt beside it). Its lines are "LABEL: 042= Make a visit"
// for CAMEO codes, "LABELi: ..." for the ICEWS variants, and comments starting "//",
// among them one heading per root category ("//04= CONSULT").
//
//go:embed cameo-codefile-schrodt-icews.txt
var cameoCodeBook string

// cameoSpelling corrects the three spelling slips of the code book's labels.
var cameoSpelling = strings.NewReplacer("Apolgize", "Apologize", "adminstrative", "administrative",
	"Ostruct", "Obstruct")

// cameoDescriptions returns the CAMEO event codes with their descriptions, read once from
// the code book: the 20 root categories from their headings ("//04= CONSULT" →
// "Consult") and every LABEL line, where a code listed twice keeps its last label and
// the spelling slips are corrected. The ICEWS variants (LABELi lines, and codes with a
// letter such as "138i") are not used: GDELT codes with CAMEO proper.
var cameoDescriptions = sync.OnceValue(func() map[string]string {
	return parseCAMEOCodeBook(cameoCodeBook)
})

// parseCAMEOCodeBook reads a CAMEO code file (see cameoCodeBook) into code → description.
func parseCAMEOCodeBook(book string) map[string]string {
	codes := map[string]string{}
	for line := range strings.Lines(book) {
		line = strings.TrimRight(line, "\r\n")
		if head, ok := strings.CutPrefix(line, "//"); ok {
			// a root heading: "//01: MAKE PUBLIC STATEMENT" or "//03= EXPRESS INTENT..."
			if len(head) > 4 && allDigits(head[:2]) && (head[2] == ':' || head[2] == '=') && head[3] == ' ' {
				name := strings.ToLower(head[4:])
				codes[head[:2]] = strings.ToUpper(name[:1]) + name[1:]
			}
			continue
		}
		code, desc, ok := strings.Cut(strings.TrimPrefix(line, "LABEL: "), "= ")
		if !ok || !strings.HasPrefix(line, "LABEL: ") || code == "" || !allDigits(code) || desc == "" {
			continue
		}
		codes[code] = cameoSpelling.Replace(desc)
	}
	return codes
}

// CAMEODescription returns the CAMEO description of an event code ("042" → "Make a
// visit"). A code the code book does not list falls back to its base (first three
// digits) and then its root (first two); "" when none is known.
func CAMEODescription(code string) string {
	for n := len(code); n >= 2; n-- {
		if d, ok := cameoDescriptions()[code[:n]]; ok {
			return d
		}
	}
	return ""
}

// cameoCountryAliases are the CAMEO country codes that differ from ISO 3166-1 alpha-3,
// or that golang.org/x/text resolves to a withdrawn alpha-2 code.
var cameoCountryAliases = map[string]string{
	"ROM": "RO", // Romania (CAMEO kept the pre-2002 ISO code)
	"TMP": "TL", // Timor-Leste (ISO TMP until 2002)
	"ZAR": "CD", // Zaire, now the Democratic Republic of the Congo
	"KSV": "XK", // Kosovo (CAMEO; XK is the user-assigned code parley accepts)
	"XKX": "XK", // Kosovo (the EU's alpha-3 form)
}

// cameoRegions are CAMEO's regional "country" codes with their names: an actor coded
// with one is a region ("AFR", Africa), never a state.
var cameoRegions = map[string]string{
	"AFR": "Africa", "ASA": "Asia", "BLK": "the Balkans", "CAS": "Central Asia",
	"CAU": "the Caucasus", "CEU": "Central Europe", "CFR": "Central Africa", "CRB": "the Caribbean",
	"EAF": "East Africa", "EEU": "Eastern Europe", "EIN": "the East Indies", "EUR": "Europe",
	"LAM": "Latin America", "MDT": "the Mediterranean", "MEA": "the Middle East", "NAF": "North Africa",
	"NMR": "North America", "PGS": "the Persian Gulf", "SAF": "Southern Africa", "SAM": "South America",
	"SAS": "South Asia", "SCN": "Scandinavia", "SEA": "Southeast Asia", "WAF": "West Africa", "WST": "the West",
}

// CAMEOCountry converts a CAMEO country code, as GDELT writes it in Actor1CountryCode
// and Actor2CountryCode (ISO 3166-1 alpha-3 with a few CAMEO spellings such as ROM and
// KSV), to ISO 3166-1 alpha-2. It returns "" for regions ("AFR", "WST"), for withdrawn
// countries (YUG, SCG, ANT) and for anything unknown.
func CAMEOCountry(code string) string {
	if _, region := cameoRegions[code]; len(code) != 3 || region {
		return ""
	}
	if iso, ok := cameoCountryAliases[code]; ok {
		return iso
	}
	for i := 0; i < 3; i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return ""
		}
	}
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() {
		return ""
	}
	if iso := r.String(); models.ValidCountry(iso) {
		return iso
	}
	return ""
}

// pastTense holds the simple past of every verb that opens a CAMEO description, for the
// generic event summary ("Use conventional military force" → "used conventional
// military force").
var pastTense = map[string]string{
	"abduct": "abducted", "accede": "acceded", "accuse": "accused", "acknowledge": "acknowledged",
	"agree": "agreed", "allow": "allowed", "apologize": "apologized", "appeal": "appealed",
	"arrest": "arrested", "assassinate": "assassinated", "assault": "assaulted", "attack": "attacked",
	"attempt": "attempted", "ban": "banned", "break": "broke", "bring": "brought", "carry": "carried",
	"charge": "charged", "claim": "claimed", "coerce": "coerced", "complain": "complained",
	"conduct": "conducted", "confiscate": "confiscated", "consider": "considered", "consult": "consulted",
	"cooperate": "cooperated", "criticize": "criticized", "damage": "damaged", "de-escalate": "de-escalated",
	"decline": "declined", "declare": "declared", "defend": "defended", "defy": "defied",
	"demand": "demanded", "demobilize": "demobilized", "denounce": "denounced", "demonstrate": "demonstrated", "deny": "denied",
	"destroy": "destroyed", "detain": "detained", "detonate": "detonated", "disapprove": "disapproved",
	"discuss": "discussed", "ease": "eased", "employ": "employed", "endorse": "endorsed",
	"engage": "engaged", "exhibit": "exhibited", "expel": "expelled", "express": "expressed",
	"fight": "fought", "find": "found", "forgive": "forgave", "give": "gave", "grant": "granted",
	"halt": "halted", "hijack": "hijacked", "host": "hosted", "impose": "imposed", "increase": "increased",
	"investigate": "investigated", "kill": "killed", "make": "made", "meet": "met", "mobilize": "mobilized",
	"obstruct": "obstructed", "occupy": "occupied", "praise": "praised", "protest": "protested",
	"provide": "provided", "rally": "rallied", "receive": "received", "reduce": "reduced",
	"reject": "rejected", "release": "released", "retreat": "retreated", "return": "returned",
	"seize": "seized", "share": "shared", "sign": "signed", "stop": "stopped", "surrender": "surrendered",
	"threaten": "threatened", "torture": "tortured", "use": "used", "veto": "vetoed", "violate": "violated",
	"withdraw": "withdrew", "yield": "yielded",
}

// pastPhrase turns a CAMEO description into a past-tense verb phrase in lower case: the
// leading verbs ("Arrest, detain, or charge with legal action", "Physically assault")
// go to the past and the rest is kept.
func pastPhrase(desc string) string {
	words := strings.Fields(desc)
	if len(words) == 0 {
		return ""
	}
	words[0] = strings.ToLower(words[0][:1]) + words[0][1:]
	i := 0
	if strings.HasSuffix(words[0], "ly") && len(words) > 1 { // an adverb first
		i = 1
	}
	for i < len(words) {
		w := strings.TrimSuffix(words[i], ",")
		past, ok := pastTense[strings.ToLower(w)]
		if !ok {
			break
		}
		words[i] = past + words[i][len(w):]
		if !strings.HasSuffix(words[i], ",") {
			// "Praise or endorse": one more verb after "or"
			if i+2 < len(words) && words[i+1] == "or" {
				if _, ok := pastTense[strings.ToLower(strings.TrimSuffix(words[i+2], ","))]; ok {
					i += 2
					continue
				}
			}
			break
		}
		i++
		if i < len(words) && words[i] == "or" {
			i++
		}
	}
	return strings.Join(words, " ")
}

// cameoPhrases are the summary verb phrases of the codes parley keeps by default
// (03 intent to cooperate, 04 consult, 05 diplomatic cooperation). The part in brackets
// names the other actor (%s) and is dropped when there is none.
var cameoPhrases = map[string]string{
	"03":   "expressed intent to cooperate[ with %s]",
	"030":  "expressed intent to cooperate[ with %s]",
	"031":  "expressed intent to engage in material cooperation[ with %s]",
	"0311": "expressed intent to cooperate economically[ with %s]",
	"0312": "expressed intent to cooperate militarily[ with %s]",
	"0313": "expressed intent to cooperate on judicial matters[ with %s]",
	"0314": "expressed intent to cooperate on intelligence[ with %s]",
	"032":  "expressed intent to engage in diplomatic cooperation[ with %s]",
	"033":  "expressed intent to provide material aid[ to %s]",
	"0331": "expressed intent to provide economic aid[ to %s]",
	"0332": "expressed intent to provide military aid[ to %s]",
	"0333": "expressed intent to provide humanitarian aid[ to %s]",
	"0334": "expressed intent to provide military protection or peacekeeping[ to %s]",
	"034":  "promised[ %s] political reform",
	"0341": "promised[ %s] a change of leadership",
	"0342": "promised[ %s] a change of policy",
	"0343": "promised[ %s] rights",
	"0344": "promised[ %s] a change of institutions or regime",
	"035":  "expressed intent to yield[ to %s]",
	"0351": "expressed intent to ease administrative sanctions[ on %s]",
	"0352": "expressed intent to ease popular dissent[ against %s]",
	"0353": "expressed intent to release persons or property[ to %s]",
	"0354": "expressed intent to ease economic sanctions, boycott or embargo[ against %s]",
	"0355": "expressed intent to allow international involvement[ by %s]",
	"0356": "expressed intent to de-escalate military engagement[ with %s]",
	"036":  "expressed intent to meet or negotiate[ with %s]",
	"037":  "expressed intent to settle a dispute[ with %s]",
	"038":  "expressed intent to accept mediation[ involving %s]",
	"039":  "expressed intent to mediate[ involving %s]",
	"04":   "consulted[ with %s]",
	"040":  "consulted[ with %s]",
	"041":  "spoke by telephone[ with %s]",
	"042":  "made a visit[ to %s]",
	"043":  "hosted a visit[ by %s]",
	"044":  "met[ %s] at a third location",
	"045":  "mediated[ in a dispute involving %s]",
	"046":  "negotiated[ with %s]",
	"05":   "engaged in diplomatic cooperation[ with %s]",
	"050":  "engaged in diplomatic cooperation[ with %s]",
	"051":  "praised or endorsed[ %s]",
	"052":  "defended[ %s] verbally",
	"053":  "rallied support[ on behalf of %s]",
	"054":  "granted diplomatic recognition[ to %s]",
	"055":  "apologized[ to %s]",
	"056":  "forgave[ %s]",
	"057":  "signed a formal agreement[ with %s]",
}

// verbPhrase returns what subject did to target (""= no target) for a CAMEO code, in
// the past tense and without the subject. Codes without a hand-written phrase use the
// code book description, naming the target as CAMEO does.
func verbPhrase(code, target string) string {
	if p, ok := cameoPhrases[code]; ok {
		before, rest, _ := strings.Cut(p, "[")
		inner, after, _ := strings.Cut(rest, "]")
		if target == "" {
			return before + after
		}
		return before + strings.Replace(inner, "%s", target, 1) + after
	}
	p := pastPhrase(CAMEODescription(code))
	if p == "" {
		p = "acted (CAMEO " + code + ")"
	}
	if target != "" {
		p += " (target: " + target + ")"
	}
	return p
}
