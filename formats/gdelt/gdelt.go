package gdelt

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-api/parley/models"
)

// DefaultCAMEO are the CAMEO root codes Decode keeps when Options.CAMEO
// is empty: 03 express intent to cooperate, 04 consult, 05 engage in diplomatic
// cooperation.
var DefaultCAMEO = []string{"03", "04", "05"}

// Options choose what the decoder keeps.
type Options struct {
	// CAMEO lists the CAMEO root codes or code prefixes (1 to 4 digits) of the rows to
	// keep; empty means DefaultCAMEO.
	CAMEO []string
}

// Record is one kept row, ready to be upserted by the importer. Every reference in
// Event (location, participants, sources) is by slug, to Location, Actors and Source.
type Record struct {
	// Line is the 1-based line number in the file (in the zip entry for a zip).
	Line int
	// Event is the event, with slug "gdelt-<GlobalEventID>".
	Event models.Event
	// Actors are the distinct actors the participants refer to, Actor1 first.
	Actors []models.Actor
	// Location is where the event happened (ActionGeo), or nil when GDELT has no place.
	Location *models.Location
	// Source is the article (SOURCEURL), or nil for 57-column rows and rows without one.
	Source *models.Source
	// GlobalEventID is GDELT's id of the event (GLOBALEVENTID).
	GlobalEventID string
}

// Skip is a row not kept, with why.
type Skip struct {
	// Line is the 1-based line number in the file.
	Line int
	// Reason says why, e.g. "cameo 190 not kept" or "bad SQLDATE \"20131341\"".
	Reason string
}

// gdeltMaxLine bounds the memory one line may take; GDELT lines are under 2 KiB.
const gdeltMaxLine = 1 << 20

