package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Precision says how much of a date the source states, so that "August 2025" is never
// mistaken for "1 August 2025".
type Precision string

// The precisions, coarsest first. A date covers the whole period of its precision.
const (
	PrecisionYear   Precision = "year"
	PrecisionMonth  Precision = "month"
	PrecisionDay    Precision = "day"
	PrecisionMinute Precision = "minute"
	PrecisionSecond Precision = "second"
)

// precisionRank orders precisions from coarse to fine so an interval can take the
// coarser of its two ends.
var precisionRank = map[Precision]int{
	PrecisionYear:   1,
	PrecisionMonth:  2,
	PrecisionDay:    3,
	PrecisionMinute: 4,
	PrecisionSecond: 5,
}

// Rank orders precisions from coarse (1, year) to fine (5, second); 0 is no precision.
// Encoders compare with it ("minute or finer") rather than listing precisions.
func (p Precision) Rank() int { return precisionRank[p] }

// Date is a stated date or interval: EDTF text plus the half-open UTC interval
// [Start, End) it covers. The text is kept exactly as given so that what a source said
// is never rewritten; Start and End exist so the database can range-query it.
type Date struct {
	EDTF        string    `gorm:"column:edtf;not null"`
	Start       time.Time `gorm:"column:start;not null"`
	End         time.Time `gorm:"column:end;not null"`
	Precision   Precision `gorm:"column:precision;not null"`
	Approximate bool      `gorm:"column:approximate;not null"`
	Uncertain   bool      `gorm:"column:uncertain;not null"`
}

// maxDateLen bounds the input: the longest accepted text is an interval of two
// qualified date-times with offsets (53 bytes). Longer input is rejected without
// echoing it back.
const maxDateLen = 64

// dateForms lists the accepted single forms, for error messages.
const dateForms = "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]"

// ParseDate parses the EDTF subset parley stores: a year, month, day, minute or second,
// optionally qualified with ? (uncertain), ~ (approximate) or % (both), or an interval
// A/B of two of those. Errors are plain, lower-case and safe to show to API users.
func ParseDate(s string) (Date, error) {
	p, err := parse(s)
	return p.Date, err
}

// parsedDate is a date text read once: the Date and the ends it was built from.
type parsedDate struct {
	Date
	first, last DatePoint
	interval    bool
}

// parse is ParseDate keeping the ends, for Ends. On error it returns the zero value.
func parse(s string) (parsedDate, error) {
	if len(s) > maxDateLen {
		return parsedDate{}, fmt.Errorf("invalid date: longer than %d characters", maxDateLen)
	}
	p, reason := parseDate(s)
	if reason == "" && (p.Start.Before(minInstant) || p.End.After(maxInstant)) {
		reason = "must lie between the years 0001 and 9998 (UTC)"
	}
	if reason != "" {
		return parsedDate{}, fmt.Errorf("invalid date %q: %s", s, reason)
	}
	return p, nil
}

// The instants every stored interval lies within. Both databases then store them as
// four-digit years, which keeps SQLite's textual timestamps sortable.
var (
	minInstant = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
)

// MustParseDate is ParseDate for literals in tests and seed data, where a bad date is a
// programming error.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String returns the EDTF text, which is what a date is displayed and stored as.
func (d Date) String() string { return d.EDTF }

// IsZero reports whether d is unset (the zero Date), so optional dates can be told
// from stated ones. A stated date always has its EDTF text, which is what tells them
// apart: its Start alone cannot, as year 0001 starts at Go's zero time.
func (d Date) IsZero() bool {
	return d.EDTF == "" && d.Start.IsZero() && d.End.IsZero() && d.Precision == "" &&
		!d.Approximate && !d.Uncertain
}

// Overlaps reports whether the two covered intervals share any instant. It is the
// search predicate: an event dated "2025-08" is found by a query for "2025-08-15".
func (d Date) Overlaps(o Date) bool {
	return d.Start.Before(o.End) && o.Start.Before(d.End)
}

