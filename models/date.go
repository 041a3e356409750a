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
	if len(s) > maxDateLen {
		return Date{}, fmt.Errorf("invalid date: longer than %d characters", maxDateLen)
	}
	d, reason := parseDate(s)
	if reason == "" && (d.Start.Before(minInstant) || d.End.After(maxInstant)) {
		reason = "must lie between the years 0001 and 9998 (UTC)"
	}
	if reason != "" {
		return Date{}, fmt.Errorf("invalid date %q: %s", s, reason)
	}
	return d, nil
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
func parseDate(s string) (Date, string) {
	if s == "" {
		return Date{}, "empty"
	}
	if !utf8.ValidString(s) {
		return Date{}, "not valid utf-8"
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return Date{}, "whitespace is not allowed"
	}
	if strings.Contains(s, "..") {
		return Date{}, "open intervals (..) are not supported"
	}
	if strings.ContainsAny(s, "[]{}") {
		return Date{}, "sets ([...] and {...}) are not supported"
	}
	if strings.ContainsAny(s, "Xx") {
		return Date{}, "unspecified digits (X) are not supported"
	}
	parts := strings.Split(s, "/")
	switch len(parts) {
	case 1:
		p, reason := parseDatePoint(s)
		if reason != "" {
			return Date{}, reason
		}
		return Date{EDTF: s, Start: p.start, End: p.end, Precision: p.precision,
			Approximate: p.approximate, Uncertain: p.uncertain}, ""
	case 2:
	default:
		return Date{}, "an interval has exactly one /"
	}
	if parts[0] == "" || parts[1] == "" {
		return Date{}, "unknown interval ends are not supported"
	}
	a, reason := parseDatePoint(parts[0])
	if reason != "" {
		return Date{}, "interval start: " + reason
	}
	b, reason := parseDatePoint(parts[1])
	if reason != "" {
		return Date{}, "interval end: " + reason
	}
	if !b.end.After(a.start) {
		return Date{}, "interval ends before it starts"
	}
	prec := a.precision
	if precisionRank[b.precision] < precisionRank[prec] {
		prec = b.precision
	}
	return Date{EDTF: s, Start: a.start, End: b.end, Precision: prec,
		Approximate: a.approximate || b.approximate, Uncertain: a.uncertain || b.uncertain}, ""
}

// datePoint is one parsed single date: the period it covers and its qualifiers.
type datePoint struct {
	start, end             time.Time
	precision              Precision
	approximate, uncertain bool
}

// parseDatePoint parses one single date (no interval) with its optional qualifier.
func parseDatePoint(s string) (datePoint, string) {
	var p datePoint
	qualified := false
	switch s[len(s)-1] {
	case '?':
		p.uncertain, qualified = true, true
	case '~':
		p.approximate, qualified = true, true
	case '%':
		p.uncertain, p.approximate, qualified = true, true, true
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
	rest := s[4:]
	if rest == "" {
		p.precision = PrecisionYear
		p.start = time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
		p.end = p.start.AddDate(1, 0, 0)
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
	rest = rest[2:]
	if rest == "" {
		p.precision = PrecisionMonth
		p.start = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
		p.end = p.start.AddDate(0, 1, 0)
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
	rest = rest[2:]
	if rest == "" {
		p.precision = PrecisionDay
		p.start = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
		p.end = p.start.AddDate(0, 0, 1)
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
	rest = rest[5:]
	p.precision = PrecisionMinute
	if rest != "" && rest[0] == ':' {
		rest = rest[1:]
		if leadingDigits(rest) != 2 {
			return p, "time must be hh:mm or hh:mm:ss"
		}
		second = atoi(rest[:2])
		if second > 59 {
			return p, "second must be 00-59"
		}
		rest = rest[2:]
		p.precision = PrecisionSecond
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
	p.start = time.Date(year, time.Month(month), day, hour, minute, second, 0,
		time.FixedZone("", offset)).UTC()
	if p.precision == PrecisionMinute {
		p.end = p.start.Add(time.Minute)
	} else {
		p.end = p.start.Add(time.Second)
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
