package formats

import (
	"io"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"github.com/parley-api/parley/models"
)

// exportICS writes a VCALENDAR: the wrapper by hand, each VEVENT through golang-ical.
type exportICS struct{ exportBase }

// icsConfig is RFC 5545's serialisation: CRLF line ends, lines folded at 75 octets.
var icsConfig = &ics.SerializationConfiguration{MaxLength: 75, PropertyMaxLength: 75, NewLine: "\r\n"}

// icsHeader opens the calendar.
const icsHeader = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//parley//parley export//EN\r\n" +
	"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"

func (x *exportICS) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	_, err := x.w.WriteString(icsHeader)
	return err
}

func (x *exportICS) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	if err := icsEventOf(e).SerializeTo(x.w, icsConfig); err != nil {
		return err
	}
	x.n++
	return nil
}

func (x *exportICS) End() error { return x.end("END:VCALENDAR\r\n") }

// icsStatus maps parley's status onto the VEVENT STATUS.
var icsStatus = map[models.EventStatus]ics.ObjectStatus{
	models.StatusScheduled: ics.ObjectStatusConfirmed,
	models.StatusHeld:      ics.ObjectStatusConfirmed,
	models.StatusPostponed: ics.ObjectStatusTentative,
	models.StatusCancelled: ics.ObjectStatusCancelled,
}

// icsEventOf maps an event onto a VEVENT.
func icsEventOf(e *models.Event) *ics.VEvent {
	v := ics.NewEvent(e.ID.String() + "@parley")
	stamp := e.UpdatedAt
	if stamp.IsZero() {
		stamp = e.CreatedAt
	}
	if stamp.IsZero() {
		stamp = e.Date.Start
	}
	v.SetDtStampTime(stamp)
	if !e.CreatedAt.IsZero() {
		v.SetCreatedTime(e.CreatedAt)
	}
	if !e.UpdatedAt.IsZero() {
		v.SetModifiedAt(e.UpdatedAt)
	}
	v.SetSummary(icsText(e.Title))
	if e.Date.Precision.Rank() >= models.PrecisionMinute.Rank() {
		v.SetStartAt(e.Date.Start)
		if e.Date.End.After(e.Date.Start) {
			v.SetEndAt(e.Date.End)
		}
	} else {
		start, end := icsDays(e.Date)
		v.SetAllDayStartAt(start)
		v.SetAllDayEndAt(end)
	}
	v.SetDescription(icsText(icsDescription(e)))
	if l := e.LocationData; l != nil {
		v.SetLocation(icsText(l.Name))
		if l.Latitude != nil && l.Longitude != nil {
			v.SetProperty(ics.ComponentPropertyGeo, exportFloat(*l.Latitude)+";"+exportFloat(*l.Longitude))
		}
	}
	for _, s := range e.SourcesData {
		if s.URL != "" {
			v.SetURL(s.URL)
			break
		}
	}
	if e.Type != "" {
		v.AddCategory(icsText(string(e.Type)))
	}
	for _, t := range e.Tags {
		v.AddCategory(icsText(t))
	}
	if st, ok := icsStatus[e.Status]; ok {
		v.SetStatus(st)
	}
	v.SetTimeTransparency(ics.TransparencyTransparent)
	return v
}

// icsDays is the all-day span of a date: its first day and the day after its last
// (DTEND is exclusive), in UTC where parley's intervals live.
func icsDays(d models.Date) (start, end time.Time) {
	s, e := d.Start.UTC(), d.End.UTC()
	start = time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, time.UTC)
	end = time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, time.UTC)
	if end.Before(e) {
		end = end.AddDate(0, 0, 1) // a bound inside a day ends after that day
	}
	if !end.After(start) {
		end = start.AddDate(0, 0, 1)
	}
	return start, end
}

// icsDescription is the summary, the date as stated, the participants with roles and
// the credits of the sources.
func icsDescription(e *models.Event) string {
	var b strings.Builder
	b.WriteString(e.Summary)
	if b.Len() > 0 {
		b.WriteString("\n\n")
	}
	b.WriteString("Date: " + DisplayDate(e.Date))
	if len(e.Participants) > 0 {
		b.WriteString("\nParticipants: ")
		for i, p := range e.Participants {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(exportParticipantName(p) + " (" + roleText(p.Role) + ")")
		}
	}
	if credits := sourceCredits(e.SourcesData); len(credits) > 0 {
		b.WriteString("\nSources: " + strings.Join(credits, "; "))
	}
	return b.String()
}

// icsText makes text safe for an iCalendar TEXT value, which golang-ical then escapes:
// line breaks become "\n" (a bare CR would end the content line) and other control
// characters, which RFC 5545 does not allow, are dropped.
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if strings.IndexFunc(s, icsControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if icsControl(r) {
			return -1
		}
		return r
	}, s)
}

func icsControl(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }
