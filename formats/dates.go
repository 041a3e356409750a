package formats

import (
	"fmt"
	"time"

	"github.com/parley-api/parley/models"
)

// zoneLabel names the offset for people: "UTC", "UTC+04:00", or "" when the text gave
// none (a floating local time).
func zoneLabel(p models.DatePoint) string {
	switch p.Offset {
	case "":
		return ""
	case "Z", "+00:00", "-00:00":
		return "UTC"
	}
	return "UTC" + p.Offset
}

// sameDay reports whether two points fall on the same written calendar day.
func sameDay(p, o models.DatePoint) bool {
	return p.Year == o.Year && p.Month == o.Month && p.Day == o.Day
}

// samePoint reports whether two ends name the same period ("2026-01-23/2026-01-23").
func samePoint(p, o models.DatePoint) bool {
	return p.Precision == o.Precision && p.Year == o.Year && p.Month == o.Month && p.Day == o.Day &&
		p.Hour == o.Hour && p.Minute == o.Minute && p.Second == o.Second && p.Offset == o.Offset
}

func monthName(m int) string { return time.Month(m).String() }

// clock renders the time of day of a minute- or second-precision point.
func clock(p models.DatePoint) string {
	if p.Precision == models.PrecisionSecond {
		return fmt.Sprintf("%02d:%02d:%02d", p.Hour, p.Minute, p.Second)
	}
	return fmt.Sprintf("%02d:%02d", p.Hour, p.Minute)
}

// withZone appends the offset label, if any, in parentheses.
func withZone(p models.DatePoint, s string) string {
	if z := zoneLabel(p); z != "" {
		return s + " (" + z + ")"
	}
	return s
}

// pointText renders one point in full at its precision, without qualifiers:
// "2025", "August 2025", "23 January 2026", "23 January 2026, 18:00 (UTC+04:00)".
func pointText(p models.DatePoint) string {
	switch p.Precision.Rank() {
	case 1:
		return fmt.Sprintf("%d", p.Year)
	case 2:
		return fmt.Sprintf("%s %d", monthName(p.Month), p.Year)
	case 3:
		return fmt.Sprintf("%d %s %d", p.Day, monthName(p.Month), p.Year)
	}
	return withZone(p, fmt.Sprintf("%d %s %d, %s", p.Day, monthName(p.Month), p.Year, clock(p)))
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
	a, b, interval := d.Ends()
	if !interval {
		return qualify(pointText(a), a.Approximate, a.Uncertain)
	}
	if a.Approximate != b.Approximate || a.Uncertain != b.Uncertain {
		return qualify(pointText(a), a.Approximate, a.Uncertain) + " – " + qualify(pointText(b), b.Approximate, b.Uncertain)
	}
	return qualify(rangeText(a, b), a.Approximate, a.Uncertain)
}

// rangeText writes an interval without qualifiers, sharing what its ends share.
func rangeText(a, b models.DatePoint) string {
	full := func() string { return pointText(a) + " – " + pointText(b) }
	if samePoint(a, b) {
		return pointText(a)
	}
	if a.Precision != b.Precision {
		return full()
	}
	switch a.Precision.Rank() {
	case 1:
		if a.Year == b.Year {
			return pointText(a)
		}
		return fmt.Sprintf("%d–%d", a.Year, b.Year)
	case 2:
		switch {
		case a.Year == b.Year && a.Month == b.Month:
			return pointText(a)
		case a.Year == b.Year:
			return fmt.Sprintf("%s–%s %d", monthName(a.Month), monthName(b.Month), a.Year)
		}
		return full()
	case 3:
		switch {
		case sameDay(a, b):
			return pointText(a)
		case a.Year == b.Year && a.Month == b.Month:
			return fmt.Sprintf("%d–%d %s %d", a.Day, b.Day, monthName(a.Month), a.Year)
		case a.Year == b.Year:
			return fmt.Sprintf("%d %s – %d %s %d", a.Day, monthName(a.Month), b.Day, monthName(b.Month), a.Year)
		}
		return full()
	}
	if sameDay(a, b) && a.Offset == b.Offset {
		return withZone(a, fmt.Sprintf("%d %s %d, %s–%s", a.Day, monthName(a.Month), a.Year, clock(a), clock(b)))
	}
	return full()
}

// utcPoint is p with a time of day (minute or second precision) moved to UTC, its
// offset "Z"; coarser points are returned as written.
func utcPoint(p models.DatePoint) models.DatePoint {
	if p.Precision.Rank() < models.PrecisionMinute.Rank() {
		return p
	}
	u := p.Start.UTC()
	p.Year, p.Month, p.Day = u.Year(), int(u.Month()), u.Day()
	p.Hour, p.Minute, p.Second, p.Offset = u.Hour(), u.Minute(), u.Second(), "Z"
	return p
}

// inUTC reports whether p is written in UTC: a time of day with "Z", +00:00, -00:00 or
// no offset (which parley reads as UTC), or a point coarser than a time of day.
func inUTC(p models.DatePoint) bool {
	return p.Precision.Rank() < models.PrecisionMinute.Rank() || p.Offset == "" || zoneLabel(p) == "UTC"
}

// utcPointText is a point in UTC for people: "07:30 UTC" when it falls on the day the
// text wrote (written), else "22 January 2026, 22:00 UTC"; a point coarser than a
// time of day as written.
func utcPointText(p, written models.DatePoint) string {
	if p.Precision.Rank() < models.PrecisionMinute.Rank() {
		return pointText(p)
	}
	if sameDay(p, written) {
		return clock(p) + " UTC"
	}
	return fmt.Sprintf("%d %s %d, %s UTC", p.Day, monthName(p.Month), p.Year, clock(p))
}

// tlDisplayDate is DisplayDate followed, when a time of day was written at an offset
// other than UTC, by the same date in UTC, the time TimelineJS places it at (see
// TLDate): "23 January 2026, 10:30 (UTC+03:00) = 07:30 UTC", "23 January 2026,
// 23:30 (UTC-05:00) = 24 January 2026, 04:30 UTC", "23 January 2026, 10:00–14:00
// (UTC+04:00) = 06:00–10:00 UTC".
func tlDisplayDate(d models.Date) string {
	s := DisplayDate(d)
	a, b, interval := d.Ends()
	if inUTC(a) && (!interval || inUTC(b)) {
		return s
	}
	ua, ub := utcPoint(a), utcPoint(b)
	if !interval || samePoint(a, b) {
		return s + " = " + utcPointText(ua, a)
	}
	if ua.Precision == ub.Precision && ua.Precision.Rank() >= models.PrecisionMinute.Rank() && sameDay(ua, ub) && sameDay(ua, a) {
		return s + " = " + clock(ua) + "–" + clock(ub) + " UTC"
	}
	return s + " = " + utcPointText(ua, models.DatePoint{}) + " – " + utcPointText(ub, models.DatePoint{})
}
