package formats

import (
	"strings"

	"golang.org/x/text/language"

	"github.com/parley-api/parley/models"
)

// cameoDescriptions holds the CAMEO 0.7b5 event codes with their descriptions: the 20
// root categories (two digits) and every LABEL line of Philip Schrodt's CAMEO code file
// (shared/data/cameo/cameo-codefile-schrodt-icews.txt, MIT licence), where a code listed
// twice keeps its last label and three spelling slips are corrected ("Apolgize",
// "adminstrative", "Ostruct"). The ICEWS variants (LABELi lines) are not used: GDELT
// codes with CAMEO proper.
var cameoDescriptions = map[string]string{
	"01":   "Make public statement",
	"02":   "Appeal",
	"03":   "Express intent to cooperate",
	"04":   "Consult",
	"05":   "Engage in diplomatic cooperation",
	"06":   "Engage in material cooperation",
	"07":   "Provide aid",
	"08":   "Yield",
	"09":   "Investigate",
	"10":   "Demand",
	"11":   "Disapprove",
	"12":   "Reject",
	"13":   "Threaten",
	"14":   "Protest",
	"15":   "Exhibit military posture",
	"16":   "Reduce relations",
	"17":   "Coerce",
	"18":   "Assault",
	"19":   "Fight",
	"20":   "Attack with weapons of mass destruction",
	"010":  "Make statement",
	"011":  "Decline comment",
	"012":  "Make pessimistic comment",
	"013":  "Make optimistic comment",
	"014":  "Consider policy option",
	"015":  "Acknowledge or claim responsibility",
	"016":  "Deny responsibility",
	"017":  "Engage in symbolic act",
	"018":  "Make empathetic comment",
	"019":  "Express accord",
	"020":  "Make an appeal or request",
	"021":  "Appeal for material cooperation",
	"0211": "Appeal for economic cooperation",
	"0212": "Appeal for military cooperation",
	"0213": "Appeal for judicial cooperation",
	"0214": "Appeal for intelligence cooperation",
	"022":  "Appeal for diplomatic cooperation (such as policy support)",
	"023":  "Appeal for aid",
	"0231": "Appeal for economic aid",
	"0232": "Appeal for military aid",
	"0233": "Appeal for humanitarian aid",
	"0234": "Appeal for military protection or peacekeeping",
	"024":  "Appeal for political reform",
	"0241": "Appeal for change in leadership",
	"0242": "Appeal for policy change",
	"0243": "Appeal for rights",
	"0244": "Appeal for change in institutions, regime",
	"025":  "Appeal for target to yield",
	"0251": "Appeal for easing of administrative sanctions",
	"0252": "Appeal for easing of popular dissent",
	"0253": "Appeal for release of persons or property",
	"0254": "Appeal for easing of economic sanctions, boycott, or embargo",
	"0255": "Appeal for target to allow international involvement (non-mediation)",
	"0256": "Appeal for de-escalation of military engagement",
	"026":  "Appeal to others to meet or negotiate",
	"027":  "Appeal to others to settle dispute",
	"028":  "Appeal to engage mediation",
	"030":  "Express intent to cooperate",
	"031":  "Agree to engage in material cooperation",
	"0311": "Express intent to cooperate economically",
	"0312": "Express intent to cooperate militarily",
	"0313": "Express intent to cooperate on judicial matters",
	"0314": "Express intent to cooperate on intelligence",
	"032":  "Express intent to engage in diplomatic cooperation (such as policy support)",
	"033":  "Express intent to provide material aid",
	"0331": "Express intent to provide economic aid",
	"0332": "Express intent to provide military aid",
	"0333": "Express intent to provide humanitarian aid",
	"0334": "Express intent to provide military protection or peacekeeping",
	"034":  "Express intent to bring political reform",
	"0341": "Express intent to change leadership",
	"0342": "Express intent to change policy",
	"0343": "Express intent to provide rights",
	"0344": "Express intent to change institutions, regime",
	"035":  "Express intent to yield",
	"0351": "Express intent to ease administrative sanctions",
	"0352": "Express intent to ease popular dissent",
	"0353": "Express intent to release persons or property",
	"0354": "Express intent to ease economic sanctions, boycott, or embargo",
	"0355": "Express intent to allow international involvement (non-mediation)",
	"0356": "Express intent to de-escalate military engagement",
	"036":  "Express intent to meet or negotiate",
	"037":  "Express intent to settle dispute",
	"038":  "Express intent to accept mediation",
	"039":  "Express intent to mediate",
	"040":  "Consult",
	"041":  "Discuss by telephone",
	"042":  "Make a visit",
	"043":  "Host a visit",
	"044":  "Meet at a 'third' location",
	"045":  "Engage in mediation",
	"046":  "Engage in negotiation",
	"050":  "Engage in diplomatic cooperation",
	"051":  "Praise or endorse",
	"052":  "Defend verbally",
	"053":  "Rally support on behalf of",
	"054":  "Grant diplomatic recognition",
	"055":  "Apologize",
	"056":  "Forgive",
	"057":  "Sign formal agreement",
	"060":  "Engage in material cooperation",
	"061":  "Cooperate economically",
	"062":  "Cooperate militarily",
	"063":  "Engage in judicial cooperation",
	"064":  "Share intelligence or information",
	"070":  "Provide aid",
	"071":  "Provide economic aid",
	"072":  "Provide military aid",
	"073":  "Provide humanitarian aid",
	"074":  "Provide military protection or peacekeeping",
	"075":  "Grant asylum",
	"080":  "Yield",
	"081":  "Ease administrative sanctions",
	"0811": "Ease restrictions on freedoms of expression",
	"0812": "Ease ban on political parties or politicians",
	"0813": "Ease curfew",
	"0814": "Ease state of emergency or martial law",
	"082":  "Ease political dissent",
	"083":  "Accede to requests or demands for political reform",
	"0831": "Accede to demands for change in leadership",
	"0832": "Accede to demands for change in policy",
	"0833": "Accede to demands for rights",
	"0834": "Accede to demands for change in institutions, regime",
	"084":  "Return, release",
	"0841": "Return, release person(s)",
	"0842": "Return, release property",
	"085":  "Ease economic sanctions, boycott, embargo",
	"086":  "Allow international involvement",
	"0861": "Receive deployment of peacekeepers",
	"0862": "Receive inspectors",
	"0863": "Allow delivery of humanitarian aid",
	"087":  "De-escalate military engagement",
	"0871": "Declare truce, ceasefire",
	"0872": "Ease military blockade",
	"0873": "Demobilize armed forces",
	"0874": "Retreat or surrender militarily",
	"090":  "Investigate",
	"091":  "Investigate crime, corruption",
	"092":  "Investigate human rights abuses",
	"093":  "Investigate military action",
	"094":  "Investigate war crimes",
	"100":  "Demand",
	"101":  "Demand material cooperation",
	"1011": "Demand economic cooperation",
	"1012": "Demand military cooperation",
	"1013": "Demand judicial cooperation",
	"1014": "Demand intelligence cooperation",
	"102":  "Demand diplomatic cooperation (such as policy support)",
	"103":  "Demand aid",
	"1031": "Demand economic aid",
	"1032": "Demand military aid",
	"1033": "Demand humanitarian aid",
	"1034": "Demand military protection or peacekeeping",
	"104":  "Demand political reform",
	"1041": "Demand change in leadership",
	"1042": "Demand policy change",
	"1043": "Demand rights",
	"1044": "Demand change in institutions, regime",
	"105":  "Demand that target yields",
	"1051": "Demand easing of administrative sanctions",
	"1052": "Demand easing of popular dissent",
	"1053": "Demand release of persons or property",
	"1054": "Demand easing of economic sanctions, boycott, or embargo",
	"1055": "Demand that target allows international involvement (non-mediation)",
	"1056": "Demand de-escalation of military engagement",
	"106":  "Demand meeting, negotiation",
	"107":  "Demand settling of dispute",
	"108":  "Demand mediation",
	"110":  "Disapprove",
	"111":  "Criticize or denounce",
	"112":  "Accuse",
	"1121": "Accuse of crime, corruption",
	"1122": "Accuse of human rights abuses",
	"1123": "Accuse of aggression",
	"1124": "Accuse of war crimes",
	"1125": "Accuse of espionage, treason",
	"113":  "Rally opposition against",
	"114":  "Complain officially",
	"115":  "Bring lawsuit against",
	"116":  "Find guilty or liable (legally)",
	"120":  "Reject",
	"121":  "Reject material cooperation",
	"1211": "Reject economic cooperation",
	"1212": "Reject military cooperation",
	"1213": "Reject judicial cooperation",
	"1214": "Reject intelligence cooperation",
	"122":  "Reject request or demand for material aid",
	"1221": "Reject demand for economic aid",
	"1222": "Reject demand for military aid",
	"1223": "Reject demand for humanitarian aid",
	"1224": "Reject demand for military protection or peacekeeping",
	"123":  "Reject request or demand for political reform",
	"1231": "Reject demand for change in leadership",
	"1232": "Reject demand for policy change",
	"1233": "Reject demand for rights",
	"1234": "Reject demand for change in institutions, regime",
	"124":  "Decline to yield",
	"1241": "Decline to ease administrative sanctions",
	"1242": "Decline to ease popular dissent",
	"1243": "Decline to release persons or property",
	"1244": "Decline to ease economic sanctions, boycott, or embargo",
	"1245": "Decline to allow international involvement (non-mediation)",
	"1246": "Decline to de-escalate military engagement",
	"125":  "Reject proposal to meet, discuss, negotiate",
	"126":  "Reject mediation",
	"127":  "Reject plan, agreement to settle dispute",
	"128":  "Defy norms, law",
	"129":  "Veto",
	"130":  "Threaten",
	"131":  "Threaten non-force",
	"1311": "Threaten to reduce or stop aid",
	"1312": "Threaten to boycott, embargo, or sanction",
	"1313": "Threaten to reduce or break relations",
	"132":  "Threaten with administrative sanctions",
	"1321": "Threaten to impose restrictions on freedoms of speech and expression",
	"1322": "Threaten to ban political parties or politicians",
	"1323": "Threaten to impose curfew",
	"1324": "Threaten to impose state of emergency or martial law",
	"133":  "Threaten with political dissent, protest",
	"134":  "Threaten to halt negotiations",
	"135":  "Threaten to halt mediation",
	"136":  "Threaten to halt (expel or withdraw) international involvement (non-mediation)",
	"137":  "Threaten with violent repression",
	"138":  "Threaten with military force",
	"1381": "Threaten blockade",
	"1382": "Threaten occupation",
	"1383": "Threaten unconventional violence",
	"1384": "Threaten conventional attack",
	"1385": "Threaten attack with WMD",
	"139":  "Give ultimatum",
	"140":  "Engage in political dissent",
	"141":  "Demonstrate or rally",
	"1411": "Demonstrate for leadership change",
	"1412": "Demonstrate for policy change",
	"1413": "Demonstrate for rights",
	"1414": "Demonstrate for change in institutions, regime",
	"142":  "Conduct hunger strike",
	"1421": "Conduct hunger strike for leadership change",
	"1422": "Conduct hunger strike for policy change",
	"1423": "Conduct hunger strike for rights",
	"1424": "Conduct hunger strike for change in institutions, regime",
	"143":  "Conduct strike or boycott",
	"1431": "Conduct strike or boycott for change in leadership",
	"1432": "Conduct strike or boycott for policy change",
	"1433": "Conduct strike or boycott for rights",
	"1434": "Conduct strike or boycott for change in institutions, regime",
	"144":  "Obstruct passage, block",
	"1441": "Obstruct passage to demand change in leadership",
	"1442": "Obstruct passage to demand policy change",
	"1443": "Obstruct passage to demand rights",
	"1444": "Obstruct passage to demand change in institutions, regime",
	"145":  "Protest violently, riot",
	"1451": "Engage in violent protest for change in leadership",
	"1452": "Engage in violent protest for policy change",
	"1453": "Engage in violent protest for rights",
	"1454": "Engage in violent protest for change in institutions, regime",
	"150":  "Demonstrate military or police power",
	"151":  "Increase police alert status",
	"152":  "Increase military alert status",
	"153":  "Mobilize or increase police power",
	"154":  "Mobilize or increase armed forces",
	"160":  "Reduce relations",
	"161":  "Reduce or break diplomatic relations",
	"162":  "Reduce or stop aid",
	"1621": "Reduce or stop economic assistance",
	"1622": "Reduce or stop military assistance",
	"1623": "Reduce or stop humanitarian assistance",
	"163":  "Impose embargo, boycott, or sanctions",
	"164":  "Halt negotiations",
	"165":  "Halt mediation",
	"166":  "Expel or withdraw",
	"1661": "Expel or withdraw peacekeepers",
	"1662": "Expel or withdraw inspectors, observers",
	"1663": "Expel or withdraw aid agencies",
	"170":  "Coerce",
	"171":  "Seize or damage property",
	"1711": "Confiscate property",
	"1712": "Destroy property",
	"172":  "Impose administrative sanctions",
	"1721": "Impose restrictions on freedoms of speech and expression",
	"1722": "Ban political parties or politicians",
	"1723": "Impose curfew",
	"1724": "Impose state of emergency or martial law",
	"173":  "Arrest, detain, or charge with legal action",
	"174":  "Expel or deport individuals",
	"175":  "Use tactics of violent repression",
	"180":  "Use unconventional violence",
	"181":  "Abduct, hijack",
	"182":  "Physically assault",
	"1821": "Sexually assault",
	"1822": "Torture",
	"1823": "Kill by physical assault",
	"183":  "Conduct suicide, car, or other non-military bombing",
	"1831": "Carry out suicide bombing",
	"1832": "Carry out car bombing",
	"1833": "Carry out roadside bombing",
	"184":  "Use as human shield",
	"185":  "Attempt to assassinate",
	"186":  "Assassinate",
	"190":  "Use conventional military force",
	"191":  "Impose blockade, restrict movement",
	"192":  "Occupy territory",
	"193":  "Fight with small arms and light weapons",
	"194":  "Fight with artillery and tanks",
	"195":  "Employ aerial weapons",
	"196":  "Violate ceasefire",
	"200":  "Use unconventional mass violence",
	"201":  "Engage in mass expulsion",
	"202":  "Engage in mass killings",
	"203":  "Engage in ethnic cleansing",
	"204":  "Use weapons of mass destruction",
	"2041": "Use chemical, biological, or radiological weapons",
	"2042": "Detonate nuclear weapons",
}