// DateJSON is the object form of a Date, exported so the API documentation can show it;
// start, end and the rest are derived from edtf and only informative. Requests may send
// the EDTF string alone.
type DateJSON struct {
	EDTF        string    `json:"edtf" example:"2026-01-23"`
	Start       string    `json:"start" example:"2026-01-23T00:00:00Z"`
	End         string    `json:"end" example:"2026-01-24T00:00:00Z"`
	Precision   Precision `json:"precision" enums:"year,month,day,minute,second" example:"day"`
	Approximate bool      `json:"approximate"`
	Uncertain   bool      `json:"uncertain"`
}

// formatDateTime renders an instant as RFC 3339 in UTC. Years outside 0000-9999 (the end
// of year 9999, or year 0000 shifted by an offset) come out in Go's extended form.
func formatDateTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// MarshalJSON writes the object form so clients get the covered interval without
// parsing EDTF themselves. A zero Date is null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(DateJSON{
		EDTF:        d.EDTF,
		Start:       formatDateTime(d.Start),
		End:         formatDateTime(d.End),
		Precision:   d.Precision,
		Approximate: d.Approximate,
		Uncertain:   d.Uncertain,
	})
}

// UnmarshalJSON accepts an EDTF string or the object MarshalJSON writes, so a client can
// send back what it read. Only edtf is authoritative: the other members are optional
// and must agree with it. Unknown, duplicate or case-variant members are rejected.
// As with encoding/json's own types, null is a no-op.
func (d *Date) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("invalid date: malformed json")
	}
	var out Date
	switch t := tok.(type) {
	case nil:
		if err := dateJSONEnd(dec); err != nil {
			return err
		}
		return nil
	case string:
		if out, err = ParseDate(t); err != nil {
			return err
		}
	case json.Delim:
		if t != '{' {
			return errors.New("invalid date: must be an edtf string or an object")
		}
		if out, err = decodeDateObject(dec); err != nil {
			return err
		}
	default:
		return errors.New("invalid date: must be an edtf string or an object")
	}
	if err := dateJSONEnd(dec); err != nil {
		return err
	}
	*d = out
	return nil
}

// dateJSONEnd rejects anything after the value, for callers that pass raw bytes.
func dateJSONEnd(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("invalid date: unexpected data after the value")
	}
	return nil
}

// decodeDateObject walks the members of a date object after its '{' by hand, because
// encoding/json silently accepts duplicate, unknown and case-variant names.
func decodeDateObject(dec *json.Decoder) (Date, error) {
	seen := map[string]bool{}
	var edtf *string
	var start, end, precision *string
	var approximate, uncertain *bool
	for {
		tok, err := dec.Token()
		if err != nil {
			return Date{}, errors.New("invalid date: malformed json")
		}
		if tok == json.Delim('}') {
			break
		}
		name, ok := tok.(string)
		if !ok {
			return Date{}, errors.New("invalid date: malformed json")
		}
		if seen[name] {
			return Date{}, fmt.Errorf("invalid date: duplicate member %q", name)
		}
		seen[name] = true
		val, err := dec.Token()
		if err != nil {
			return Date{}, errors.New("invalid date: malformed json")
		}
		switch name {
		case "edtf", "start", "end", "precision":
			s, ok := val.(string)
			if !ok {
				return Date{}, fmt.Errorf("invalid date: %q must be a string", name)
			}
			switch name {
			case "edtf":
				edtf = &s
			case "start":
				start = &s
			case "end":
				end = &s
			default:
				precision = &s
			}
		case "approximate", "uncertain":
			v, ok := val.(bool)
			if !ok {
				return Date{}, fmt.Errorf("invalid date: %q must be true or false", name)
			}
			if name == "approximate" {
				approximate = &v
			} else {
				uncertain = &v
			}
		default:
			for _, known := range []string{"edtf", "start", "end", "precision", "approximate", "uncertain"} {
				if strings.EqualFold(name, known) {
					return Date{}, fmt.Errorf("invalid date: unknown member %q (member names are case-sensitive; use %q)", name, known)
				}
			}
			return Date{}, fmt.Errorf("invalid date: unknown member %q", name)
		}
	}
	if edtf == nil {
		return Date{}, errors.New(`invalid date: member "edtf" is required`)
	}
	d, err := ParseDate(*edtf)
	if err != nil {
		return Date{}, err
	}
	derived := func(name, got, want string) error {
		return fmt.Errorf("invalid date: %q is derived from edtf %q and must be %s (got %s) or be left out", name, d.EDTF, want, got)
	}
	if start != nil && !sameDateTime(*start, d.Start) {
		return Date{}, derived("start", fmt.Sprintf("%q", *start), fmt.Sprintf("%q", formatDateTime(d.Start)))
	}
	if end != nil && !sameDateTime(*end, d.End) {
		return Date{}, derived("end", fmt.Sprintf("%q", *end), fmt.Sprintf("%q", formatDateTime(d.End)))
	}
	if precision != nil && Precision(*precision) != d.Precision {
		return Date{}, derived("precision", fmt.Sprintf("%q", *precision), fmt.Sprintf("%q", d.Precision))
	}
	if approximate != nil && *approximate != d.Approximate {
		return Date{}, derived("approximate", fmt.Sprint(*approximate), fmt.Sprint(d.Approximate))
	}
	if uncertain != nil && *uncertain != d.Uncertain {
		return Date{}, derived("uncertain", fmt.Sprint(*uncertain), fmt.Sprint(d.Uncertain))
	}
	return d, nil
}

