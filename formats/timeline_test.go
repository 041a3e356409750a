package formats_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/seed"
)

// ev builds a minimal event.
func ev(slug, title, edtf string) models.Event {
	return models.Event{Slug: slug, Title: title, Type: models.EventMeeting, Status: models.StatusHeld,
		Date: models.MustParseDate(edtf)}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	if reflect.ValueOf(v).IsNil() {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDates checks, for each precision, qualifier and kind of interval, the TimelineJS
// start_date, end_date and display_date and the vis start, end and type.
func TestDates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, edtf         string
		start, end         string // TimelineJS dates as JSON; end "" = no end_date
		display            string
		visStart, visEnd   string
		visType            string
		precision, classes string // vis className must contain classes
	}{
		{"year", "2026",
			`{"year":2026}`, "", "2026",
			"2026-01-01", "2027-01-01", "range", "year", "parley-precision-year"},
		{"month", "2025-08",
			`{"year":2025,"month":8}`, "", "August 2025",
			"2025-08-01", "2025-09-01", "range", "month", "parley-precision-month"},
		{"day", "2026-01-22",
			`{"year":2026,"month":1,"day":22}`, "", "22 January 2026",
			"2026-01-22", "2026-01-23", "range", "day", "parley-precision-day"},
		{"minute with an offset is placed at its instant in UTC", "2026-01-23T18:00+04:00",
			`{"year":2026,"month":1,"day":23,"hour":14,"minute":0}`, "", "23 January 2026, 18:00 (UTC+04:00)",
			"2026-01-23T18:00:00+04:00", "", "point", "minute", "parley-precision-minute"},
		{"minute west of UTC is placed on the next day in UTC", "2026-01-23T23:30-05:00",
			`{"year":2026,"month":1,"day":24,"hour":4,"minute":30}`, "", "23 January 2026, 23:30 (UTC-05:00)",
			"2026-01-23T23:30:00-05:00", "", "point", "minute", ""},
		{"second at midnight UTC keeps hour 0", "2026-01-23T00:00:15Z",
			`{"year":2026,"month":1,"day":23,"hour":0,"minute":0,"second":15}`, "", "23 January 2026, 00:00:15 (UTC)",
			"2026-01-23T00:00:15Z", "", "point", "second", ""},
		{"minute without an offset", "2026-01-23T09:05",
			`{"year":2026,"month":1,"day":23,"hour":9,"minute":5}`, "", "23 January 2026, 09:05",
			"2026-01-23T09:05:00Z", "", "point", "minute", ""},
		{"approximate month", "2025-08~",
			`{"year":2025,"month":8}`, "", "c. August 2025",
			"2025-08-01", "2025-09-01", "range", "month", "parley-approximate"},
		{"uncertain year", "2026?",
			`{"year":2026}`, "", "2026?",
			"2026-01-01", "2027-01-01", "range", "year", "parley-uncertain"},
		{"approximate and uncertain day", "2026-01-23%",
			`{"year":2026,"month":1,"day":23}`, "", "c. 23 January 2026?",
			"2026-01-23", "2026-01-24", "range", "day", "parley-approximate parley-uncertain"},
		{"day interval: end_date is the last day, vis end exclusive", "2026-01-23/2026-01-24",
			`{"year":2026,"month":1,"day":23}`, `{"year":2026,"month":1,"day":24}`, "23–24 January 2026",
			"2026-01-23", "2026-01-25", "range", "day", ""},
		{"approximate day interval", "2026-01-22~/2026-01-23~",
			`{"year":2026,"month":1,"day":22}`, `{"year":2026,"month":1,"day":23}`, "c. 22–23 January 2026",
			"2026-01-22", "2026-01-24", "range", "day", "parley-approximate"},
		{"ends qualified differently", "2026-01-22~/2026-01-24",
			`{"year":2026,"month":1,"day":22}`, `{"year":2026,"month":1,"day":24}`, "c. 22 January 2026 – 24 January 2026",
			"2026-01-22", "2026-01-25", "range", "day", ""},
		{"day interval across months", "2026-01-30/2026-02-02",
			`{"year":2026,"month":1,"day":30}`, `{"year":2026,"month":2,"day":2}`, "30 January – 2 February 2026",
			"2026-01-30", "2026-02-03", "range", "day", ""},
		{"day interval across years", "2025-12-30/2026-01-02",
			`{"year":2025,"month":12,"day":30}`, `{"year":2026,"month":1,"day":2}`, "30 December 2025 – 2 January 2026",
			"2025-12-30", "2026-01-03", "range", "day", ""},
		{"month interval", "2025-08/2025-09",
			`{"year":2025,"month":8}`, `{"year":2025,"month":9}`, "August–September 2025",
			"2025-08-01", "2025-10-01", "range", "month", ""},
		{"month interval across years", "2025-12/2026-01",
			`{"year":2025,"month":12}`, `{"year":2026,"month":1}`, "December 2025 – January 2026",
			"2025-12-01", "2026-02-01", "range", "month", ""},
		{"year interval", "2025/2026",
			`{"year":2025}`, `{"year":2026}`, "2025–2026",
			"2025-01-01", "2027-01-01", "range", "year", ""},
		{"ends of different precision", "2025-08/2025-09-15",
			`{"year":2025,"month":8}`, `{"year":2025,"month":9,"day":15}`, "August 2025 – 15 September 2025",
			"2025-08-01", "2025-09-16", "range", "month", ""},
		{"minute interval on one day", "2026-01-23T10:00+04:00/2026-01-23T14:00+04:00",
			`{"year":2026,"month":1,"day":23,"hour":6,"minute":0}`, `{"year":2026,"month":1,"day":23,"hour":10,"minute":0}`,
			"23 January 2026, 10:00–14:00 (UTC+04:00)",
			"2026-01-23T10:00:00+04:00", "2026-01-23T14:01:00+04:00", "range", "minute", ""},
		{"minute interval over midnight", "2026-01-22T22:00Z/2026-01-23T02:00Z",
			`{"year":2026,"month":1,"day":22,"hour":22,"minute":0}`, `{"year":2026,"month":1,"day":23,"hour":2,"minute":0}`,
			"22 January 2026, 22:00 (UTC) – 23 January 2026, 02:00 (UTC)",
			"2026-01-22T22:00:00Z", "2026-01-23T02:01:00Z", "range", "minute", ""},
		{"a day to a minute", "2026-01-23/2026-01-24T10:00+04:00",
			`{"year":2026,"month":1,"day":23}`, `{"year":2026,"month":1,"day":24,"hour":6,"minute":0}`,
			"23 January 2026 – 24 January 2026, 10:00 (UTC+04:00)",
			"2026-01-23", "2026-01-24T10:01:00+04:00", "range", "day", ""},
		{"an interval of one day is a single day", "2026-01-23/2026-01-23",
			`{"year":2026,"month":1,"day":23}`, "", "23 January 2026",
			"2026-01-23", "2026-01-24", "range", "day", ""},
	}
	// TimelineJS's display_date adds the time in UTC, where TimelineJS places the slide,
	// when the text gave another offset; elsewhere it is the display date.
	tlDisplay := map[string]string{
		"minute with an offset is placed at its instant in UTC": "23 January 2026, 18:00 (UTC+04:00) = 14:00 UTC",
		"minute west of UTC is placed on the next day in UTC":   "23 January 2026, 23:30 (UTC-05:00) = 24 January 2026, 04:30 UTC",
		"minute interval on one day":                            "23 January 2026, 10:00–14:00 (UTC+04:00) = 06:00–10:00 UTC",
		"a day to a minute":                                     "23 January 2026 – 24 January 2026, 10:00 (UTC+04:00) = 23 January 2026 – 24 January 2026, 06:00 UTC",
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := ev("e", "E", tc.edtf)
			if string(e.Date.Precision) != tc.precision {
				t.Fatalf("precision %s, want %s", e.Date.Precision, tc.precision)
			}
			if got := formats.DisplayDate(e.Date); got != tc.display {
				t.Errorf("DisplayDate %q, want %q", got, tc.display)
			}
			doc := formats.TimelineJS([]models.Event{e}, formats.TimelineOptions{})
			s := doc.Events[0]
			if got := jsonOf(t, s.StartDate); got != tc.start {
				t.Errorf("start_date %s, want %s", got, tc.start)
			}
			if got := jsonOf(t, s.EndDate); got != tc.end {
				t.Errorf("end_date %s, want %s", got, tc.end)
			}
			wantTL := tc.display
			if d, ok := tlDisplay[tc.name]; ok {
				wantTL = d
			}
			if s.DisplayDate != wantTL {
				t.Errorf("display_date %q, want %q", s.DisplayDate, wantTL)
			}
			v := formats.Vis([]models.Event{e}, formats.TimelineOptions{})
			it := v.Items[0]
			if it.Start != tc.visStart || it.End != tc.visEnd || it.Type != tc.visType {
				t.Errorf("vis %s–%s %s, want %s–%s %s", it.Start, it.End, it.Type, tc.visStart, tc.visEnd, tc.visType)
			}
			if !strings.Contains(it.ClassName, tc.classes) {
				t.Errorf("className %q lacks %q", it.ClassName, tc.classes)
			}
			if !strings.HasPrefix(it.Title, tc.display+": ") {
				t.Errorf("vis title %q does not start with the display date", it.Title)
			}
		})
	}
}

// TestDateOutOfEDTF: a Date built by hand, without EDTF text, still encodes.
func TestDateOutOfEDTF(t *testing.T) {
	t.Parallel()
	d := models.MustParseDate("2026-01-23")
	d.EDTF = ""
	e := models.Event{Slug: "x", Title: "X", Date: d}
	s := formats.TimelineJS([]models.Event{e}, formats.TimelineOptions{}).Events[0]
	if got := jsonOf(t, s.StartDate); got != `{"year":2026,"month":1,"day":23}` || s.EndDate != nil {
		t.Errorf("start %s end %v", got, s.EndDate)
	}
	if it := formats.Vis([]models.Event{e}, formats.TimelineOptions{}).Items[0]; it.Start != "2026-01-23" || it.End != "2026-01-24" {
		t.Errorf("vis %+v", it)
	}
}

func slideIDs(d formats.TimelineJSDoc) []string {
	var out []string
	for _, s := range d.Events {
		out = append(out, s.UniqueID)
	}
	return out
}

func itemIDs(d formats.VisDoc) []string {
	var out []string
	for _, it := range d.Items {
		out = append(out, it.ID)
	}
	return out
}

// TestOrderAndUniqueness: the order given is kept (the encoders never sort), each event
// appears once, and ids are unique even for events without slugs or ids.
func TestOrderAndUniqueness(t *testing.T) {
	t.Parallel()
	late, early, mid := ev("late", "Late", "2026-03"), ev("early", "Early", "2001"), ev("mid", "Mid", "2020-05-05")
	noSlug := ev("", "No slug", "2020")
	noSlug.ID = models.NewID()
	anon1, anon2 := ev("", "Anonymous 1", "2021"), ev("", "Anonymous 2", "2022")
	clash := ev("event-7", "Slug like a generated key", "2023") // anon2's position would give event-7
	in := []models.Event{late, early, mid, late, noSlug, anon1, anon2, clash, noSlug}
	want := []string{"late", "early", "mid", noSlug.ID.String(), "event-6", "event-7-x", "event-7"}

	tl := formats.TimelineJS(in, formats.TimelineOptions{})
	vis := formats.Vis(in, formats.TimelineOptions{})
	if got := slideIDs(tl); !slices.Equal(got, want) {
		t.Errorf("TimelineJS unique_ids %v, want %v", got, want)
	}
	if got := itemIDs(vis); !slices.Equal(got, want) {
		t.Errorf("vis ids %v, want %v", got, want)
	}
	titles := []string{"Late", "Early", "Mid", "No slug", "Anonymous 1", "Anonymous 2", "Slug like a generated key"}
	for i, s := range tl.Events {
		if s.Text.Headline != titles[i] || vis.Items[i].Content != titles[i] {
			t.Errorf("event %d: %q / %q, want %q", i, s.Text.Headline, vis.Items[i].Content, titles[i])
		}
	}

	empty := formats.TimelineJS(nil, formats.TimelineOptions{})
	b, _ := json.Marshal(empty)
	if string(b) != `{"events":[]}` {
		t.Errorf("no events: %s", b)
	}
	b, _ = json.Marshal(formats.Vis(nil, formats.TimelineOptions{}))
	if string(b) != `{"items":[]}` {
		t.Errorf("no events (vis): %s", b)
	}
}

// TestTitleSlide: the title slide exists only with a title, has no date and is escaped.
func TestTitleSlide(t *testing.T) {
	t.Parallel()
	in := []models.Event{ev("a", "A", "2026"), ev("b", "B", "2026")}
	if d := formats.TimelineJS(in, formats.TimelineOptions{}); d.Title != nil {
		t.Errorf("title slide without a title: %+v", d.Title)
	}
	d := formats.TimelineJS(in, formats.TimelineOptions{Title: "Talks <2026> & after"})
	if d.Title == nil || d.Title.StartDate != nil || d.Title.Text.Headline != "Talks &lt;2026&gt; &amp; after" ||
		d.Title.Text.Text != "<p>2 events</p>" {
		t.Errorf("title slide %+v %+v", d.Title, d.Title.Text)
	}
}

// rich is an event with everything embedded, like the store returns with include=all:
// the participants' actors and whom they represent, the speakers of its statements.
func rich() models.Event {
	russia := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "russia", Name: "Russia", Kind: models.ActorState}
	us := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "united-states", Name: "United States", Kind: models.ActorState}
	putin := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "vladimir-putin", Name: "Vladimir Putin", Kind: models.ActorPerson}
	witkoff := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "steve-witkoff", Name: "Steve Witkoff", Kind: models.ActorPerson}
	ushakov := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "yuri-ushakov", Name: "Yuri Ushakov",
		Kind: models.ActorPerson, Title: "Kremlin foreign policy aide"}
	wh := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "white-house", Name: "White House", Kind: models.ActorOrganization}
	moscow := models.Location{Meta: models.Meta{ID: models.NewID()}, Slug: "moscow", Name: "Moscow", Country: "RU"}
	e := ev("putin-witkoff-moscow", "Putin meets Witkoff in Moscow", "2026-01-22~/2026-01-23~")
	e.Summary = "A late-night meeting in Moscow."
	e.Location = models.RefTo(moscow.ID)
	e.LocationData = &moscow
	e.Participants = []models.Participant{
		{Actor: *models.RefTo(putin.ID), Role: models.RoleHost, Represents: models.RefTo(russia.ID), ActorData: &putin, RepresentsData: &russia},
		{Actor: *models.RefTo(witkoff.ID), Role: models.RoleHeadOfDelegation, Represents: models.RefTo(us.ID), ActorData: &witkoff, RepresentsData: &us},
	}
	e.StatementsData = []models.Statement{
		{Text: "exceptionally in-depth, constructive, and extremely frank", Quote: true, Speaker: models.RefTo(ushakov.ID), SpeakerData: &ushakov},
		{Text: "The talks lasted for four hours.", Quote: false, Speaker: models.RefTo(ushakov.ID), SpeakerData: &ushakov},
		{Text: "productive", Quote: true, Speaker: models.RefTo(wh.ID), Attribution: "a White House official", Medium: "remarks to NBC News", SpeakerData: &wh},
	}
	e.SourcesData = []models.Source{
		{Outlet: "Meduza", Title: "Russia and Ukraine hold talks", URL: "https://meduza.io/en/news/x?a=1&b=2", Published: models.MustParseDate("2026-01-23")},
		{Outlet: "TASS", Published: models.MustParseDate("2026-01-23")},
		{}, // not found by the store
	}
	return e
}

// TestSlideText: the slide body has the summary, participants with roles and whom they
// represent, the location, the quotes only, with speakers, and the sources.
func TestSlideText(t *testing.T) {
	t.Parallel()
	e := rich()
	s := formats.TimelineJS([]models.Event{e}, formats.TimelineOptions{}).Events[0]
	if s.Text.Headline != "Putin meets Witkoff in Moscow" {
		t.Errorf("headline %q", s.Text.Headline)
	}
	if s.Autolink == nil || *s.Autolink {
		t.Errorf("autolink should be false: parley writes its own links")
	}
	want := []string{
		"<p>A late-night meeting in Moscow.</p>",
		"<strong>Participants:</strong> Vladimir Putin (host, representing Russia), Steve Witkoff (head of delegation, representing United States)</p>",
		"<strong>Location:</strong> Moscow, RU</p>",
		"<blockquote><p>exceptionally in-depth, constructive, and extremely frank</p><cite>Yuri Ushakov, Kremlin foreign policy aide</cite></blockquote>",
		"<blockquote><p>productive</p><cite>a White House official (White House), remarks to NBC News</cite></blockquote>",
		`<strong>Sources:</strong> <a href="https://meduza.io/en/news/x?a=1&amp;b=2">Meduza: “Russia and Ukraine hold talks”</a> (23 January 2026); TASS (23 January 2026)</p>`,
	}
	for _, w := range want {
		if !strings.Contains(s.Text.Text, w) {
			t.Errorf("text lacks %s\ntext: %s", w, s.Text.Text)
		}
	}
	if strings.Contains(s.Text.Text, "four hours") {
		t.Errorf("a paraphrase (quote=false) is in the slide: %s", s.Text.Text)
	}
	if strings.Count(s.Text.Text, "<blockquote>") != 2 {
		t.Errorf("want 2 blockquotes: %s", s.Text.Text)
	}
	// The HTML is well-formed enough for TimelineJS: every tag opened is closed.
	for _, tag := range []string{"p", "blockquote", "cite", "strong", "a", "em"} {
		if o, c := strings.Count(s.Text.Text, "<"+tag+">")+strings.Count(s.Text.Text, "<"+tag+" "), strings.Count(s.Text.Text, "</"+tag+">"); o != c {
			t.Errorf("<%s>: %d opened, %d closed", tag, o, c)
		}
	}

	it := formats.Vis([]models.Event{e}, formats.TimelineOptions{}).Items[0]
	if it.Title != "c. 22–23 January 2026 · Moscow: A late-night meeting in Moscow." {
		t.Errorf("vis title %q", it.Title)
	}
}

// TestFallbacks: events as the store returns them without include: participants by
// id, no location, no quotes, no sources; an actor embedded elsewhere in the document
// names it here too.
func TestFallbacks(t *testing.T) {
	t.Parallel()
	e := rich()
	bare := e
	bare.LocationData, bare.StatementsData, bare.SourcesData = nil, nil, nil
	bare.Participants = slices.Clone(e.Participants)
	for i := range bare.Participants {
		bare.Participants[i].ActorData, bare.Participants[i].RepresentsData = nil, nil
	}
	doc := formats.TimelineJS([]models.Event{bare}, formats.TimelineOptions{GroupBy: formats.GroupByLocation})
	s := doc.Events[0]
	p0, p1 := bare.Participants[0], bare.Participants[1]
	wantP := "Participants:</strong> " + p0.Actor.ID.String() + " (host, representing " + p0.Represents.ID.String() + "), " +
		p1.Actor.ID.String() + " (head of delegation, representing " + p1.Represents.ID.String() + ")"
	if !strings.Contains(s.Text.Text, wantP) {
		t.Errorf("participants by id: want %s in %s", wantP, s.Text.Text)
	}
	for _, no := range []string{"Location:", "blockquote", "Sources:"} {
		if strings.Contains(s.Text.Text, no) {
			t.Errorf("%s without embedded data: %s", no, s.Text.Text)
		}
	}
	if s.Group != formats.UnknownLocation {
		t.Errorf("group %q, want %q", s.Group, formats.UnknownLocation)
	}

	// With the actors embedded in another event of the document, names come back.
	other := e
	other.Slug = "other"
	s = formats.TimelineJS([]models.Event{bare, other}, formats.TimelineOptions{}).Events[0]
	if !strings.Contains(s.Text.Text, "(host, representing Russia)") {
		t.Errorf("represented actor embedded in another event: %s", s.Text.Text)
	}
	// Unresolved references (slugs, e.g. from the seed file) are looked up by slug.
	bySlug := bare
	bySlug.Participants = []models.Participant{{Actor: *models.RefBySlug("russia"), Role: models.RoleDelegation}}
	s = formats.TimelineJS([]models.Event{bySlug, other}, formats.TimelineOptions{}).Events[0]
	if !strings.Contains(s.Text.Text, "Russia (delegation)") {
		t.Errorf("slug lookup: %s", s.Text.Text)
	}

	// A statement by an unknown speaker shows its id; an event with nothing shows
	// nothing but its meta line.
	e2 := ev("x", "X", "2026")
	e2.StatementsData = []models.Statement{{Text: "q", Quote: true, Speaker: models.RefTo(models.NewID())}}
	s = formats.TimelineJS([]models.Event{e2}, formats.TimelineOptions{}).Events[0]
	if !strings.Contains(s.Text.Text, "<cite>"+e2.StatementsData[0].Speaker.ID.String()+"</cite>") {
		t.Errorf("unknown speaker: %s", s.Text.Text)
	}
}

// TestEscaping: user text never reaches the documents as markup.
func TestEscaping(t *testing.T) {
	t.Parallel()
	const xss = `<script>alert("x")</script>`
	const img = `<img src=x onerror=alert(1)>`
	a := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "evil", Name: img + " & Co"}
	l := models.Location{Meta: models.Meta{ID: models.NewID()}, Slug: "evil-town", Name: "&lt;img src=x onerror=alert(2)&gt;"}
	e := ev("evil-event", "Talks "+xss, "2026-01-23")
	e.Summary = "Summary " + xss
	e.Participants = []models.Participant{{Actor: *models.RefTo(a.ID), Role: models.RoleHost, ActorData: &a}}
	e.LocationData = &l
	e.StatementsData = []models.Statement{{Text: "quote " + xss, Quote: true, Speaker: models.RefTo(a.ID),
		Attribution: "a source " + img, Medium: "medium " + xss}}
	e.SourcesData = []models.Source{
		{Outlet: "Outlet " + xss, Title: "Title " + img, URL: `https://example.org/"><script>alert(3)</script>`},
		{Outlet: "Bad link", URL: "javascript:alert(4)"},
	}
	opt := formats.TimelineOptions{Title: xss}

	tl := formats.TimelineJS([]models.Event{e}, opt)
	s := tl.Events[0]
	if s.Text.Headline != "Talks &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" {
		t.Errorf("headline not escaped: %q", s.Text.Headline)
	}
	for name, v := range map[string]string{"title headline": tl.Title.Text.Headline, "headline": s.Text.Headline, "text": s.Text.Text} {
		if strings.Contains(v, "<script") || strings.Contains(v, "<img") {
			t.Errorf("%s carries markup: %s", name, v)
		}
	}
	if strings.Contains(s.Text.Text, "javascript:") && strings.Contains(s.Text.Text, `href="javascript`) {
		t.Errorf("javascript: URL linked: %s", s.Text.Text)
	}
	if !strings.Contains(s.Text.Text, `<a href="https://example.org/&#34;&gt;&lt;script&gt;alert(3)&lt;/script&gt;">`) {
		t.Errorf("URL not escaped into the href: %s", s.Text.Text)
	}
	// Group labels are plain text that TimelineJS decodes and writes as HTML: no angle
	// brackets, and & escaped, so an entity in the data cannot become a tag.
	for _, by := range []string{formats.GroupByActor, formats.GroupByLocation} {
		g := formats.TimelineJS([]models.Event{e}, formats.TimelineOptions{GroupBy: by}).Events[0].Group
		if strings.ContainsAny(g, "<>") || strings.Contains(strings.ReplaceAll(g, "&amp;", ""), "&") {
			t.Errorf("group by %s: %q", by, g)
		}
	}
	if g := formats.TimelineJS([]models.Event{e}, formats.TimelineOptions{GroupBy: formats.GroupByActor}).Events[0].Group; g != "‹img src=x onerror=alert(1)› &amp; Co" {
		t.Errorf("actor group %q", g)
	}

	v := formats.Vis([]models.Event{e}, formats.TimelineOptions{GroupBy: formats.GroupByActor})
	it := v.Items[0]
	for name, s := range map[string]string{"content": it.Content, "title": it.Title, "group content": v.Groups[0].Content} {
		if strings.Contains(s, "<script") || strings.Contains(s, "<img") {
			t.Errorf("vis %s carries markup: %s", name, s)
		}
	}
	if it.Content != "Talks &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" {
		t.Errorf("vis content %q", it.Content)
	}
	if v.Groups[0].Content != "&lt;img src=x onerror=alert(1)&gt; &amp; Co" {
		t.Errorf("vis group content %q", v.Groups[0].Content)
	}
}

// TestGroupBy: lanes by type, first participant and location, in TimelineJS and vis.
func TestGroupBy(t *testing.T) {
	t.Parallel()
	russia := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "russia", Name: "Russia"}
	ukraine := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "ukraine", Name: "Ukraine"}
	ad := models.Location{Meta: models.Meta{ID: models.NewID()}, Slug: "abu-dhabi", Name: "Abu Dhabi"}
	part := func(as ...*models.Actor) []models.Participant {
		var ps []models.Participant
		for _, a := range as {
			ps = append(ps, models.Participant{Actor: *models.RefTo(a.ID), Role: models.RoleDelegation, ActorData: a})
		}
		return ps
	}
	e1 := ev("e1", "E1", "2026-01-23")
	e1.Type, e1.Participants, e1.LocationData = models.EventNegotiation, part(&ukraine, &russia), &ad
	e2 := ev("e2", "E2", "2026-01-24")
	e2.Type, e2.Participants = models.EventCall, part(&russia, &ukraine) // no location
	e3 := ev("e3", "E3", "2026-01-25")
	e3.Type, e3.Participants, e3.LocationData = models.EventNegotiation, nil, &ad
	e4 := ev("e4", "E4", "2026-01-26")
	e4.Type, e4.Participants = models.EventMeeting, part(&ukraine)
	in := []models.Event{e1, e2, e3, e4}

	cases := []struct {
		by         string
		tlGroups   []string // per event
		visGroups  []string // per item
		groups     []formats.VisGroup
		visGroupOK bool
	}{
		{"", []string{"", "", "", ""}, []string{"", "", "", ""}, nil, true},
		{formats.GroupByType,
			[]string{"negotiation", "call", "negotiation", "meeting"},
			[]string{"type:negotiation", "type:call", "type:negotiation", "type:meeting"},
			[]formats.VisGroup{{ID: "type:negotiation", Content: "negotiation", Order: 0}, {ID: "type:call", Content: "call", Order: 1}, {ID: "type:meeting", Content: "meeting", Order: 2}}, true},
		{formats.GroupByActor,
			[]string{"Ukraine", "Russia", formats.NoParticipants, "Ukraine"},
			[]string{"actor:ukraine", "actor:russia", "actor:", "actor:ukraine"},
			[]formats.VisGroup{{ID: "actor:ukraine", Content: "Ukraine", Order: 0}, {ID: "actor:russia", Content: "Russia", Order: 1}, {ID: "actor:", Content: formats.NoParticipants, Order: 2}}, true},
		{formats.GroupByLocation,
			[]string{"Abu Dhabi", formats.UnknownLocation, "Abu Dhabi", formats.UnknownLocation},
			[]string{"location:abu-dhabi", "location:", "location:abu-dhabi", "location:"},
			[]formats.VisGroup{{ID: "location:abu-dhabi", Content: "Abu Dhabi", Order: 0}, {ID: "location:", Content: formats.UnknownLocation, Order: 1}}, true},
		{"unknown", []string{"", "", "", ""}, []string{"", "", "", ""}, nil, false},
	}
	for _, tc := range cases {
		t.Run("by "+tc.by, func(t *testing.T) {
			if formats.ValidGroupBy(tc.by) != tc.visGroupOK {
				t.Errorf("ValidGroupBy(%q) = %v", tc.by, !tc.visGroupOK)
			}
			opt := formats.TimelineOptions{GroupBy: tc.by}
			tl := formats.TimelineJS(in, opt)
			for i, s := range tl.Events {
				if s.Group != tc.tlGroups[i] {
					t.Errorf("TimelineJS event %d group %q, want %q", i, s.Group, tc.tlGroups[i])
				}
			}
			v := formats.Vis(in, opt)
			for i, it := range v.Items {
				if it.Group != tc.visGroups[i] {
					t.Errorf("vis item %d group %q, want %q", i, it.Group, tc.visGroups[i])
				}
			}
			if !reflect.DeepEqual(v.Groups, tc.groups) {
				t.Errorf("vis groups %+v, want %+v", v.Groups, tc.groups)
			}
			// Every item's group is listed once.
			ids := map[string]int{}
			for _, g := range v.Groups {
				ids[g.ID]++
			}
			for _, it := range v.Items {
				if it.Group != "" && ids[it.Group] != 1 {
					t.Errorf("item %s: group %q listed %d times", it.ID, it.Group, ids[it.Group])
				}
			}
			b, _ := json.Marshal(v)
			if tc.groups == nil && strings.Contains(string(b), `"groups"`) {
				t.Errorf("ungrouped vis document has groups: %s", b)
			}
		})
	}
}

