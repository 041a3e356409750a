package formats

import (
	"fmt"
	"strings"
	"time"

	"github.com/parley-api/parley/models"
)

// datePoint is one end of a stated date, as written: the clock fields in the offset the
// EDTF text gave (none, "Z" or "±hh:mm"), the precision of that end and its qualifiers.
type datePoint struct {
	precision   models.Precision
	year        int
	month, day  int // 0 when coarser than the precision
	hour, min   int
	sec         int
	zone        string // "" (no offset written), "Z" or "+04:00"
	approximate bool
	uncertain   bool
	start, end  time.Time // the UTC interval this end covers
}

// rank orders precisions from coarse (1) to fine (5).
func rank(p models.Precision) int {
	switch p {
	case models.PrecisionYear:
		return 1
	case models.PrecisionMonth:
		return 2
	case models.PrecisionDay:
		return 3
	case models.PrecisionMinute:
		return 4
	case models.PrecisionSecond:
		return 5
	}
	return 0
}

// splitDate returns the ends of d as written. A single date gives one point and
// interval=false. A Date whose EDTF text is missing or does not parse (one built by
// hand rather than by models.ParseDate) falls back to its Start at its Precision (day
// when unset), read in UTC.
func splitDate(d models.Date) (a, b datePoint, interval bool) {
	parts := strings.Split(d.EDTF, "/")
	if d.EDTF != "" && len(parts) <= 2 {
		pa, okA := parsePoint(parts[0])
		if len(parts) == 1 && okA {
			return pa, pa, false
		}
		if len(parts) == 2 && okA {
			if pb, okB := parsePoint(parts[1]); okB {
				return pa, pb, true
			}
		}
	}
	p := datePoint{precision: d.Precision, approximate: d.Approximate, uncertain: d.Uncertain,
		start: d.Start.UTC(), end: d.End.UTC()}
	if rank(p.precision) == 0 {
		p.precision = models.PrecisionDay
	}
	t := p.start
	p.year = t.Year()
	if rank(p.precision) >= 2 {
		p.month = int(t.Month())
	}
	if rank(p.precision) >= 3 {
		p.day = t.Day()
	}
	if rank(p.precision) >= 4 {
		p.hour, p.min, p.zone = t.Hour(), t.Minute(), "Z"
	}
	if rank(p.precision) >= 5 {
		p.sec = t.Second()
	}
	return p, p, false
}

