package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/handlers"
	"github.com/parley-api/parley/models"
)

// The browser test's tools: Debian's Chromium and webtest/'s npm packages (npm ci).
// .ci/run installs both; elsewhere the test skips without them, except under CI=true.
const browserChromium = "/usr/bin/chromium"

// requireTools skips the test when tools it needs are missing, or fails it under CI,
// where .ci/run installs them; what names the test in the message.
func requireTools(t *testing.T, what string, missing []string) {
	t.Helper()
	if len(missing) == 0 {
		return
	}
	if browserInCI() {
		t.Fatalf("CI=true and %s cannot run: missing %s (.ci/run installs them)", what, strings.Join(missing, ", "))
	}
	t.Skipf("%s skipped: missing %s", what, strings.Join(missing, ", "))
}

// browserInCI reports whether the CI variable is set to something other than false.
func browserInCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v != "" && v != "false" && v != "0"
}

// browserTools finds chromium, node and webtest/ with its packages installed, and says
// what is missing otherwise; under -short, outside CI, it skips the test.
func browserTools(t *testing.T) (chromium, node, webtest string, missing []string) {
	t.Helper()
	if testing.Short() && !browserInCI() {
		t.Skip("-short: a browser takes seconds to start (CI runs it)")
	}
	chromium = os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = browserChromium
	}
	if _, err := os.Stat(chromium); err != nil {
		missing = append(missing, chromium+" (apt-get install chromium)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node on PATH")
	}
	webtest, err = filepath.Abs(filepath.Join("..", "webtest"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{
		"node_modules/playwright-core/package.json",
		"node_modules/@knight-lab/timelinejs/dist/js/timeline.js",
		"node_modules/@knight-lab/timelinejs/dist/css/timeline.css",
		"node_modules/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js",
		"node_modules/vis-timeline/styles/vis-timeline-graph2d.min.css",
	} {
		if _, err := os.Stat(filepath.Join(webtest, f)); err != nil {
			missing = append(missing, "webtest/"+f+" (cd webtest && npm ci)")
			break
		}
	}
	return chromium, node, webtest, missing
}

// browserJob and browserOutput mirror webtest/render.js's input and output.
type browserJob struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"` // timelinejs or vis
	Doc        string `json:"doc"`
	Screenshot string `json:"screenshot"`
	Focus      string `json:"focus,omitempty"`
}

type browserResult struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Screenshot string `json:"screenshot"`
	Error      string `json:"error"`
	// TimelineJS
	Markers   int      `json:"markers"`
	MarkerIDs []string `json:"markerIds"`
	Slides    int      `json:"slides"`
	Groups    []string `json:"groups"`
	Headlines []string `json:"headlines"`
	Message   string   `json:"message"`
	// Starts is each slide's start as TimelineJS built it (epoch ms, by unique_id),
	// MarkerLefts its marker's offset on the time axis, DateTexts the dates the slides show.
	Starts      map[string]float64 `json:"starts"`
	MarkerLefts map[string]float64 `json:"markerLefts"`
	DateTexts   []string           `json:"dateTexts"`
	// vis-timeline
	ItemElements    int      `json:"itemElements"`
	VisItemElements int      `json:"visItemElements"`
	DisplayedIDs    []string `json:"displayedIds"`
	GroupLabels     []string `json:"groupLabels"`
	Contents        []string `json:"contents"`
	// Pwned is set when markup from a document ran (the hostile data's payload).
	Pwned bool `json:"pwned"`
}

type browserOutput struct {
	BrowserVersion string          `json:"browserVersion"`
	Results        []browserResult `json:"results"`
	Blocked        []string        `json:"blocked"`
	ConsoleErrors  []string        `json:"consoleErrors"`
	PageErrors     []string        `json:"pageErrors"`
}

// browserPublishOnce copies the first run's screenshots to /tmp for people to look at.
var browserPublishOnce sync.Once