// sameDateTime reports whether s names instant t: either exactly as MarshalJSON writes
// it (which also covers years RFC 3339 cannot hold) or as any RFC 3339 spelling of it.
func sameDateTime(s string, t time.Time) bool {
	if s == formatDateTime(t) {
		return true
	}
	p, err := time.Parse(time.RFC3339, s)
	return err == nil && p.Equal(t)
}

// parseDate does the work of ParseDate and returns a reason instead of an error, so the
// caller can wrap every reason in the same way.
func parseDate(s string) (parsedDate, string) {
	if s == "" {
		return parsedDate{}, "empty"
	}
	if !utf8.ValidString(s) {
		return parsedDate{}, "not valid utf-8"
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return parsedDate{}, "whitespace is not allowed"
	}
	if strings.Contains(s, "..") {
		return parsedDate{}, "open intervals (..) are not supported"
	}
	if strings.ContainsAny(s, "[]{}") {
		return parsedDate{}, "sets ([...] and {...}) are not supported"
	}
	if strings.ContainsAny(s, "Xx") {
		return parsedDate{}, "unspecified digits (X) are not supported"
	}
	parts := strings.Split(s, "/")
	switch len(parts) {
	case 1:
		p, reason := parseDatePoint(s)
		if reason != "" {
			return parsedDate{}, reason
		}
		return parsedDate{Date: Date{EDTF: s, Start: p.Start, End: p.End, Precision: p.Precision,
			Approximate: p.Approximate, Uncertain: p.Uncertain}, first: p, last: p}, ""
	case 2:
	default:
		return parsedDate{}, "an interval has exactly one /"
	}
	if parts[0] == "" || parts[1] == "" {
		return parsedDate{}, "unknown interval ends are not supported"
	}
	a, reason := parseDatePoint(parts[0])
	if reason != "" {
		return parsedDate{}, "interval start: " + reason
	}
	b, reason := parseDatePoint(parts[1])
	if reason != "" {
		return parsedDate{}, "interval end: " + reason
	}
	if !b.End.After(a.Start) {
		return parsedDate{}, "interval ends before it starts"
	}
	prec := a.Precision
	if b.Precision.Rank() < prec.Rank() {
		prec = b.Precision
	}
	return parsedDate{Date: Date{EDTF: s, Start: a.Start, End: b.End, Precision: prec,
		Approximate: a.Approximate || b.Approximate, Uncertain: a.Uncertain || b.Uncertain},
		first: a, last: b, interval: true}, ""
}