// Decode reads a GDELT 1.0 (57 or 58 columns) or 2.0 (61 columns) event file,
// tab-separated, or a .zip holding one (detected by the first bytes "PK\x03\x04"), and
// calls keep for each kept row and skip for each skipped row, in file order. It streams:
// memory does not grow with the file. It stops at the first error returned by a callback
// (and returns that error as it is) or on a read error. Either callback may be nil.
//
// Files are tab-separated UTF-8 with no header and no quoting, one event per line;
// blank lines are ignored. The layout is told per row by its number of columns:
//
//	57  GDELT 1.0 historical backfile (before 2013-04-01): no SOURCEURL
//	58  GDELT 1.0 daily files (from 2013-04-01): SOURCEURL last
//	61  GDELT 2.0 15-minute exports: an ADM2Code in each geo block, DATEADDED as
//	    YYYYMMDDHHMMSS
//
// Any other count is skipped, as are lines longer than 1 MiB, rows whose EventCode does
// not start with one of opt.CAMEO, rows with neither actor, and rows with a malformed
// GLOBALEVENTID, EventCode, SQLDATE, DATEADDED, ActionGeo_Type, ActionGeo_Lat,
// ActionGeo_Long, QuadClass (1 to 4), GoldsteinScale (-10 to 10), AvgTone (-100 to 100),
// NumMentions, NumSources or NumArticles (whole numbers from 0); an empty measure is no
// value. The six measures are kept on the event (Event.Measures). A
// zip is copied to a temporary file first, because archive/zip needs random access,
// and its first file is read.
//
// Actor*CountryCode columns hold CAMEO country codes (ISO 3166-1 alpha-3 with a few
// CAMEO spellings; see CAMEOCountry), while the *Geo_CountryCode columns hold FIPS 10-4
// codes (UK, GM, RS, UP, CH…; see FIPSCountry). Both become ISO 3166-1 alpha-2; a code
// with no ISO counterpart (a region, an ocean) leaves the country empty.
//
// Everything a record refers to has a deterministic slug, so that importing the same
// row again, or the same actor or place from another file, updates rather than
// duplicates:
//
//	event     gdelt-<GLOBALEVENTID>
//	actor     gdelt-<CAMEO actor code>: gdelt-gbr, gdelt-usagov, gdelt-igouno (a code
//	          longer than 48 characters or not plain: cut, ending in 8 hex digits
//	          of a hash of it)
//	          gdelt-name-<name>: a row with a name and no code
//	location  gdelt-geo-gnis-<FeatureID>  US places (ActionGeo_Type 3): USGS GNIS ids
//	          gdelt-geo-gns-<FeatureID>   other places: NGA GNS ids ("n" for a minus)
//	          gdelt-geo-fips-<FeatureID>  country and ADM1 matches, whose FeatureID is
//	                                      the FIPS country or ADM1 code (GDELT 2.0)
//	          gdelt-geo-<name>            no FeatureID
//	source    gdelt-src-<16 hex digits of the SHA-256 of SOURCEURL>
//
// The FeatureID is stored in Location.ExternalIDs as "gnis", "gns" or "fips", never as
// "geonames": GDELT's ids are GNS and GNIS feature ids, and as GeoNames ids the same
// numbers name unrelated places. The source's outlet is the URL's host without "www.",
// its date the day of DATEADDED (the article is at most that old), with DateBasis
// "gdelt_dateadded" saying that this is not a publication date; a
// SOURCEURL that is not a URL (GDELT 2.0 writes "BBC Monitoring" for some) is the
// outlet, with no URL.
//
// The event's type, status and the roles of Actor1 and Actor2 follow the CAMEO code
// (its first three digits, else its first two) as described in the CAMEO code book:
//
//	CAMEO                                        type         Actor1       Actor2
//	01x make public statement, 02x appeal        statement    participant  participant
//	03x express intent to cooperate (030-035),   statement    participant  participant
//	    036 intent to meet or negotiate,
//	    037 settle, 038 accept mediation,
//	    039 mediate
//	040 consult, 04 alone                        meeting      participant  participant
//	041 discuss by telephone                     call         participant  participant
//	042 make a visit                             visit        participant  host
//	043 host a visit                             visit        host         participant
//	044 meet at a "third" location               meeting      participant  participant
//	045 engage in mediation                      negotiation  mediator     participant
//	046 engage in negotiation                    negotiation  participant  participant
//	050 diplomatic cooperation, 05 alone         other        participant  participant
//	051 praise or endorse, 052 defend verbally,  statement    participant  participant
//	    053 rally support, 054 grant diplomatic
//	    recognition, 055 apologize, 056 forgive
//	057 sign formal agreement                    agreement    participant  participant
//	10x demand, 11x disapprove, 12x reject,      statement    participant  participant
//	    13x threaten
//	06-09, 14-20 (material acts, force)          other        participant  participant
//
// The status is always held: a GDELT row records something reported as done. 036
// ("express intent to meet or negotiate") is therefore a statement, not a scheduled
// meeting: what happened on SQLDATE is the announcement; the meeting's own date is
// unknown and it may never take place, so a "scheduled meeting" dated to the
// announcement would mislead a timeline. Its summary says what was intended. When Actor1
// and Actor2 are the same actor (GDELT codes domestic events so), the event has one
// participant, with Actor1's role.
//
// The event's title is "<Actor1> – <Actor2>: <CAMEO description>", its summary a
// sentence such as "Britain made a visit to Russia.", naming the actors as the row does
// (Actor1Name, title-cased, else the CAMEO name), its date SQLDATE at day precision, its
// tags ["gdelt"].
//
// One actor per real-world actor: GDELT writes many names for one actor ("United
// Kingdom", "Britain", "Manchester" and "Leeds" are all GBR; USAGOV is "Barack Obama"
// and "White House"), so an actor is its CAMEO actor code (Actor1Code: country, then
// role codes), not its name. Its name comes from the CAMEO tables (the country list
// embedded beside this file, and cameoRoles for role codes): "GBR" → "United Kingdom",
// "GBRGOV" → "United Kingdom government", "INDCOP" → "India police", "IGOUNO" →
// "United Nations". The row's name, title-cased ("Britain", "Bank of England"), is an
// alias of that actor; ExternalIDs["cameo"] is the code. The kind follows the code
// (see describeCAMEOActor and the cameoRoles table):
//
//	state         a bare country code ("USA", "RUS"), or a withdrawn one ("YUG")
//	group         a bare CAMEO region ("AFR", "WST")
//	organization  a state institution first (GOV, MIL, COP, JUD, LEG, SPY), an IGO,
//	              NGO, MNC, business, education, media, health, religious body, party
//	              (PTY), peacekeepers, or a named organisation (UNO, NAT, EEC…)
//	group         armed non-state actors (REB, INS, SEP, UAF, IMG), sectors of society
//	              and movements (CVL, OPP, LAB, AGR, ELI, REF, CRM…), religions
//	organization  a role code the table does not know
//
// No code makes a person: GDELT codes a named person with their office, and a person
// is an editor's to create. A row with a name and no code (rare) gives an actor of its
// own, kind group, named as the row names it. Decode sees one row at a time: each
// record's actor carries that row's name alone as its alias, and the importer merges
// the aliases of one code across rows and files (cmd/parley, gdeltActorBook).
func Decode(r io.Reader, opt Options, keep func(Record) error, skip func(Skip) error) error {
	prefixes := opt.CAMEO
	if len(prefixes) == 0 {
		prefixes = DefaultCAMEO
	}
	for _, p := range prefixes {
		if len(p) == 0 || len(p) > 4 || !allDigits(p) {
			return fmt.Errorf("gdelt: cameo prefix %q: must be 1 to 4 digits, e.g. \"04\" or \"057\"", p)
		}
	}
	d := &gdeltDecoder{prefixes: prefixes, keep: keep, skip: skip}
	if d.keep == nil {
		d.keep = func(Record) error { return nil }
	}
	if d.skip == nil {
		d.skip = func(Skip) error { return nil }
	}
	br := bufio.NewReaderSize(r, 64<<10)
	// A zip starts with a local file header, or with the end of the central directory
	// when it holds nothing.
	if head, _ := br.Peek(4); bytes.Equal(head, []byte("PK\x03\x04")) || bytes.Equal(head, []byte("PK\x05\x06")) {
		return d.decodeZip(br)
	}
	return d.decode(br)
}

// gdeltDecoder holds one decoding run.
type gdeltDecoder struct {
	prefixes []string
	keep     func(Record) error
	skip     func(Skip) error

	// GDELT repeats itself: the same few thousand actors, one DATEADDED per file, a
	// few SQLDATEs. These memos save most of the per-row work; the actor memo is
	// emptied when it reaches gdeltActorMemo entries, so memory stays bounded.
	actors         map[string]*models.Actor
	sqlDate, added dayMemo
}

// gdeltActorMemo bounds the actor memo.
const gdeltActorMemo = 4096