// TestBrowserTimelines loads the server's TimelineJS and vis-timeline documents into the
// real libraries in headless Chromium and checks that every event is drawn: one
// TimelineJS marker (and slide) per event, one vis-timeline item per event with the
// window fitted to all of them, in lanes when grouped. Screenshots go to the test's temp
// dir (and, once, to /tmp/parley-timelinejs.png and /tmp/parley-vis.png).
func TestBrowserTimelines(t *testing.T) {
	t.Parallel()
	chromium, node, webtest, missing := browserTools(t)
	requireTools(t, "the browser test", missing)
	pages := httptest.NewServer(http.FileServer(http.Dir(webtest)))
	t.Cleanup(pages.Close)

	each(t, true, func(t *testing.T, c *client) {
		// The events as parley JSON, with everything embedded (the actors they name
		// included): from these the formats package must give exactly what the endpoint
		// serves.
		var list handlers.List[models.Event]
		c.get("/api/v1/timeline").want(t, 200, &list)
		if len(list.Items) < 2 {
			t.Fatalf("the seeded timeline has %d events", len(list.Items))
		}
		slugs := make([]string, len(list.Items))
		for i, e := range list.Items {
			slugs[i] = e.Slug
		}

		dir := t.TempDir()
		type variant struct {
			name, kind, query string
			opt               formats.TimelineOptions
		}
		variants := []variant{
			{"timelinejs", "timelinejs", "format=timelinejs", formats.TimelineOptions{}},
			{"vis", "vis", "format=vis", formats.TimelineOptions{}},
			{"timelinejs-grouped", "timelinejs", "format=timelinejs&group_by=location&title=Abu+Dhabi+talks",
				formats.TimelineOptions{GroupBy: "location", Title: "Abu Dhabi talks"}},
			{"vis-grouped", "vis", "format=vis&group_by=actor", formats.TimelineOptions{GroupBy: "actor"}},
		}
		var jobs []browserJob
		tlDocs := map[string]formats.TimelineJSDoc{}
		visDocs := map[string]formats.VisDoc{}
		for _, v := range variants {
			r := c.get("/api/v1/timeline?"+v.query).want(t, 200, nil)
			path := filepath.Join(dir, v.name+".json")
			if err := os.WriteFile(path, r.Body, 0o644); err != nil {
				t.Fatal(err)
			}
			job := browserJob{Name: v.name, Kind: v.kind, Doc: path, Screenshot: filepath.Join(dir, v.name+".png")}
			var want any
			if v.kind == "timelinejs" {
				var doc formats.TimelineJSDoc
				if err := models.UnmarshalStrict(r.Body, &doc); err != nil {
					t.Fatalf("%s: %v", v.name, err)
				}
				tlDocs[v.name] = doc
				want = formats.TimelineJS(list.Items, v.opt)
				// Show a slide with quotes rather than the first one.
				for _, s := range doc.Events {
					if strings.Contains(s.Text.Text, "<blockquote>") {
						job.Focus = s.UniqueID
						break
					}
				}
			} else {
				var doc formats.VisDoc
				if err := models.UnmarshalStrict(r.Body, &doc); err != nil {
					t.Fatalf("%s: %v", v.name, err)
				}
				visDocs[v.name] = doc
				want = formats.Vis(list.Items, v.opt)
			}
			wantJSON, _ := json.Marshal(want)
			if got := bytes.TrimSpace(r.Body); !browserSameJSON(t, got, wantJSON) {
				t.Errorf("%s: the endpoint's document differs from the formats encoder's over the same events\n got: %.600s\nwant: %.600s", v.name, got, wantJSON)
			}
			jobs = append(jobs, job)
		}
		for name, doc := range tlDocs {
			if got := browserTLIDs(doc); !slices.Equal(got, slugs) {
				t.Errorf("%s: unique_ids %v, want the events in date order %v", name, got, slugs)
			}
		}
		for name, doc := range visDocs {
			if got := browserVisIDs(doc); !slices.Equal(got, slugs) {
				t.Errorf("%s: item ids %v, want %v", name, got, slugs)
			}
		}

		out := browserRender(t, node, webtest, chromium, pages.URL+"/timeline.html", jobs, dir)
		t.Logf("Chromium %s; %d requests outside the test server blocked (e.g. web fonts)", out.BrowserVersion, len(out.Blocked))
		for _, e := range out.PageErrors {
			t.Errorf("page error: %s", e)
		}
		for _, e := range out.ConsoleErrors {
			if !strings.Contains(e, "net::ERR_FAILED") { // the blocked requests
				t.Logf("console: %s", e)
			}
		}
		if len(out.Results) != len(jobs) {
			t.Fatalf("render.js returned %d results for %d jobs", len(out.Results), len(jobs))
		}
		sorted := slices.Sorted(slices.Values(slugs))
		for _, r := range out.Results {
			if r.Error != "" {
				t.Errorf("%s: %s", r.Name, r.Error)
				continue
			}
			if r.Pwned {
				t.Errorf("%s: markup from the document ran in the page", r.Name)
			}
			switch r.Kind {
			case "timelinejs":
				doc := tlDocs[r.Name]
				wantSlides := len(doc.Events)
				if doc.Title != nil {
					wantSlides++
				}
				if r.Markers != len(doc.Events) || r.Slides != wantSlides {
					t.Errorf("%s: TimelineJS drew %d markers and %d slides, want %d and %d (message %q)",
						r.Name, r.Markers, r.Slides, len(doc.Events), wantSlides, r.Message)
				}
				if got := slices.Sorted(slices.Values(r.MarkerIDs)); !slices.Equal(got, sorted) {
					t.Errorf("%s: markers for %v, want %v", r.Name, got, sorted)
				}
				if doc.Events[0].Group != "" {
					var want []string
					for _, s := range doc.Events {
						if !slices.Contains(want, s.Group) {
							want = append(want, s.Group)
						}
					}
					if got := slices.Sorted(slices.Values(r.Groups)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
						t.Errorf("%s: TimelineJS group labels %v, want %v", r.Name, r.Groups, want)
					}
				}
			case "vis":
				doc := visDocs[r.Name]
				if r.ItemElements != len(doc.Items) {
					t.Errorf("%s: vis-timeline drew %d items, want %d", r.Name, r.ItemElements, len(doc.Items))
				}
				if got := slices.Sorted(slices.Values(r.DisplayedIDs)); !slices.Equal(got, sorted) {
					t.Errorf("%s: displayed items %v, want %v", r.Name, got, sorted)
				}
				var wantLabels []string
				for _, g := range doc.Groups {
					wantLabels = append(wantLabels, g.Content) // plain names in the seed: nothing to unescape
				}
				if len(doc.Groups) > 0 && !slices.Equal(r.GroupLabels, wantLabels) {
					t.Errorf("%s: vis lanes %v, want %v", r.Name, r.GroupLabels, wantLabels)
				}
			}
			t.Logf("%s: screenshot %s", r.Name, r.Screenshot)
		}
		if !t.Failed() {
			browserPublishOnce.Do(func() {
				for name, to := range map[string]string{
					"timelinejs": "/tmp/parley-timelinejs.png", "vis": "/tmp/parley-vis.png",
					"timelinejs-grouped": "/tmp/parley-timelinejs-grouped.png", "vis-grouped": "/tmp/parley-vis-grouped.png",
				} {
					if b, err := os.ReadFile(filepath.Join(dir, name+".png")); err == nil {
						if err := os.WriteFile(to, b, 0o644); err != nil {
							t.Logf("could not copy the screenshot to %s: %v", to, err)
						}
					}
				}
			})
		}
	})
}

// The hostile payloads: each sets window.__parleyPwned if it ever runs.
const (
	browserImg     = `<img src=x onerror="window.__parleyPwned=true">`
	browserEntity  = `&lt;img src=x onerror=window.__parleyPwned=true&gt;`
	browserScript  = `<script>window.__parleyPwned=true</script>`
	browserTitle   = browserImg + "Talks " + browserScript
	browserActor   = browserImg + " & Co"
	browserPlace   = browserEntity + " Town"
	browserURLBait = `https://example.org/"><img src=x onerror=window.__parleyPwned=true>`
)

// TestBrowserEscaping renders documents built from hostile text in TimelineJS and
// vis-timeline: no markup from the data may run, and the text must read as written
// (TimelineJS lanes show < and > as ‹ and ›, see formats.plainLabel).
func TestBrowserEscaping(t *testing.T) {
	t.Parallel()
	chromium, node, webtest, missing := browserTools(t)
	requireTools(t, "the browser test", missing)
	pages := httptest.NewServer(http.FileServer(http.Dir(webtest)))
	t.Cleanup(pages.Close)

	a := models.Actor{Meta: models.Meta{ID: models.NewID()}, Slug: "hostile-actor", Name: browserActor}
	l := models.Location{Meta: models.Meta{ID: models.NewID()}, Slug: "hostile-town", Name: browserPlace}
	e := models.Event{Slug: "hostile-event", Title: browserTitle, Type: models.EventMeeting, Status: models.StatusHeld,
		Date: models.MustParseDate("2026-01-23/2026-01-24"), Summary: "Summary " + browserScript + browserImg,
		Participants: []models.Participant{{Actor: *models.RefTo(a.ID), Role: models.RoleHost, ActorData: &a}},
		LocationData: &l,
		StatementsData: []models.Statement{{Text: "quote " + browserImg, Quote: true, Speaker: models.RefTo(a.ID),
			Attribution: "source " + browserImg, Medium: browserEntity}},
		SourcesData: []models.Source{{Outlet: "Outlet " + browserImg, Title: browserEntity, URL: browserURLBait}},
	}
	other := models.Event{Slug: "plain-event", Title: "Plain", Type: models.EventCall, Status: models.StatusHeld,
		Date: models.MustParseDate("2026-01-26")}
	events := []models.Event{e, other}

	dir := t.TempDir()
	write := func(name string, v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name+".json")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	jobs := []browserJob{
		{Name: "timelinejs-by-actor", Kind: "timelinejs", Focus: "hostile-event",
			Doc: write("tl-actor", formats.TimelineJS(events, formats.TimelineOptions{Title: browserTitle, GroupBy: "actor"}))},
		{Name: "timelinejs-by-location", Kind: "timelinejs", Focus: "hostile-event",
			Doc: write("tl-location", formats.TimelineJS(events, formats.TimelineOptions{GroupBy: "location"}))},
		{Name: "vis-by-actor", Kind: "vis", Doc: write("vis-actor", formats.Vis(events, formats.TimelineOptions{GroupBy: "actor"}))},
		{Name: "vis-by-location", Kind: "vis", Doc: write("vis-location", formats.Vis(events, formats.TimelineOptions{GroupBy: "location"}))},
	}
	for i := range jobs {
		jobs[i].Screenshot = filepath.Join(dir, jobs[i].Name+".png")
	}
	out := browserRender(t, node, webtest, chromium, pages.URL+"/timeline.html", jobs, dir)
	for _, e := range out.PageErrors {
		t.Errorf("page error: %s", e)
	}
	if len(out.Results) != len(jobs) {
		t.Fatalf("render.js returned %d results for %d jobs", len(out.Results), len(jobs))
	}
	for _, r := range out.Results {
		if r.Error != "" {
			t.Errorf("%s: %s", r.Name, r.Error)
			continue
		}
		if r.Pwned {
			t.Errorf("%s: markup from the document ran in the page", r.Name)
		}
		switch r.Kind {
		case "timelinejs":
			if r.Markers != 2 || !slices.Contains(r.Headlines, browserTitle) {
				t.Errorf("%s: %d markers, headlines %q; want 2 and the title as written", r.Name, r.Markers, r.Headlines)
			}
			want := []string{"‹img src=x onerror=\"window.__parleyPwned=true\"› & Co", "No participants"}
			if r.Name == "timelinejs-by-location" {
				// TimelineJS decodes the label once before writing it as HTML, so the
				// literal entity text reads as the characters it names: shown, not run.
				want = []string{"<img src=x onerror=window.__parleyPwned=true> Town", formats.UnknownLocation}
			}
			if !slices.Equal(slices.Sorted(slices.Values(r.Groups)), slices.Sorted(slices.Values(want))) {
				t.Errorf("%s: lanes %q, want %q", r.Name, r.Groups, want)
			}
		case "vis":
			if r.ItemElements != 2 || !slices.Contains(r.Contents, browserTitle) {
				t.Errorf("%s: %d items, contents %q; want 2 and the title as written", r.Name, r.ItemElements, r.Contents)
			}
			want := []string{browserActor, "No participants"}
			if r.Name == "vis-by-location" {
				want = []string{browserPlace, formats.UnknownLocation}
			}
			if !slices.Equal(r.GroupLabels, want) {
				t.Errorf("%s: lanes %q, want %q", r.Name, r.GroupLabels, want)
			}
		}
		t.Logf("%s: screenshot %s", r.Name, r.Screenshot)
	}
}