// DatePoint is one end of a Date as its EDTF text wrote it: the precision and
// qualifiers of that end alone, its calendar and clock fields in the offset it was
// written in (so "18:00+04:00" stays 18:00, not 14:00 UTC), and the UTC period it
// covers. Encoders that show a date as written read it from Date.Ends rather than
// parsing the text again.
type DatePoint struct {
	Precision              Precision
	Year                   int
	Month, Day             int    // 0 when coarser than Precision
	Hour, Minute, Second   int    // 0 when coarser than Precision
	Offset                 string // as written: "" (none, read as UTC), "Z" or "±hh:mm"
	Approximate, Uncertain bool
	Start, End             time.Time // the UTC interval [Start, End) this end covers
}

// Location is the fixed zone the point was written in: UTC when the text gave no
// offset or "Z", else a zone named by the offset as written.
func (p DatePoint) Location() *time.Location {
	if p.Offset == "" || p.Offset == "Z" {
		return time.UTC
	}
	wall := time.Date(p.Year, time.Month(p.Month), p.Day, p.Hour, p.Minute, p.Second, 0, time.UTC)
	return time.FixedZone(p.Offset, int(wall.Sub(p.Start)/time.Second))
}

// Ends returns the ends of d as its text wrote them: for a single date one point twice
// and interval false, for an interval A/B the points A and B. They come from the same
// parse as ParseDate (a Date read from the database keeps only the text and the
// columns, so the text is read again here). A Date whose EDTF text is missing or
// invalid (built by hand rather than by ParseDate) gives its Start at its Precision
// (day when unset), in UTC.
func (d Date) Ends() (first, last DatePoint, interval bool) {
	if d.EDTF != "" {
		if p, err := parse(d.EDTF); err == nil {
			return p.first, p.last, p.interval
		}
	}
	p := DatePoint{Precision: d.Precision, Approximate: d.Approximate, Uncertain: d.Uncertain,
		Start: d.Start.UTC(), End: d.End.UTC()}
	if p.Precision.Rank() == 0 {
		p.Precision = PrecisionDay
	}
	t, r := p.Start, p.Precision.Rank()
	p.Year = t.Year()
	if r >= PrecisionMonth.Rank() {
		p.Month = int(t.Month())
	}
	if r >= PrecisionDay.Rank() {
		p.Day = t.Day()
	}
	if r >= PrecisionMinute.Rank() {
		p.Hour, p.Minute, p.Offset = t.Hour(), t.Minute(), "Z"
	}
	if r >= PrecisionSecond.Rank() {
		p.Second = t.Second()
	}
	return p, p, false
}