// TestTLDateDecoding: TimelineJS dates are read as TimelineJS reads them.
func TestTLDateDecoding(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		`{"year":2026,"month":1,"day":23}`:             `{"year":2026,"month":1,"day":23}`,
		`{"year":"1963","month":"8","day":"9"}`:        `{"year":1963,"month":8,"day":9}`,
		`{"year":"1815","month":"","day":""}`:          `{"year":1815}`,
		`{"year":"-44","month":null}`:                  `{"year":-44}`,
		`{"year":2026,"hour":"0","minute":0}`:          `{"year":2026,"hour":0,"minute":0}`,
		`{"year":2026,"display_date":"x","format":""}`: `{"year":2026,"display_date":"x"}`,
		`{"year":""}`: `{"year":0}`,
	}
	for in, want := range good {
		var d formats.TLDate
		if err := models.UnmarshalStrict([]byte(in), &d); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := jsonOf(t, &d); got != want {
			t.Errorf("%s -> %s, want %s", in, got, want)
		}
	}
	for _, in := range []string{`{"year":"8.5"}`, `{"year":8.5}`, `{"year":"abc"}`, `{"year":true}`,
		`{"year":2026,"mnth":1}`, `{"year":2026,"Year":2027}`, `{"year":2026,"year":2027}`, `[]`} {
		var d formats.TLDate
		if err := models.UnmarshalStrict([]byte(in), &d); err == nil {
			t.Errorf("%s accepted as %+v", in, d)
		}
	}
}

// TestOfficialExamples decodes Knight Lab's own TimelineJS documents strictly into
// TimelineJSDoc, so the types accept the real format (no member unknown to them), and
// checks that parley's output has the examples' shape. See testdata/ORIGIN.md.
func TestOfficialExamples(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file   string
		events int
		first  string
	}{
		{"timelinejs-houston.json", 18, `{"year":1963,"month":8,"day":9}`},
		{"timelinejs-women-in-computing-groups.json", 10, `{"year":1815,"month":12,"day":10}`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var doc formats.TimelineJSDoc
			if err := models.UnmarshalStrict(b, &doc); err != nil {
				t.Fatalf("strict decode: %v", err)
			}
			if len(doc.Events) != tc.events || doc.Title == nil || doc.Title.Text == nil || doc.Title.Text.Headline == "" {
				t.Fatalf("decoded %d events, title %+v", len(doc.Events), doc.Title)
			}
			if got := jsonOf(t, doc.Events[0].StartDate); got != tc.first {
				t.Errorf("first start_date %s, want %s", got, tc.first)
			}
			for i, s := range doc.Events {
				if s.StartDate == nil || s.StartDate.Year == 0 || s.Text == nil {
					t.Errorf("event %d: %+v", i, s)
				}
			}
			// The same members, at the same places, as parley writes.
			ours := formats.TimelineJS([]models.Event{ev("a", "A", "2026-01-23/2026-01-24")}, formats.TimelineOptions{Title: "T", GroupBy: "type"})
			var theirs, mine map[string]any
			if err := json.Unmarshal(b, &theirs); err != nil {
				t.Fatal(err)
			}
			ob, _ := json.Marshal(ours)
			if err := json.Unmarshal(ob, &mine); err != nil {
				t.Fatal(err)
			}
			shape := func(m map[string]any) []string {
				var keys []string
				for k := range m {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				return keys
			}
			if got, want := shape(mine), shape(theirs); !slices.Equal(got, want) {
				t.Errorf("top level: ours %v, theirs %v", got, want)
			}
			ev0 := theirs["events"].([]any)[0].(map[string]any)
			mine0 := mine["events"].([]any)[0].(map[string]any)
			for _, k := range []string{"start_date", "text"} {
				if _, ok := ev0[k]; !ok {
					t.Errorf("example event lacks %s", k)
				}
				if _, ok := mine0[k]; !ok {
					t.Errorf("our event lacks %s", k)
				}
			}
			for k := range mine0["text"].(map[string]any) {
				if _, ok := ev0["text"].(map[string]any)[k]; !ok {
					t.Errorf("our text member %q is not in the example", k)
				}
			}
			// And what parley writes reads back strictly.
			var back formats.TimelineJSDoc
			if err := models.UnmarshalStrict(ob, &back); err != nil {
				t.Fatalf("our own output: %v", err)
			}
			if !reflect.DeepEqual(back, ours) {
				t.Errorf("round trip:\n%+v\n%+v", back, ours)
			}
		})
	}
	t.Run("vistimeline-basic.json", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join("testdata", "vistimeline-basic.json"))
		if err != nil {
			t.Fatal(err)
		}
		var items []map[string]any
		if err := json.Unmarshal(b, &items); err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		rt := reflect.TypeOf(formats.VisItem{})
		for i := 0; i < rt.NumField(); i++ {
			names[strings.Split(rt.Field(i).Tag.Get("json"), ",")[0]] = true
		}
		for _, it := range items {
			for k := range it {
				if !names[k] {
					t.Errorf("vis example member %q has no VisItem field", k)
				}
			}
		}
	})
}

