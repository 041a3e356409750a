package formats

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/parley-api/parley/models"
)

// TimelineJSDoc is a Knight Lab TimelineJS3 document ("TimelineJS JSON data format"):
// pass it to new TL.Timeline(element, doc).
type TimelineJSDoc struct {
	// Title is the title slide; absent when TimelineOptions.Title is empty.
	Title *TLSlide `json:"title,omitempty"`
	// Events has one slide per event, in the order given.
	Events []TLSlide `json:"events"`
	// Eras label spans of the time axis. parley emits none; the field lets the type
	// read any TimelineJS document.
	Eras []TLEra `json:"eras,omitempty"`
	// Scale is "human" (the default) or "cosmological". parley emits none.
	Scale string `json:"scale,omitempty" enums:"human,cosmological"`
}

// TLSlide is a TimelineJS slide: one event, or the title slide (no start_date).
type TLSlide struct {
	StartDate *TLDate `json:"start_date,omitempty"`
	// EndDate is the last unit the event covers (inclusive, at the end's precision):
	// "2026-01-23/2026-01-24" ends on {"year":2026,"month":1,"day":24}. Only intervals
	// have one.
	EndDate *TLDate `json:"end_date,omitempty"`
	// DisplayDate is the date as people read it, with precision and qualifiers:
	// "August 2025", "c. August 2025", "2026?", "23–24 January 2026". Plain text.
	DisplayDate string  `json:"display_date,omitempty" example:"23–24 January 2026"`
	Text        *TLText `json:"text,omitempty"`
	// Media is not emitted by parley; the field lets the type read any TimelineJS
	// document.
	Media *TLMedia `json:"media,omitempty"`
	// Group is the lane (TimelineOptions.GroupBy): plain text, shown as a label.
	Group string `json:"group,omitempty" example:"negotiation"`
	// Background is not emitted by parley.
	Background *TLBackground `json:"background,omitempty"`
	// Autolink false stops TimelineJS from turning URLs in the text into links: parley
	// writes its own links.
	Autolink *bool `json:"autolink,omitempty"`
	// UniqueID is the event's slug. (TimelineJS slugifies it again, which prefixes one
	// that starts with a digit with "_"; goToId needs that form.)
	UniqueID string `json:"unique_id,omitempty" example:"abu-dhabi-trilateral-talks"`
}

// TLDate is a TimelineJS date: the parts down to the precision stated, absent below it.
// The parts are written as JSON numbers, as the format documentation says; reading
// also accepts numeric strings and "" (absent), which the official examples use.
// TimelineJS has no time zone: it builds each date with JavaScript's
// new Date(year, month-1, day, hour, minute, second), in the viewer's zone. So that
// events written at different offsets keep their instants, and their order, against
// each other, a time of day (minute or second precision) is given in UTC: 10:30+03:00
// is hour 7, minute 30. The time axis thus reads UTC (exactly so for a viewer whose zone
// is UTC), and the slide's display_date gives the time as written and in UTC. Dates
// down to the day are the calendar date as written.
type TLDate struct {
	Year        int    `json:"year" example:"2026"`
	Month       *int   `json:"month,omitempty" example:"1"`
	Day         *int   `json:"day,omitempty" example:"23"`
	Hour        *int   `json:"hour,omitempty"`
	Minute      *int   `json:"minute,omitempty"`
	Second      *int   `json:"second,omitempty"`
	Millisecond *int   `json:"millisecond,omitempty"`
	DisplayDate string `json:"display_date,omitempty"`
	Format      string `json:"format,omitempty"`
}

// TLText is a slide's text. Both members are HTML; every user text in them is escaped.
type TLText struct {
	Headline string `json:"headline"`
	Text     string `json:"text"`
}