// dayMemo remembers the last date text parsed and its result.
type dayMemo struct {
	text string
	date models.Date
	ok   bool
}

// parse parses s with fn unless s is the text parsed last.
func (m *dayMemo) parse(s string, fn func(string) (models.Date, bool)) (models.Date, bool) {
	if s != m.text || m.text == "" {
		m.date, m.ok = fn(s)
		m.text = strings.Clone(s) // not a slice of the line, which would stay in memory
	}
	return m.date, m.ok
}

// actor is gdeltActor through the memo. Each call returns a new actor, so callers may
// change what they get.
func (d *gdeltDecoder) actor(f []string, c gdeltActorCols) *models.Actor {
	key := f[c.code] + "\t" + f[c.name]
	if f[c.code] == "" {
		key += "\t" + f[c.country] // a name-only actor takes its country from the row
	}
	a, ok := d.actors[key]
	if !ok {
		a = gdeltActor(f, c)
		if d.actors == nil || len(d.actors) >= gdeltActorMemo {
			d.actors = make(map[string]*models.Actor, gdeltActorMemo)
		}
		d.actors[key] = a
	}
	if a == nil {
		return nil
	}
	cp := *a
	cp.Aliases = slices.Clone(a.Aliases)
	cp.ExternalIDs = make(models.StringMap, len(a.ExternalIDs))
	maps.Copy(cp.ExternalIDs, a.ExternalIDs)
	return &cp
}

// decodeZip spools the archive to a temporary file and decodes its first file.
func (d *gdeltDecoder) decodeZip(r io.Reader) error {
	f, err := os.CreateTemp("", "parley-gdelt-*.zip")
	if err != nil {
		return fmt.Errorf("gdelt: zip: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := io.Copy(f, r)
	if err != nil {
		return fmt.Errorf("gdelt: read: %w", err)
	}
	zr, err := zip.NewReader(f, n)
	if err != nil {
		return fmt.Errorf("gdelt: zip: %w", err)
	}
	for _, e := range zr.File {
		if e.FileInfo().IsDir() {
			continue
		}
		rc, err := e.Open()
		if err != nil {
			return fmt.Errorf("gdelt: zip entry %q: %w", e.Name, err)
		}
		defer rc.Close()
		return d.decode(bufio.NewReaderSize(rc, 64<<10))
	}
	return errors.New("gdelt: zip: the archive holds no file")
}

// decode reads lines and hands each row to keep or skip. Lines are split on tabs by
// hand rather than with encoding/csv: GDELT does not quote, and csv would take a field
// that starts with a double quote as the start of a quoted field running over the
// following lines (LazyQuotes included), merging rows.
func (d *gdeltDecoder) decode(br *bufio.Reader) error {
	var (
		buf    []byte
		fields []string
	)
	for line := 1; ; line++ {
		var tooLong bool
		var err error
		buf, tooLong, err = readLine(br, buf[:0])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("gdelt: line %d: read: %w", line, err)
		}
		if tooLong {
			if err := d.skip(Skip{Line: line, Reason: fmt.Sprintf("line longer than %d bytes", gdeltMaxLine)}); err != nil {
				return err
			}
			continue
		}
		b := bytes.TrimRight(buf, "\r\n")
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		fields = splitTabs(string(b), fields[:0])
		rec, reason := d.row(fields)
		if reason != "" {
			if err := d.skip(Skip{Line: line, Reason: reason}); err != nil {
				return err
			}
			continue
		}
		rec.Line = line
		if err := d.keep(rec); err != nil {
			return err
		}
	}
}

// readLine appends the next line (with its newline) to buf. A line longer than
// gdeltMaxLine is read to its end but not kept: tooLong is set instead. io.EOF comes
// only when nothing is left.
func readLine(br *bufio.Reader, buf []byte) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > gdeltMaxLine {
				tooLong, buf = true, buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if len(buf) == 0 && !tooLong {
				return buf, false, io.EOF
			}
			return buf, tooLong, nil
		case err != nil:
			return buf, false, err
		}
		return buf, tooLong, nil
	}
}

// splitTabs splits s on tabs into fields, reusing its storage.
func splitTabs(s string, fields []string) []string {
	for {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			return append(fields, s)
		}
		fields = append(fields, s[:i])
		s = s[i+1:]
	}
}