// TestBrowserTimelineJSInstants renders, in real TimelineJS, events written at three
// offsets on one day (10:30+03:00, 08:00Z, 09:00-05:00) and one dated by the day:
// in a browser in UTC each slide starts at its exact instant; in a browser in New York
// the slides keep their true order and the spans between them (30 minutes, 6 hours)
// on the time axis; and every slide shows the time as written and in UTC.
func TestBrowserTimelineJSInstants(t *testing.T) {
	chromium, node, webtest, missing := browserTools(t)
	requireTools(t, "the browser test", missing)
	pages := httptest.NewServer(http.FileServer(http.Dir(webtest)))
	t.Cleanup(pages.Close)

	events := []models.Event{
		{Slug: "day-before", Title: "Day before", Type: models.EventMeeting, Status: models.StatusHeld, Date: models.MustParseDate("2026-01-22")},
		{Slug: "moscow-call", Title: "Moscow call", Type: models.EventCall, Status: models.StatusHeld, Date: models.MustParseDate("2026-01-23T10:30+03:00")},
		{Slug: "utc-call", Title: "UTC call", Type: models.EventCall, Status: models.StatusHeld, Date: models.MustParseDate("2026-01-23T08:00Z")},
		{Slug: "washington-call", Title: "Washington call", Type: models.EventCall, Status: models.StatusHeld, Date: models.MustParseDate("2026-01-23T09:00-05:00")},
	}
	instant := map[string]time.Time{
		"day-before":      time.Date(2026, 1, 22, 0, 0, 0, 0, time.UTC),
		"moscow-call":     time.Date(2026, 1, 23, 7, 30, 0, 0, time.UTC),
		"utc-call":        time.Date(2026, 1, 23, 8, 0, 0, 0, time.UTC),
		"washington-call": time.Date(2026, 1, 23, 14, 0, 0, 0, time.UTC),
	}
	order := []string{"day-before", "moscow-call", "utc-call", "washington-call"}
	wantTexts := []string{"23 January 2026, 10:30 (UTC+03:00) = 07:30 UTC", "23 January 2026, 08:00 (UTC)",
		"23 January 2026, 09:00 (UTC-05:00) = 14:00 UTC"}

	dir := t.TempDir()
	b, err := json.Marshal(formats.TimelineJS(events, formats.TimelineOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(dir, "instants.json")
	if err := os.WriteFile(doc, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tz := range []string{"UTC", "America/New_York"} {
		job := browserJob{Name: "instants " + tz, Kind: "timelinejs", Doc: doc, Screenshot: filepath.Join(dir, strings.ReplaceAll(tz, "/", "-")+".png")}
		out := browserRenderIn(t, node, webtest, chromium, pages.URL+"/timeline.html", []browserJob{job}, dir, tz)
		for _, e := range out.PageErrors {
			t.Errorf("%s: page error: %s", tz, e)
		}
		if len(out.Results) != 1 || out.Results[0].Error != "" {
			t.Fatalf("%s: %+v", tz, out.Results)
		}
		r := out.Results[0]
		if len(r.Starts) != len(events) {
			t.Fatalf("%s: TimelineJS built %d dates, want %d: %v", tz, len(r.Starts), len(events), r.Starts)
		}
		// The browser is in the zone asked for: the day event starts at its midnight.
		if ny := time.Date(2026, 1, 22, 5, 0, 0, 0, time.UTC); tz != "UTC" && r.Starts["day-before"] != float64(ny.UnixMilli()) {
			t.Errorf("%s: the day event starts at %s, want New York's midnight %s", tz, time.UnixMilli(int64(r.Starts["day-before"])).UTC(), ny)
		}
		for i, id := range order {
			if tz == "UTC" && r.Starts[id] != float64(instant[id].UnixMilli()) {
				t.Errorf("UTC: %s starts at %s, want %s", id, time.UnixMilli(int64(r.Starts[id])).UTC(), instant[id])
			}
			if i == 0 {
				continue
			}
			prev := order[i-1]
			if i > 1 { // the day event is placed at the viewer's midnight: only the minute ones keep exact spans
				if got, want := r.Starts[id]-r.Starts[prev], float64(instant[id].Sub(instant[prev]).Milliseconds()); got != want {
					t.Errorf("%s: %s starts %v ms after %s, want %v", tz, id, got, prev, want)
				}
			}
			if r.MarkerLefts[id] <= r.MarkerLefts[prev] {
				t.Errorf("%s: marker of %s at %v, not right of %s at %v", tz, id, r.MarkerLefts[id], prev, r.MarkerLefts[prev])
			}
		}
		for _, w := range wantTexts {
			if !slices.Contains(r.DateTexts, w) {
				t.Errorf("%s: no slide shows %q: %q", tz, w, r.DateTexts)
			}
		}
	}
}

// browserRender runs webtest/render.js on the jobs and decodes its report.
func browserRender(t *testing.T, node, webtest, chromium, page string, jobs []browserJob, dir string) browserOutput {
	t.Helper()
	return browserRenderIn(t, node, webtest, chromium, page, jobs, dir, "")
}

// browserRenderIn is browserRender with the browser in the time zone tz ("" for the
// machine's).
func browserRenderIn(t *testing.T, node, webtest, chromium, page string, jobs []browserJob, dir, tz string) browserOutput {
	t.Helper()
	spec, err := json.Marshal(map[string]any{"page": page, "jobs": jobs, "timezone": tz})
	if err != nil {
		t.Fatal(err)
	}
	specPath := filepath.Join(dir, "jobs-"+strings.ReplaceAll(tz, "/", "-")+".json")
	if err := os.WriteFile(specPath, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "render.js", specPath)
	cmd.Dir = webtest
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("node render.js: %v\nstderr: %s\nstdout: %s", err, stderr.String(), stdout.String())
	}
	t.Logf("render.js took %s", time.Since(start).Round(time.Millisecond))
	var out browserOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("render.js output: %v\n%s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	return out
}

// browserSameJSON compares two JSON documents by value.
func browserSameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("json: %v", err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("json: %v", err)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

func browserTLIDs(d formats.TimelineJSDoc) []string {
	out := make([]string, len(d.Events))
	for i, s := range d.Events {
		out[i] = s.UniqueID
	}
	return out
}

func browserVisIDs(d formats.VisDoc) []string {
	out := make([]string, len(d.Items))
	for i, it := range d.Items {
		out[i] = it.ID
	}
	return out
}