// TLMedia is a slide's media (TimelineJS format; parley emits none).
type TLMedia struct {
	URL        string `json:"url"`
	Caption    string `json:"caption,omitempty"`
	Credit     string `json:"credit,omitempty"`
	Thumbnail  string `json:"thumbnail,omitempty"`
	Alt        string `json:"alt,omitempty"`
	Title      string `json:"title,omitempty"`
	Link       string `json:"link,omitempty"`
	LinkTarget string `json:"link_target,omitempty"`
}

// TLBackground is a slide's background (TimelineJS format; parley emits none).
type TLBackground struct {
	URL   string `json:"url,omitempty"`
	Alt   string `json:"alt,omitempty"`
	Color string `json:"color,omitempty"`
}

// TLEra labels a span of the time axis (TimelineJS format; parley emits none).
type TLEra struct {
	StartDate *TLDate `json:"start_date"`
	EndDate   *TLDate `json:"end_date"`
	Text      *TLText `json:"text,omitempty"`
}

// tlDateJSON is the wire form of TLDate when reading: the parts stay raw so that
// numbers, numeric strings and "" can all be accepted.
type tlDateJSON struct {
	Year        jsontext.Value `json:"year"`
	Month       jsontext.Value `json:"month"`
	Day         jsontext.Value `json:"day"`
	Hour        jsontext.Value `json:"hour"`
	Minute      jsontext.Value `json:"minute"`
	Second      jsontext.Value `json:"second"`
	Millisecond jsontext.Value `json:"millisecond"`
	DisplayDate string         `json:"display_date"`
	Format      string         `json:"format"`
}

// UnmarshalJSON reads a date object strictly (unknown or duplicate members are errors)
// and each part from a JSON number, a numeric string or "" / null (absent), as
// TimelineJS does: digits with an optional minus sign.
func (d *TLDate) UnmarshalJSON(b []byte) error {
	var w tlDateJSON
	if err := models.UnmarshalStrict(b, &w); err != nil {
		return err
	}
	var out TLDate
	var err error
	part := func(name string, v jsontext.Value) *int {
		n, ok, e := datePart(v)
		if e != nil && err == nil {
			err = fmt.Errorf("%s: %w", name, e)
		}
		if !ok {
			return nil
		}
		return &n
	}
	if y := part("year", w.Year); y != nil {
		out.Year = *y
	}
	out.Month = part("month", w.Month)
	out.Day = part("day", w.Day)
	out.Hour = part("hour", w.Hour)
	out.Minute = part("minute", w.Minute)
	out.Second = part("second", w.Second)
	out.Millisecond = part("millisecond", w.Millisecond)
	out.DisplayDate, out.Format = w.DisplayDate, w.Format
	if err != nil {
		return err
	}
	*d = out
	return nil
}

// datePart reads one raw date part; ok is false when it is absent, null or "".
func datePart(v jsontext.Value) (n int, ok bool, err error) {
	if len(v) == 0 {
		return 0, false, nil
	}
	var s string
	switch v.Kind() {
	case 'n':
		return 0, false, nil
	case '0':
		s = string(v)
	case '"':
		var t jsontext.Token
		dec := jsontext.NewDecoder(strings.NewReader(string(v)))
		if t, err = dec.ReadToken(); err != nil {
			return 0, false, err
		}
		s = strings.TrimSpace(t.String())
		if s == "" {
			return 0, false, nil
		}
	default:
		return 0, false, errors.New("must be a number or a string of digits")
	}
	n, err = strconv.Atoi(s)
	if err != nil {
		return 0, false, errors.New("must be an integer (digits with an optional minus sign)")
	}
	return n, true, nil
}

func intp(n int) *int { return &n }

// tlDate renders one end of a date at its precision; a time of day in UTC (see TLDate).
func tlDate(p models.DatePoint) *TLDate {
	p = utcPoint(p)
	d := &TLDate{Year: p.Year}
	r := p.Precision.Rank()
	if r >= 2 {
		d.Month = intp(p.Month)
	}
	if r >= 3 {
		d.Day = intp(p.Day)
	}
	if r >= 4 {
		d.Hour, d.Minute = intp(p.Hour), intp(p.Minute)
	}
	if r >= 5 {
		d.Second = intp(p.Second)
	}
	return d
}