// embedSeed joins the built-in dataset the way the store's include does, sorted by date.
func embedSeed(t *testing.T) []models.Event {
	t.Helper()
	f, err := seed.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	actors := map[string]*models.Actor{}
	for i := range f.Actors {
		actors[f.Actors[i].Slug] = &f.Actors[i]
	}
	locs := map[string]*models.Location{}
	for i := range f.Locations {
		locs[f.Locations[i].Slug] = &f.Locations[i]
	}
	srcs := map[string]models.Source{}
	for _, s := range f.Sources {
		srcs[s.Slug] = s
	}
	events := slices.Clone(f.Events)
	for i := range events {
		e := &events[i]
		for j := range e.Participants {
			p := &e.Participants[j]
			p.ActorData = actors[p.Actor.Slug]
			if p.Represents != nil {
				p.RepresentsData = actors[p.Represents.Slug]
			}
		}
		if e.Location != nil {
			e.LocationData = locs[e.Location.Slug]
		}
		for _, r := range e.Sources {
			e.SourcesData = append(e.SourcesData, srcs[r.Slug])
		}
		for _, s := range f.Statements {
			if s.Event != nil && s.Event.Slug == e.Slug {
				if s.Speaker != nil {
					s.SpeakerData = actors[s.Speaker.Slug]
				}
				if s.SpeaksFor != nil {
					s.SpeaksForData = actors[s.SpeaksFor.Slug]
				}
				e.StatementsData = append(e.StatementsData, s)
			}
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Date.Start.Before(events[j].Date.Start) })
	return events
}

// TestSeedDataset encodes the built-in dataset: every event once, in order, with the
// story's dates and quotes.
func TestSeedDataset(t *testing.T) {
	t.Parallel()
	events := embedSeed(t)
	opt := formats.TimelineOptions{Title: "Abu Dhabi talks", GroupBy: formats.GroupByLocation}
	tl := formats.TimelineJS(events, opt)
	vis := formats.Vis(events, opt)
	var want []string
	for _, e := range events {
		want = append(want, e.Slug)
	}
	if got := slideIDs(tl); !slices.Equal(got, want) {
		t.Errorf("slides %v, want %v", got, want)
	}
	if got := itemIDs(vis); !slices.Equal(got, want) {
		t.Errorf("items %v, want %v", got, want)
	}
	byID := map[string]formats.TLSlide{}
	for _, s := range tl.Events {
		byID[s.UniqueID] = s
	}
	checks := map[string]string{
		"putin-trump-anchorage-summit":         "August 2025",
		"putin-witkoff-kushner-moscow-meeting": "c. 22–23 January 2026",
		"abu-dhabi-trilateral-talks":           "23 January 2026",
		"abu-dhabi-trilateral-talks-day-2":     "24 January 2026",
	}
	for slug, d := range checks {
		if byID[slug].DisplayDate != d {
			t.Errorf("%s: display_date %q, want %q", slug, byID[slug].DisplayDate, d)
		}
	}
	moscow := byID["putin-witkoff-kushner-moscow-meeting"].Text.Text
	for _, w := range []string{"Vladimir Putin (host, representing Russia)", "Steve Witkoff (envoy, representing United States)",
		"<cite>Yuri Ushakov, Kremlin foreign policy aide</cite>", "Location:</strong> Moscow, RU", "Meduza: “Russia and Ukraine hold first joint peace talks with United States” (23 January 2026)"} {
		if !strings.Contains(moscow, w) {
			t.Errorf("Moscow meeting lacks %q: %s", w, moscow)
		}
	}
	day1 := byID["abu-dhabi-trilateral-talks-day-1"].Text.Text
	if !strings.Contains(day1, "<blockquote><p>productive</p><cite>a White House official (White House), remarks to NBC News</cite></blockquote>") {
		t.Errorf("day 1 lacks the White House quote: %s", day1)
	}
	// A quoted fragment is followed by the sentence it was cut from.
	if !strings.Contains(day1, "remarks to NBC News</cite></blockquote><p class=\"parley-context\"><strong>Context:</strong> Speaking to\u00a0NBC News after the first round") {
		t.Errorf("day 1 lacks the context of “productive”: %s", day1)
	}
	if day2 := byID["abu-dhabi-trilateral-talks-day-2"].Text.Text; !strings.Contains(day2, "negotiation · scheduled") {
		t.Errorf("day 2 is scheduled: %s", day2)
	}
	if len(vis.Groups) != 4 || vis.Groups[0].Content != "Anchorage" {
		t.Errorf("vis groups %+v", vis.Groups)
	}
}