// parseDatePoint parses one single date (no interval) with its optional qualifier.
func parseDatePoint(s string) (DatePoint, string) {
	var p DatePoint
	qualified := false
	switch s[len(s)-1] {
	case '?':
		p.Uncertain, qualified = true, true
	case '~':
		p.Approximate, qualified = true, true
	case '%':
		p.Uncertain, p.Approximate, qualified = true, true, true
	}
	if qualified {
		s = s[:len(s)-1]
		if s == "" {
			return p, dateForms
		}
		if strings.ContainsAny(s[len(s)-1:], "?~%") {
			return p, "use one qualifier: ? uncertain, ~ approximate, % both"
		}
	}
	if strings.ContainsAny(s, "?~%") {
		return p, "qualifiers (?, ~, %) are allowed only at the end of a date"
	}

	// Year.
	if s[0] == '-' || s[0] == '+' || s[0] == 'Y' {
		return p, "year must be 0000-9999"
	}
	n := leadingDigits(s)
	if n == 0 {
		return p, dateForms
	}
	if n != 4 {
		return p, "year must have 4 digits (0000-9999)"
	}
	year := atoi(s[:4])
	p.Year = year
	rest := s[4:]
	if rest == "" {
		p.Precision = PrecisionYear
		p.Start = time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
		p.End = p.Start.AddDate(1, 0, 0)
		return p, ""
	}

	// Month.
	if rest[0] != '-' {
		return p, dateForms
	}
	rest = rest[1:]
	if rest != "" && rest[0] == 'W' {
		return p, "week dates are not supported"
	}
	if leadingDigits(rest) != 2 {
		return p, "month must have 2 digits (01-12)"
	}
	month := atoi(rest[:2])
	if month >= 21 && month <= 41 {
		return p, "seasons are not supported"
	}
	if month < 1 || month > 12 {
		return p, "month must be 01-12"
	}
	p.Month = month
	rest = rest[2:]
	if rest == "" {
		p.Precision = PrecisionMonth
		p.Start = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
		p.End = p.Start.AddDate(0, 1, 0)
		return p, ""
	}

	// Day.
	if rest[0] != '-' {
		return p, dateForms
	}
	rest = rest[1:]
	if leadingDigits(rest) != 2 {
		return p, "day must have 2 digits"
	}
	day := atoi(rest[:2])
	if last := daysIn(year, month); day < 1 || day > last {
		return p, fmt.Sprintf("day must be 01-%02d in %04d-%02d", last, year, month)
	}
	p.Day = day
	rest = rest[2:]
	if rest == "" {
		p.Precision = PrecisionDay
		p.Start = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		p.End = p.Start.AddDate(0, 0, 1)
		return p, ""
	}

	// Time.
	if rest[0] != 'T' {
		return p, dateForms
	}
	if qualified {
		return p, "qualifiers (?, ~, %) apply only to dates without a time"
	}
	rest = rest[1:]
	if leadingDigits(rest) != 2 || len(rest) < 5 || rest[2] != ':' || leadingDigits(rest[3:]) != 2 {
		return p, "time must be hh:mm or hh:mm:ss"
	}
	hour, minute, second := atoi(rest[:2]), atoi(rest[3:5]), 0
	if hour > 23 {
		return p, "hour must be 00-23"
	}
	if minute > 59 {
		return p, "minute must be 00-59"
	}
	p.Hour, p.Minute = hour, minute
	rest = rest[5:]
	p.Precision = PrecisionMinute
	if rest != "" && rest[0] == ':' {
		rest = rest[1:]
		if leadingDigits(rest) != 2 {
			return p, "time must be hh:mm or hh:mm:ss"
		}
		second = atoi(rest[:2])
		if second > 59 {
			return p, "second must be 00-59"
		}
		p.Second = second
		rest = rest[2:]
		p.Precision = PrecisionSecond
	}
	if rest != "" && (rest[0] == '.' || rest[0] == ',') {
		return p, "fractional seconds are not supported"
	}

	// Offset.
	offset := 0
	switch {
	case rest == "":
	case rest == "Z":
	case rest[0] == '+' || rest[0] == '-':
		if len(rest) != 6 || leadingDigits(rest[1:]) != 2 || rest[3] != ':' || leadingDigits(rest[4:]) != 2 {
			return p, "offset must be Z or ±hh:mm"
		}
		oh, om := atoi(rest[1:3]), atoi(rest[4:6])
		if om > 59 {
			return p, "offset minutes must be 00-59"
		}
		if oh*60+om > 14*60 {
			return p, "offset must be between -14:00 and +14:00"
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return p, "offset must be Z or ±hh:mm"
	}
	p.Offset = rest
	p.Start = time.Date(year, time.Month(month), day, hour, minute, second, 0,
		time.FixedZone("", offset)).UTC()
	if p.Precision == PrecisionMinute {
		p.End = p.Start.Add(time.Minute)
	} else {
		p.End = p.Start.Add(time.Second)
	}
	return p, ""
}

// leadingDigits counts the ASCII digits at the start of s.
func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// atoi converts a string of ASCII digits already checked by leadingDigits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// daysIn returns the number of days in the month, using the proleptic Gregorian calendar
// as time.Date does.
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