// plainLabel makes text safe for the TimelineJS fields that are plain text but reach
// innerHTML (group, display_date). TimelineJS 3.9 strips markup from them by parsing
// them as HTML and taking the text, which decodes entities, and then writes that text
// as HTML; so neither raw nor escaped text is safe there. Angle brackets become the
// look-alike ‹ › and & becomes &amp;, which reads right through either path (and
// through older releases that write the field as HTML directly).
func plainLabel(s string) string { return labelReplacer.Replace(s) }

var labelReplacer = strings.NewReplacer("&", "&amp;", "<", "‹", ">", "›")

// TimelineJS encodes events as a Knight Lab TimelineJS3 document: one slide per event,
// in the order given (the caller sorts by date), each event once, unique_id the event's
// slug.
//
// Dates keep their precision: a year-precision event has only a year, a month one a
// year and month, a day one y/m/d, minute and second ones the time of day in UTC, which
// display_date repeats beside the time as written (see TLDate and tlDisplayDate). An interval ("2026-01-23/2026-01-24") has an end_date, the last unit it
// covers (inclusive); a single date has none, whatever its precision, since TimelineJS
// shows a date at the start of its period and display_date says what it covers.
//
// The headline is the escaped title; the text is HTML built from escaped user text: the
// summary, type and status, the participants with their roles and whom they represent,
// the location, the quotes (statements with quote=true) as blockquotes with the speaker
// or attribution and the medium, and the sources, linked when they have a URL.
// Names come from the embedded actors: each participant's actor and whom it represents,
// each statement's speaker (see encoder). Participants, location, statements and sources
// that were not embedded are shown by id or left out. Group follows opt.GroupBy (see
// laneOf).
func TimelineJS(events []models.Event, opt TimelineOptions) TimelineJSDoc {
	en := newEncoder(events, opt)
	list := unique(events)
	doc := TimelineJSDoc{Events: make([]TLSlide, 0, len(list))}
	if opt.Title != "" {
		n := "1 event"
		if len(list) != 1 {
			n = fmt.Sprintf("%d events", len(list))
		}
		doc.Title = &TLSlide{Text: &TLText{Headline: esc(opt.Title), Text: "<p>" + n + "</p>"}}
	}
	autolink := false
	for _, k := range list {
		e := k.e
		a, b, interval := e.Date.Ends()
		s := TLSlide{
			StartDate:   tlDate(a),
			DisplayDate: plainLabel(tlDisplayDate(e.Date)),
			Text:        &TLText{Headline: esc(e.Title), Text: en.eventHTML(e)},
			Autolink:    &autolink,
			UniqueID:    k.key,
		}
		if interval && !samePoint(a, b) {
			s.EndDate = tlDate(b)
		}
		if l, ok := en.laneOf(e); ok {
			s.Group = plainLabel(l.label)
		}
		doc.Events = append(doc.Events, s)
	}
	return doc
}

// exportTimelineJS streams a TimelineJS document slide by slide (GET /export with
// format=timelinejs): the slides TimelineJS gives for each event alone, in one
// {"events": [...]} document without a title slide. The store embeds in each event the
// actors it names, as for /timeline, so the slides read the same as there.
type exportTimelineJS struct{ exportBase }

func (x *exportTimelineJS) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	_, err := x.w.WriteString(`{"events":[`)
	return err
}

func (x *exportTimelineJS) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	doc := TimelineJS([]models.Event{*e}, TimelineOptions{})
	for _, s := range doc.Events {
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		if x.n > 0 {
			if _, err := x.w.WriteString(",\n"); err != nil {
				return err
			}
		}
		x.n++
		if _, err := x.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (x *exportTimelineJS) End() error { return x.end("]}\n") }
