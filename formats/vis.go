package formats

import (
	"strings"
	"time"

	"github.com/parley-api/parley/models"
)

// VisDoc is a vis-timeline document: the items and groups of two vis-data DataSets,
// e.g. new vis.Timeline(element, new vis.DataSet(doc.items), doc.groups && new
// vis.DataSet(doc.groups), options).
type VisDoc struct {
	// Items has one item per event, in the order given.
	Items []VisItem `json:"items"`
	// Groups lists every lane used, in first-use order. Absent when the timeline has no
	// lanes (GroupBy ""): vis-timeline hides every item without a group once groups are
	// set, even to an empty list.
	Groups []VisGroup `json:"groups,omitempty"`
}

// VisItem is one vis-timeline item. Content and Title are HTML (vis-timeline writes
// them as HTML through its XSS filter); every user text in them is escaped.
type VisItem struct {
	// ID is the event's slug.
	ID string `json:"id" example:"abu-dhabi-trilateral-talks"`
	// Content is the escaped title.
	Content string `json:"content" example:"Russia–Ukraine–United States trilateral peace talks in Abu Dhabi"`
	// Start is a date "YYYY-MM-DD" (the first day covered) for year, month and day
	// precision, which vis-timeline reads as local midnight of that day; for minute and
	// second precision it is the instant in RFC 3339 with the offset the EDTF text gave
	// ("2026-01-23T18:00:00+04:00"; Z when none).
	Start string `json:"start" example:"2026-01-23"`
	// End is the exclusive end of the covered interval, in the same forms: a month is
	// the range ["2025-08-01", "2025-09-01"). Only ranges have one.
	End string `json:"end,omitempty" example:"2026-01-25"`
	// Type is "range" for everything that covers a period (a year, month or day, or an
	// interval) and "point" for a single minute- or second-precision instant.
	Type string `json:"type" enums:"range,point" example:"range"`
	// Group is the id of the item's lane (VisDoc.Groups).
	Group string `json:"group,omitempty" example:"type:negotiation"`
	// Title is the tooltip: a plain-text summary line, escaped.
	Title string `json:"title,omitempty"`
	// ClassName carries CSS classes for styling: parley-type-<type>,
	// parley-status-<status>, parley-precision-<precision>, and parley-approximate /
	// parley-uncertain when the date is qualified.
	ClassName string `json:"className,omitempty" example:"parley-type-negotiation parley-status-held parley-precision-day"`
}

// VisGroup is one vis-timeline group (a lane). IDs are "type:<type>",
// "actor:<actor slug>" and "location:<location slug>" ("actor:" for events without
// participants, "location:" for events without a known location).
type VisGroup struct {
	ID string `json:"id" example:"type:negotiation"`
	// Content is the escaped label: the type, the actor's name or the location's name.
	Content string `json:"content" example:"negotiation"`
	// Order is the position of first use, which vis-timeline sorts the lanes by.
	Order int `json:"order"`
}

// visDay writes the UTC calendar day of t, which for dates of year, month and day
// precision is the day as written.
func visDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// visInstant writes an instant in the offset its EDTF text gave (Z when none).
func visInstant(t time.Time, p models.DatePoint) string {
	return t.In(p.Location()).Format(time.RFC3339)
}

// visTime writes one end of an item: a date for year/month/day precision, else the
// instant.
func visTime(t time.Time, p models.DatePoint) string {
	if p.Precision.Rank() <= 3 {
		return visDay(t)
	}
	return visInstant(t, p)
}

// Vis encodes events as a vis-timeline document: one item per event, in the order given,
// each event once, id the event's slug.
//
// Every date that covers a period is a range [start, end) with the exclusive end of
// that period: "2025-08" is 2025-08-01 to 2025-09-01, "2026-01-23" is 2026-01-23 to
// 2026-01-24, "2026-01-23/2026-01-24" is 2026-01-23 to 2026-01-25. (vis-timeline draws
// a range between two instants, so the exclusive end covers the whole last day; this
// differs from TimelineJS's end_date, which names the last day itself.) A single
// minute- or second-precision date is a point. Groups follow opt.GroupBy (see laneOf).
func Vis(events []models.Event, opt TimelineOptions) VisDoc {
	en := newEncoder(events, opt)
	list := unique(events)
	doc := VisDoc{Items: make([]VisItem, 0, len(list))}
	lanes := map[string]bool{}
	for _, k := range list {
		e := k.e
		a, b, interval := e.Date.Ends()
		it := VisItem{
			ID:        k.key,
			Content:   esc(e.Title),
			Start:     visTime(e.Date.Start, a),
			Title:     esc(summaryLine(e)),
			ClassName: visClasses(e),
		}
		if !interval && a.Precision.Rank() >= 4 {
			it.Type = "point"
		} else {
			it.Type = "range"
			it.End = visTime(e.Date.End, b)
		}
		if l, ok := en.laneOf(e); ok {
			it.Group = l.id
			if !lanes[l.id] {
				lanes[l.id] = true
				doc.Groups = append(doc.Groups, VisGroup{ID: l.id, Content: esc(l.label), Order: len(doc.Groups)})
			}
		}
		doc.Items = append(doc.Items, it)
	}
	return doc
}

// visClasses lists the CSS classes of an item.
func visClasses(e *models.Event) string {
	var c []string
	if e.Type != "" {
		c = append(c, "parley-type-"+cssName(string(e.Type)))
	}
	if e.Status != "" {
		c = append(c, "parley-status-"+cssName(string(e.Status)))
	}
	if e.Date.Precision != "" {
		c = append(c, "parley-precision-"+cssName(string(e.Date.Precision)))
	}
	if e.Date.Approximate {
		c = append(c, "parley-approximate")
	}
	if e.Date.Uncertain {
		c = append(c, "parley-uncertain")
	}
	return strings.Join(c, " ")
}

// cssName keeps letters, digits and hyphens, so a class name can never break out of
// the attribute whatever the enum holds.
func cssName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return '-'
	}, s)
}