// parsePoint reads one end of an EDTF date. models.ParseDate checks it; the clock
// fields are then taken from the fixed positions of the text, so that a time keeps the
// offset it was written in ("18:00+04:00" stays 18:00, not 14:00 UTC).
func parsePoint(s string) (datePoint, bool) {
	d, err := models.ParseDate(s)
	if err != nil {
		return datePoint{}, false
	}
	p := datePoint{precision: d.Precision, approximate: d.Approximate, uncertain: d.Uncertain,
		start: d.Start, end: d.End}
	s = strings.TrimRight(s, "?~%")
	num := func(i, n int) int {
		v := 0
		for _, c := range s[i : i+n] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	p.year = num(0, 4)
	r := rank(p.precision)
	if r >= 2 {
		p.month = num(5, 2)
	}
	if r >= 3 {
		p.day = num(8, 2)
	}
	if r >= 4 {
		p.hour, p.min = num(11, 2), num(14, 2)
		rest := s[16:]
		if r >= 5 {
			p.sec = num(17, 2)
			rest = s[19:]
		}
		p.zone = rest
	}
	return p, true
}

// location is the fixed zone the point was written in; UTC when none was written.
func (p datePoint) location() *time.Location {
	if len(p.zone) != 6 {
		return time.UTC
	}
	off := ((int(p.zone[1]-'0')*10+int(p.zone[2]-'0'))*60 + int(p.zone[4]-'0')*10 + int(p.zone[5]-'0')) * 60
	if p.zone[0] == '-' {
		off = -off
	}
	return time.FixedZone(p.zone, off)
}

// zoneLabel names the offset for people: "UTC", "UTC+04:00", or "" when the text gave
// none (a floating local time).
func (p datePoint) zoneLabel() string {
	switch p.zone {
	case "":
		return ""
	case "Z", "+00:00", "-00:00":
		return "UTC"
	}
	return "UTC" + p.zone
}

// sameDay reports whether two points fall on the same written calendar day.
func (p datePoint) sameDay(o datePoint) bool {
	return p.year == o.year && p.month == o.month && p.day == o.day
}

// samePoint reports whether two ends name the same period ("2026-01-23/2026-01-23").
func (p datePoint) samePoint(o datePoint) bool {
	return p.precision == o.precision && p.year == o.year && p.month == o.month && p.day == o.day &&
		p.hour == o.hour && p.min == o.min && p.sec == o.sec && p.zone == o.zone
}

func monthName(m int) string { return time.Month(m).String() }

// clock renders the time of day of a minute- or second-precision point.
func (p datePoint) clock() string {
	if p.precision == models.PrecisionSecond {
		return fmt.Sprintf("%02d:%02d:%02d", p.hour, p.min, p.sec)
	}
	return fmt.Sprintf("%02d:%02d", p.hour, p.min)
}

// withZone appends the offset label, if any, in parentheses.
func (p datePoint) withZone(s string) string {
	if z := p.zoneLabel(); z != "" {
		return s + " (" + z + ")"
	}
	return s
}

// text renders one point in full at its precision, without qualifiers:
// "2025", "August 2025", "23 January 2026", "23 January 2026, 18:00 (UTC+04:00)".
func (p datePoint) text() string {
	switch rank(p.precision) {
	case 1:
		return fmt.Sprintf("%d", p.year)
	case 2:
		return fmt.Sprintf("%s %d", monthName(p.month), p.year)
	case 3:
		return fmt.Sprintf("%d %s %d", p.day, monthName(p.month), p.year)
	}
	return p.withZone(fmt.Sprintf("%d %s %d, %s", p.day, monthName(p.month), p.year, p.clock()))
}

// qualify marks approximation with "c. " before and uncertainty with "?" after.
func qualify(s string, approximate, uncertain bool) string {
	if approximate {
		s = "c. " + s
	}
	if uncertain {
		s += "?"
	}
	return s
}

// DisplayDate renders a date for people, keeping its precision and qualifiers:
// "2026", "August 2025", "23 January 2026", "c. August 2025" (approximate, ~),
// "2026?" (uncertain, ?), "c. 2026?" (both, %), "23 January 2026, 18:00 (UTC+04:00)",
// and intervals as compact ranges: "23–24 January 2026", "30 January – 2 February 2026",
// "August–September 2025", "2025–2026", "23 January 2026, 10:00–14:00 (UTC+04:00)".
// When the two ends of an interval carry different qualifiers, each end is written in
// full with its own.
func DisplayDate(d models.Date) string {
	a, b, interval := splitDate(d)
	if !interval {
		return qualify(a.text(), a.approximate, a.uncertain)
	}
	if a.approximate != b.approximate || a.uncertain != b.uncertain {
		return qualify(a.text(), a.approximate, a.uncertain) + " – " + qualify(b.text(), b.approximate, b.uncertain)
	}
	return qualify(rangeText(a, b), a.approximate, a.uncertain)
}

// rangeText writes an interval without qualifiers, sharing what its ends share.
func rangeText(a, b datePoint) string {
	full := func() string { return a.text() + " – " + b.text() }
	if a.samePoint(b) {
		return a.text()
	}
	if a.precision != b.precision {
		return full()
	}
	switch rank(a.precision) {
	case 1:
		if a.year == b.year {
			return a.text()
		}
		return fmt.Sprintf("%d–%d", a.year, b.year)
	case 2:
		switch {
		case a.year == b.year && a.month == b.month:
			return a.text()
		case a.year == b.year:
			return fmt.Sprintf("%s–%s %d", monthName(a.month), monthName(b.month), a.year)
		}
		return full()
	case 3:
		switch {
		case a.sameDay(b):
			return a.text()
		case a.year == b.year && a.month == b.month:
			return fmt.Sprintf("%d–%d %s %d", a.day, b.day, monthName(a.month), a.year)
		case a.year == b.year:
			return fmt.Sprintf("%d %s – %d %s %d", a.day, monthName(a.month), b.day, monthName(b.month), a.year)
		}
		return full()
	}
	if a.sameDay(b) && a.zone == b.zone {
		return a.withZone(fmt.Sprintf("%d %s %d, %s–%s", a.day, monthName(a.month), a.year, a.clock(), b.clock()))
	}
	return full()
}