// The column layouts, by name as in the GDELT codebooks.
var (
	gdeltV1Columns = func() []string {
		cols := []string{"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"}
		for _, a := range []string{"Actor1", "Actor2"} {
			for _, c := range []string{"Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
				"Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code"} {
				cols = append(cols, a+c)
			}
		}
		cols = append(cols, "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
			"GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
		for _, g := range []string{"Actor1Geo_", "Actor2Geo_", "ActionGeo_"} {
			for _, c := range []string{"Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"} {
				cols = append(cols, g+c)
			}
		}
		return append(cols, "DATEADDED", "SOURCEURL")
	}()
	gdeltV2Columns = func() []string {
		var cols []string
		for _, c := range gdeltV1Columns {
			cols = append(cols, c)
			if strings.HasSuffix(c, "Geo_ADM1Code") {
				cols = append(cols, strings.TrimSuffix(c, "ADM1Code")+"ADM2Code")
			}
		}
		return cols
	}()
)

// gdeltActorCols are the column indexes of one actor. The type, known-group, ethnic and
// religion columns are not read: the actor code holds them (see describeCAMEOActor).
type gdeltActorCols struct {
	code, name, country int
}

// gdeltLayout are the column indexes the decoder reads, for one layout.
type gdeltLayout struct {
	id, sqlDate, eventCode, dateAdded, sourceURL                       int
	quadClass, goldstein, mentions, sources, articles, tone            int
	actors                                                             [2]gdeltActorCols
	geoType, geoName, geoCountry, geoADM1, geoLat, geoLong, geoFeature int
}

// newGDELTLayout indexes cols, the first n of which the rows have.
func newGDELTLayout(cols []string, n int) *gdeltLayout {
	cols = cols[:n]
	at := func(name string) int {
		for i, c := range cols {
			if c == name {
				return i
			}
		}
		return -1
	}
	l := &gdeltLayout{
		id: at("GLOBALEVENTID"), sqlDate: at("SQLDATE"), eventCode: at("EventCode"),
		dateAdded: at("DATEADDED"), sourceURL: at("SOURCEURL"),
		quadClass: at("QuadClass"), goldstein: at("GoldsteinScale"), mentions: at("NumMentions"),
		sources: at("NumSources"), articles: at("NumArticles"), tone: at("AvgTone"),
		geoType: at("ActionGeo_Type"), geoName: at("ActionGeo_FullName"),
		geoCountry: at("ActionGeo_CountryCode"), geoADM1: at("ActionGeo_ADM1Code"),
		geoLat: at("ActionGeo_Lat"), geoLong: at("ActionGeo_Long"), geoFeature: at("ActionGeo_FeatureID"),
	}
	for i, a := range []string{"Actor1", "Actor2"} {
		l.actors[i] = gdeltActorCols{code: at(a + "Code"), name: at(a + "Name"), country: at(a + "CountryCode")}
	}
	return l
}

// gdeltLayouts maps a column count to its layout.
var gdeltLayouts = map[int]*gdeltLayout{
	57: newGDELTLayout(gdeltV1Columns, 57),
	58: newGDELTLayout(gdeltV1Columns, 58),
	61: newGDELTLayout(gdeltV2Columns, 61),
}

// row turns one row into a record, or says why not.
func (d *gdeltDecoder) row(f []string) (Record, string) {
	l := gdeltLayouts[len(f)]
	if l == nil {
		return Record{}, fmt.Sprintf("%d columns (want 57 or 58 for GDELT 1.0, 61 for GDELT 2.0)", len(f))
	}
	id := strings.TrimSpace(f[l.id])
	if id == "" || len(id) > 19 || !allDigits(id) {
		return Record{}, "bad GLOBALEVENTID " + quote(id)
	}
	code := strings.TrimSpace(f[l.eventCode])
	if len(code) < 2 || len(code) > 4 || !allDigits(code) {
		return Record{}, "bad EventCode " + quote(code)
	}
	if !d.kept(code) {
		return Record{}, "cameo " + code + " not kept"
	}
	a1, a2 := d.actor(f, l.actors[0]), d.actor(f, l.actors[1])
	if a1 == nil && a2 == nil {
		return Record{}, "no actors (Actor1 and Actor2 are both empty)"
	}
	date, ok := d.sqlDate.parse(f[l.sqlDate], gdeltDay)
	if !ok {
		return Record{}, "bad SQLDATE " + quote(f[l.sqlDate])
	}
	added, ok := d.added.parse(f[l.dateAdded], gdeltAdded)
	if !ok {
		return Record{}, "bad DATEADDED " + quote(f[l.dateAdded])
	}
	measures, reason := gdeltMeasures(f, l)
	if reason != "" {
		return Record{}, reason
	}
	loc, reason := gdeltLocation(f, l)
	if reason != "" {
		return Record{}, reason
	}
	var src *models.Source
	if l.sourceURL >= 0 {
		src = gdeltSource(f[l.sourceURL], added)
	}

	typ, status, roles := gdeltEventType(code)
	ev := models.Event{
		Slug:         "gdelt-" + id,
		Type:         typ,
		CAMEO:        code,
		Status:       status,
		Date:         date,
		Tags:         []string{"gdelt"},
		Participants: []models.Participant{},
		Sources:      []*models.Ref{},
		Measures:     measures,
	}
	rec := Record{GlobalEventID: id, Location: loc, Source: src}
	// Titles and summaries name the actors as the row does ("Britain"), falling back
	// to the CAMEO name: what the article said, while the participant is the code's actor.
	subject, target := "An unidentified actor", ""
	names := make([]string, 0, 2)
	for i, a := range []*models.Actor{a1, a2} {
		if a == nil {
			continue
		}
		n := rowName(a)
		if i == 0 {
			subject = n
		} else {
			target = n
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if a1 != nil && a2 != nil && a1.Slug == a2.Slug {
		a2 = nil
	}
	for i, a := range []*models.Actor{a1, a2} {
		if a == nil {
			continue
		}
		ev.Participants = append(ev.Participants, models.Participant{
			Actor: models.Ref{Slug: a.Slug}, Role: roles[i], Position: len(ev.Participants),
		})
		rec.Actors = append(rec.Actors, *a)
	}
	desc := CAMEODescription(code)
	if desc == "" {
		desc = "CAMEO " + code
	}
	ev.Title = strings.Join(names, " – ") + ": " + desc
	ev.Summary = subject + " " + verbPhrase(code, target) + "."
	if loc != nil {
		ev.Location = models.RefBySlug(loc.Slug)
	}
	if src != nil {
		ev.Sources = append(ev.Sources, models.RefBySlug(src.Slug))
	}
	rec.Event = ev
	return rec, ""
}

// rowName is the name the row gave an actor: its alias from this row, else its name.
func rowName(a *models.Actor) string {
	if len(a.Aliases) > 0 {
		return a.Aliases[0]
	}
	return a.Name
}

// kept reports whether code starts with one of the chosen prefixes.
func (d *gdeltDecoder) kept(code string) bool {
	for _, p := range d.prefixes {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// gdeltEventType maps a CAMEO code to parley's type, status and the roles of Actor1
// and Actor2 (see the table in Decode's documentation).
func gdeltEventType(code string) (models.EventType, models.EventStatus, [2]models.Role) {
	p := [2]models.Role{models.RoleParticipant, models.RoleParticipant}
	base := code
	if len(base) > 3 {
		base = base[:3]
	}
	switch base {
	case "04", "040", "044":
		return models.EventMeeting, models.StatusHeld, p
	case "041":
		return models.EventCall, models.StatusHeld, p
	case "042":
		return models.EventVisit, models.StatusHeld, [2]models.Role{models.RoleParticipant, models.RoleHost}
	case "043":
		return models.EventVisit, models.StatusHeld, [2]models.Role{models.RoleHost, models.RoleParticipant}
	case "045":
		return models.EventNegotiation, models.StatusHeld, [2]models.Role{models.RoleMediator, models.RoleParticipant}
	case "046":
		return models.EventNegotiation, models.StatusHeld, p
	case "051", "052", "053", "054", "055", "056":
		return models.EventStatement, models.StatusHeld, p
	case "057":
		return models.EventAgreement, models.StatusHeld, p
	}
	switch code[:2] {
	case "01", "02", "03", "10", "11", "12", "13":
		return models.EventStatement, models.StatusHeld, p
	}
	return models.EventOther, models.StatusHeld, p
}

// gdeltActor builds the actor in columns c, or nil when the row has none there. The
// actor is the one of the CAMEO actor code (one actor per code, see Decode); the row's
// name, title-cased, is its alias. A row with a name and no code gives an actor of its
// own for that name.
func gdeltActor(f []string, c gdeltActorCols) *models.Actor {
	code, raw := truncateUTF8(cleanText(f[c.code]), 60), cleanText(f[c.name])
	if code == "" && raw == "" {
		return nil
	}
	alias := ""
	if raw != "" {
		alias = truncateUTF8(titleCase(raw, looksLikePerson(raw)), models.MaxNameLen)
	}
	a := &models.Actor{Aliases: models.StringList{}, ExternalIDs: models.StringMap{}}
	switch d, ok := describeCAMEOActor(strings.ToUpper(code)); {
	case code != "" && ok:
		a.Slug, a.Name, a.Kind, a.Country = gdeltCodeSlug(code), d.name, d.kind, d.country
		a.ExternalIDs["cameo"] = strings.Clone(code)
	case code != "":
		// Not made of CAMEO segments: the code is all there is to name it by.
		a.Slug, a.Name, a.Kind = gdeltCodeSlug(code), code, models.ActorOrganization
		a.ExternalIDs["cameo"] = strings.Clone(code)
	default:
		a.Slug, a.Name, a.Kind = gdeltActorSlug("", raw), alias, models.ActorGroup
		a.Slug = "gdelt-name-" + strings.TrimPrefix(a.Slug, "gdelt-")
		a.Country = CAMEOCountry(strings.TrimSpace(f[c.country]))
	}
	if alias != "" && !strings.EqualFold(alias, a.Name) {
		a.Aliases = append(a.Aliases, alias)
	}
	return a
}

// gdeltCodeSlug is the slug of the actor of a CAMEO actor code: "gdelt-" and the code
// in lower case ("gdelt-gbrgov"), with a hash when the code is long or not plain.
func gdeltCodeSlug(code string) string {
	if len(code) <= 48 && isAlnum(code) {
		return "gdelt-" + strings.ToLower(code)
	}
	return gdeltActorSlug(code, "")
}

// gdeltActorSlug derives an actor's slug from its CAMEO code and name.
func gdeltActorSlug(code, name string) string {
	parts := []string{"gdelt"}
	for _, s := range []string{slugify(code), slugify(name)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	slug := strings.Join(parts, "-")
	if len(parts) == 1 || len(slug) > 64 {
		// Nothing usable (a name in another script) or too long: a hash keeps it unique.
		h := shortHash(code + "\x00" + name)
		if len(slug) > 55 {
			slug = slug[:55]
			if i := strings.LastIndexByte(slug, '-'); i > len("gdelt") {
				slug = slug[:i]
			}
		}
		slug += "-" + h
	}
	return slug
}

// slugify is models.Slugify with a fast path for ASCII, which is nearly every GDELT
// name: models.Slugify's Unicode folding allocates a transformer chain per call, which
// would make it the decoder's main cost. For ASCII input both give the same slug.
func slugify(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return models.Slugify(s)
		}
	}
	b := make([]byte, 0, len(s))
	dash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b, dash = append(b, c), false
		case c >= 'A' && c <= 'Z':
			b, dash = append(b, c+'a'-'A'), false
		case c == '\'':
		default:
			if !dash && len(b) > 0 {
				b, dash = append(b, '-'), true
			}
		}
	}
	out := strings.Trim(string(b), "-")
	if len(out) > models.MaxSlugLen-6 {
		return models.Slugify(s) // rare: let models cut it at a word boundary
	}
	return out
}

// cameoSegments splits an actor code into its 3-letter CAMEO segments ("USAGOV" →
// "USA", "GOV"); nil when the code is not made of them.
func cameoSegments(code string) []string {
	if len(code) == 0 || len(code)%3 != 0 || !isAlnum(code) {
		return nil
	}
	var segs []string
	for i := 0; i < len(code); i += 3 {
		segs = append(segs, code[i:i+3])
	}
	return segs
}

// personStopWords are words that a personal name in GDELT never contains: institutions,
// titles, collectives, compass and place words, and joining words.
var personStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		GOVERNMENT GOVERNMENTS MINISTRY MINISTER MINISTERS PARLIAMENT CONGRESS SENATE COUNCIL
		COMMISSION COMMITTEE COURT COURTS ARMY NAVY FORCE FORCES MILITARY POLICE PARTY UNION
		ASSOCIATION ORGANIZATION ORGANISATION AGENCY BANK COMPANY COMPANIES CORPORATION GROUP
		HOUSE OFFICE DEPARTMENT UNIVERSITY SCHOOL COLLEGE HOSPITAL NATIONS NATIONAL STATE
		STATES REPUBLIC KINGDOM EMIRATES ISLAND ISLANDS CITY AUTHORITY AUTHORITIES ADMINISTRATION
		EMBASSY CONSULATE MISSION CABINET OPPOSITION REBEL REBELS INSURGENT INSURGENTS MILITANT
		MILITANTS PROTESTER PROTESTERS REGIME SECURITY INTELLIGENCE SERVICE SERVICES GUARD
		GUARDS TROOPS SOLDIERS OFFICIAL OFFICIALS LEADER LEADERS LEADERSHIP PRESIDENT
		PRESIDENCY PRIME SECRETARY SPOKESMAN SPOKESWOMAN SPOKESPERSON AMBASSADOR ENVOY DIPLOMAT
		DIPLOMATS GENERAL COMMANDER KING QUEEN PRINCE CHANCELLOR GOVERNOR MAYOR SENATOR
		LAWMAKER LAWMAKERS JUDGE PROSECUTOR COUNTRY PEOPLE CITIZENS RESIDENTS STUDENTS WORKERS
		FARMERS MEDIA NEWS TIMES PRESS TELEVISION RADIO NEWSPAPER NORTH SOUTH EAST WEST
		NORTHERN SOUTHERN EASTERN WESTERN CENTRAL NEW SAINT ST SAN SANTA PORT FORT LAKE RIVER
		SEA GULF MOUNT VALLEY HILL PALACE STREET SQUARE STRIP BANK UNITED ISLAMIC DEMOCRATIC
		PEOPLES FEDERAL FEDERATION ASSEMBLY BOARD FOUNDATION INSTITUTE CENTER CENTRE FRONT
		MOVEMENT BRIGADE BRIGADES ARMED COALITION ALLIANCE LEAGUE FUND PROGRAM PROGRAMME
		DIVISION BUREAU CORPS WHITE AFRICAN AMERICAN EUROPEAN ASIAN ARAB MUSLIM CHRISTIAN
		JEWISH CATHOLIC CHURCH MOSQUE COMMUNITY SOCIETY INTERNATIONAL WORLD GLOBAL REGIONAL
		AND OF THE FOR IN ON AT TO`) {
		m[w] = true
	}
	return m
}()

// placeNames are two- and three-word places and groups that would pass as personal
// names.
var placeNames = map[string]bool{
	"ABU DHABI": true, "TEL AVIV": true, "KUALA LUMPUR": true, "BUENOS AIRES": true,
	"ADDIS ABABA": true, "PHNOM PENH": true, "HONG KONG": true, "SRI LANKA": true,
	"SAUDI ARABIA": true, "COSTA RICA": true, "PUERTO RICO": true, "EL SALVADOR": true,
	"BURKINA FASO": true, "SIERRA LEONE": true, "LOS ANGELES": true, "SAO PAULO": true,
	"RIO DE JANEIRO": true, "DAR ES SALAAM": true, "AL QAEDA": true, "BOKO HARAM": true,
	"AL SHABAAB": true, "COTE D'IVOIRE": true, "GUINEA BISSAU": true, "CAPE VERDE": true,
	"SAN MARINO": true, "BOSNIA HERZEGOVINA": true, "LATIN AMERICA": true, "MIDDLE EAST": true,
	"EL PASO": true, "LAS VEGAS": true, "HO CHI MINH CITY": true, "ABU GHRAIB": true,
	"ABU DHABI CROWN PRINCE": true, "SHARM EL SHEIKH": true, "DEAD SEA": true, "BIG BEN": true,
}

// looksLikePerson reports whether a GDELT actor name (upper case) reads like a personal
// name: 2 to 4 words of letters, none of them a stop word.
func looksLikePerson(name string) bool {
	up := strings.ToUpper(name)
	words := strings.Fields(up)
	if len(words) < 2 || len(words) > 4 || placeNames[strings.Join(words, " ")] {
		return false
	}
	for _, w := range words {
		if personStopWords[w] {
			return false
		}
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '.' {
				return false
			}
		}
	}
	return true
}

// acronyms stay upper case in names.
var acronyms = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`UN NATO EU US USA UK UAE IMF WTO OPEC ASEAN AU ICC IAEA
		UNICEF UNHCR UNESCO UNDP UNSC OSCE FBI CIA KGB FSB BBC CNN ISIS ISIL PLO ANC IRA FARC
		PKK NGO OAS ECOWAS SADC IGAD OIC BRICS APEC OECD WFP DPRK PRC ROK DRC MSF ICRC IOM NSA
		II III IV VI VII VIII IX XI XII XIII XIV XV XVI`) {
		m[w] = true
	}
	return m
}()

// lowerWords stay lower case inside names.
var lowerWords = map[string]bool{"of": true, "the": true, "and": true, "for": true, "in": true,
	"on": true, "at": true, "to": true, "de": true, "du": true, "des": true, "da": true,
	"dos": true, "del": true, "la": true, "le": true, "von": true, "van": true, "der": true}

// titleCase turns GDELT's upper-case names into display case: "UNITED STATES" →
// "United States", "BASHAR AL-ASSAD" → "Bashar Al-Assad", "BANK OF ENGLAND" → "Bank of
// England", "NATO" stays. Acronyms are not applied to persons ("KIM JONG UN").
func titleCase(name string, person bool) string {
	words := strings.Fields(name)
	for i, w := range words {
		up := strings.ToUpper(w)
		lo := strings.ToLower(w)
		switch {
		case !person && acronyms[strings.Trim(up, ".,;:()")]:
			words[i] = up
		case !person && len(w) > 1 && !strings.ContainsAny(up, "AEIOUY") && isASCIILetters(w):
			words[i] = up // BBC, CNN: no vowel, so not a word
		case i > 0 && lowerWords[lo]:
			words[i] = lo
		default:
			words[i] = capitalize(lo)
		}
	}
	return strings.Join(words, " ")
}

// capitalize upper-cases the first letter of w and of each part after a hyphen, and
// the letter after an apostrophe that follows one letter ("o'brien" → "O'Brien").
func capitalize(w string) string {
	rs := []rune(w)
	up := true
	for i, r := range rs {
		if up && unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
			up = false
		}
		switch {
		case r == '-' || r == '(' || r == '/':
			up = true
		case r == '\'' && i == 1:
			up = true
		}
	}
	return string(rs)
}

// isASCIILetters reports whether s is made of ASCII letters only.
func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// gdeltLocation builds the event's location from the ActionGeo columns: nil when GDELT
// has no place (type 0 or no name); a reason when a number is malformed.
func gdeltLocation(f []string, l *gdeltLayout) (*models.Location, string) {
	typ := 0
	if s := strings.TrimSpace(f[l.geoType]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 5 {
			return nil, "bad ActionGeo_Type " + quote(s)
		}
		typ = n
	}
	lat, ok := parseCoord(f[l.geoLat], 90)
	if !ok {
		return nil, "bad ActionGeo_Lat " + quote(f[l.geoLat])
	}
	long, ok := parseCoord(f[l.geoLong], 180)
	if !ok {
		return nil, "bad ActionGeo_Long " + quote(f[l.geoLong])
	}
	name := cleanText(f[l.geoName])
	if typ == 0 || name == "" {
		return nil, ""
	}
	if len(name) > models.MaxNameLen {
		name = truncateUTF8(name, models.MaxNameLen)
	}
	fips := strings.TrimSpace(f[l.geoCountry])
	adm1 := strings.TrimSpace(f[l.geoADM1])
	feature := cleanText(f[l.geoFeature])
	loc := &models.Location{
		Name:        name,
		Country:     FIPSCountry(fips),
		AdminArea:   adminArea(typ, name),
		ExternalIDs: models.StringMap{},
	}
	if lat != nil && long != nil {
		loc.Latitude, loc.Longitude = lat, long
	}
	switch {
	case isFeatureNumber(feature):
		key := "gns"
		if typ == 3 { // a US city: GDELT uses USGS GNIS ids there
			key = "gnis"
		}
		loc.ExternalIDs[key] = feature
		loc.Slug = "gdelt-geo-" + key + "-" + strings.Replace(feature, "-", "n", 1)
	case feature != "" && len(feature) <= 16 && (feature == fips || feature == adm1) && isAlnum(feature):
		loc.ExternalIDs["fips"] = feature
		loc.Slug = "gdelt-geo-fips-" + strings.ToLower(feature)
	case feature != "" && len(feature) <= 40 && slugify(feature) != "":
		loc.Slug = "gdelt-geo-id-" + slugify(feature)
	default:
		s := slugify(name)
		if s == "" || len(s) > 60 {
			if len(s) > 50 {
				s = strings.TrimRight(s[:50], "-")
			}
			s = strings.TrimPrefix(s+"-"+shortHash(name), "-")
		}
		loc.Slug = "gdelt-geo-" + s
	}
	return loc, ""
}

// adminArea takes the first-level division out of GDELT's full name: the name itself
// for a US state or world ADM1 (types 2 and 5: "Texas, United States"), the middle
// part for a city (types 3 and 4: "Washington, District of Columbia, United States").
func adminArea(typ int, name string) string {
	switch typ {
	case 2, 5:
		if first, _, ok := strings.Cut(name, ", "); ok {
			return first
		}
	case 3, 4:
		rest := name
		if i := strings.LastIndex(rest, ", "); i >= 0 {
			rest = rest[:i] // without the country
			if j := strings.LastIndex(rest, ", "); j >= 0 {
				return rest[j+2:]
			}
		}
	}
	return ""
}

// parseCoord parses a latitude, longitude or measure; "" is no value; ok is false when the text
// is not a number within ±limit.
func parseCoord(s string, limit float64) (*float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.Abs(v) > limit {
		return nil, false
	}
	return &v, true
}

// gdeltSource builds the source from SOURCEURL: an http(s) URL gives its host as the
// outlet; anything else (GDELT 2.0 writes a citation such as "BBC Monitoring" for
// non-web sources) is the outlet itself, without URL.
func gdeltSource(raw string, published models.Date) *models.Source {
	raw = cleanText(raw)
	if raw == "" {
		return nil
	}
	s := &models.Source{Slug: "gdelt-src-" + hashHex(raw)[:16], Published: published,
		DateBasis: models.DateBasisGDELTAdded}
	if u, err := url.Parse(raw); err == nil && (u.Scheme == "http" || u.Scheme == "https") &&
		u.Hostname() != "" && len(raw) <= 2048 && !strings.ContainsAny(raw, " \t") {
		s.URL = raw
		host := strings.ToLower(u.Hostname())
		if s.Outlet = strings.TrimPrefix(host, "www."); s.Outlet == "" {
			s.Outlet = host // the host is "www." itself
		}
		return s
	}
	if len(raw) > models.MaxNameLen || strings.Contains(raw, "://") {
		return nil // a broken URL is no outlet name
	}
	s.Outlet = raw
	return s
}

// gdeltMeasures reads the event's GDELT numbers: QuadClass (1 to 4), GoldsteinScale
// (-10 to 10), AvgTone (-100 to 100) and the three counts (0 and up). An empty column is
// no value; a malformed or out-of-range one is a reason to skip the row.
func gdeltMeasures(f []string, l *gdeltLayout) (models.EventMeasures, string) {
	var m models.EventMeasures
	count := func(col int, max int) (*int, bool) {
		s := strings.TrimSpace(f[col])
		if s == "" {
			return nil, true
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > max {
			return nil, false
		}
		return &n, true
	}
	var ok bool
	if m.QuadClass, ok = count(l.quadClass, models.MaxQuadClass); !ok || m.QuadClass != nil && *m.QuadClass == 0 {
		return m, "bad QuadClass " + quote(f[l.quadClass])
	}
	if m.Goldstein, ok = parseCoord(f[l.goldstein], models.MaxGoldstein); !ok {
		return m, "bad GoldsteinScale " + quote(f[l.goldstein])
	}
	if m.AvgTone, ok = parseCoord(f[l.tone], models.MaxAvgTone); !ok {
		return m, "bad AvgTone " + quote(f[l.tone])
	}
	if m.NumMentions, ok = count(l.mentions, models.MaxMeasureCount); !ok {
		return m, "bad NumMentions " + quote(f[l.mentions])
	}
	if m.NumSources, ok = count(l.sources, models.MaxMeasureCount); !ok {
		return m, "bad NumSources " + quote(f[l.sources])
	}
	if m.NumArticles, ok = count(l.articles, models.MaxMeasureCount); !ok {
		return m, "bad NumArticles " + quote(f[l.articles])
	}
	return m, ""
}

// gdeltDay parses SQLDATE (YYYYMMDD) as a day.
func gdeltDay(s string) (models.Date, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 8 || !allDigits(s) {
		return models.Date{}, false
	}
	d, err := models.ParseDate(s[:4] + "-" + s[4:6] + "-" + s[6:])
	return d, err == nil
}

// gdeltAdded parses DATEADDED, YYYYMMDD (GDELT 1.0) or YYYYMMDDHHMMSS (2.0), as a day.
func gdeltAdded(s string) (models.Date, bool) {
	s = strings.TrimSpace(s)
	switch len(s) {
	case 8:
		return gdeltDay(s)
	case 14:
		if !allDigits(s) {
			return models.Date{}, false
		}
		if _, err := models.ParseDate(s[:4] + "-" + s[4:6] + "-" + s[6:8] + "T" + s[8:10] + ":" +
			s[10:12] + ":" + s[12:] + "Z"); err != nil {
			return models.Date{}, false
		}
		return gdeltDay(s[:8])
	}
	return models.Date{}, false
}

// cleanText makes a field safe for a name: valid UTF-8, no control characters, trimmed.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// quote quotes a field for a skip reason, cut to keep reasons short.
func quote(s string) string {
	if len(s) > 40 {
		s = truncateUTF8(s, 40) + "…"
	}
	return strconv.Quote(s)
}

// hashHex is the SHA-256 of s in hex.
func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// shortHash is 8 hex digits of the SHA-256 of s.
func shortHash(s string) string { return hashHex(s)[:8] }

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isAlnum reports whether s is made of ASCII letters and digits only.
func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// isFeatureNumber reports whether a FeatureID is a GNS or GNIS number (GNS ids may be
// negative).
func isFeatureNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && len(s) <= 15 && allDigits(s)
}