// CAMEODescription returns the CAMEO description of an event code ("042" → "Make a
// visit"). A code the code book does not list falls back to its base (first three
// digits) and then its root (first two); "" when none is known.
func CAMEODescription(code string) string {
	for n := len(code); n >= 2; n-- {
		if d, ok := cameoDescriptions[code[:n]]; ok {
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

// cameoRegions are CAMEO's regional "country" codes: an actor coded with one is a
// region ("AFR", Africa), never a state.
var cameoRegions = map[string]bool{
	"AFR": true, "ASA": true, "BLK": true, "CAS": true, "CAU": true, "CEU": true, "CFR": true,
	"CRB": true, "EAF": true, "EEU": true, "EIN": true, "EUR": true, "LAM": true, "MDT": true,
	"MEA": true, "NAF": true, "NMR": true, "PGS": true, "SAF": true, "SAM": true, "SAS": true,
	"SCN": true, "SEA": true, "WAF": true, "WST": true,
}

// CAMEOCountry converts a CAMEO country code, as GDELT writes it in Actor1CountryCode
// and Actor2CountryCode (ISO 3166-1 alpha-3 with a few CAMEO spellings such as ROM and
// KSV), to ISO 3166-1 alpha-2. It returns "" for regions ("AFR", "WST"), for withdrawn
// countries (YUG, SCG, ANT) and for anything unknown.
func CAMEOCountry(code string) string {
	if len(code) != 3 || cameoRegions[code] {
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

// CAMEO actor type codes (the 3-letter role and sector segments of an actor code, also
// given alone in Actor*Type1Code..Type3Code), sorted by the actor kind they suggest.
var (
	// cameoOrgTypes are organisations by definition: IGOs, NGOs, companies, the UN and
	// the named international organisations CAMEO has type codes for.
	cameoOrgTypes = map[string]bool{"IGO": true, "NGO": true, "MNC": true, "UNO": true,
		"AMN": true, "IRC": true, "GRP": true, "PKO": true}
	// cameoArmedTypes are armed non-state groups.
	cameoArmedTypes = map[string]bool{"REB": true, "INS": true, "SEP": true, "UAF": true,
		"IMG": true}
	// cameoInstitutionTypes are state institutions and the organised sectors a named
	// person can stand for (a minister is coded GOV, a general MIL, a journalist MED).
	cameoInstitutionTypes = map[string]bool{"GOV": true, "LEG": true, "JUD": true, "MIL": true,
		"COP": true, "SPY": true, "MED": true, "EDU": true, "HLH": true, "OPP": true,
		"ELI": true}
	// cameoCollectiveTypes are sectors of society and movements: groups of people.
	cameoCollectiveTypes = map[string]bool{"AGR": true, "BUS": true, "CRM": true, "CVL": true,
		"DEV": true, "ENV": true, "HRI": true, "LAB": true, "REF": true, "MOD": true,
		"RAD": true, "SET": true, "NGM": true, "INT": true, "UIS": true}
)

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
